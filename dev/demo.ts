/**
 * `npm run demo`: a five-minute tour of Stilla against the running local stack (`npm start` in
 * another terminal). It signs up a user in the Auth emulator, logs two weeks of moods, reads the
 * weekly analysis, chats (one reply streamed as it arrives), sets and patches a monthly budget,
 * exports the account and erases it, printing each HTTP call it makes and what came back.
 *
 *   npm run demo                      # against npm start's stack
 *   node dev/demo.ts --functions URL --auth HOST:PORT   # elsewhere (npm test runs it this way)
 *
 * Exits non-zero when a step does not answer as the contract says, so it doubles as a smoke test.
 */
import { parseArgs } from 'node:util';
import { PORTS, PROJECT_IDS, REGION } from './stack.ts';

const { values } = parseArgs({
  options: {
    functions: {
      type: 'string',
      default: `http://127.0.0.1:${PORTS.dev.functions}/${PROJECT_IDS.dev}/${REGION}`,
    },
    auth: { type: 'string', default: `127.0.0.1:${PORTS.dev.auth}` },
    quiet: { type: 'boolean', default: false },
  },
});
const base = values.functions.replace(/\/$/, '');
const color = process.stdout.isTTY && !values.quiet;
const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);
let step = 0;

function heading(title: string): void {
  step += 1;
  console.log(`\n${bold(`${step}. ${title}`)}`);
}

class DemoError extends Error {}

function expectStatus(res: Response, wanted: number, what: string): void {
  if (res.status !== wanted) {
    throw new DemoError(`${what}: expected HTTP ${wanted}, got ${res.status}`);
  }
}

/** One call, printed as the curl-like line it is, with the status and the time it took. */
async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = 'Bearer $TOKEN';
  const shown = Object.entries(headers)
    .map(([name, value]) => ` -H '${name}: ${value}'`)
    .join('');
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const shownBody = body && body.length > 120 ? `${body.slice(0, 117)}...` : body;
  console.log(
    dim(`  $ curl -X ${method} '${base}/${path}'${shown}${body ? ` -d '${shownBody}'` : ''}`),
  );
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(`${base}/${path}`, {
    method,
    headers,
    ...(body ? { body } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const ms = performance.now() - started;
  console.log(dim(`    → ${res.status} ${res.statusText} (${ms.toFixed(0)} ms)`));
  return res;
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function signUp(): Promise<{ token: string; uid: string }> {
  heading('Sign up (Auth emulator, anonymous user)');
  const url = `http://${values.auth}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local`;
  console.log(dim(`  $ curl -X POST '${url}' -d '{"returnSecureToken":true}'`));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ returnSecureToken: true }),
  });
  expectStatus(res, 200, 'sign-up');
  const body = await json<{ idToken: string; localId: string }>(res);
  console.log(`  user ${body.localId}; its ID token goes in Authorization: Bearer $TOKEN`);
  return { token: body.idToken, uid: body.localId };
}

/** Monday 00:00 UTC of the ISO week `weeksAgo` weeks before this one, and that week's name. */
function isoWeek(weeksAgo: number): { monday: Date; name: string } {
  const now = new Date();
  const monday = new Date(
    Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate() - ((now.getUTCDay() + 6) % 7),
    ),
  );
  monday.setUTCDate(monday.getUTCDate() - 7 * weeksAgo);
  const thursday = new Date(monday);
  thursday.setUTCDate(monday.getUTCDate() + 3);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return { monday, name: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}` };
}

async function main(): Promise<void> {
  console.log(bold('Stilla, a five-minute tour') + dim(`  (functions at ${base})`));
  heading('Is it up?');
  const health = await call('GET', 'health');
  expectStatus(health, 200, 'health');
  const report = await json<{ status: string; checks: Record<string, { status: string }> }>(health);
  console.log(
    `  ${report.status}: ${Object.entries(report.checks)
      .map(([name, check]) => `${name} ${check.status}`)
      .join(', ')}`,
  );

  const { token } = await signUp();

  heading('Log two weeks of moods (last week and the one before)');
  const lastWeek = isoWeek(1);
  const scores = [4, 5, 4, 6, 5, 6, 7, 5, 6, 6, 7, 7, 8, 8];
  const notes = ['Tired after work', 'A walk by the sea', 'Slept badly', 'Coffee with a friend'];
  for (const [day, score] of scores.entries()) {
    const at = new Date(isoWeek(2).monday);
    at.setUTCDate(at.getUTCDate() + day);
    at.setUTCHours(19);
    const res = await call('POST', 'moodLog', {
      token,
      body: {
        score,
        note: notes[day % notes.length],
        tags: day % 3 === 0 ? ['work'] : ['walk'],
        recordedAt: at.toISOString(),
      },
    });
    expectStatus(res, 201, 'moodLog');
  }
  const page = await call('GET', 'moodGet?limit=3', { token });
  expectStatus(page, 200, 'moodGet');
  const moods = await json<{ moods: { score: number; recordedAt: string }[] }>(page);
  console.log(
    `  newest three: ${moods.moods.map((m) => `${m.score} on ${m.recordedAt.slice(0, 10)}`).join(', ')}`,
  );

  heading(`Weekly analysis of ${lastWeek.name}`);
  const weekly = await call('GET', `weeklyAnalysis?week=${lastWeek.name}&lang=en`, { token });
  expectStatus(weekly, 200, 'weeklyAnalysis');
  const analysis = await json<{
    stats: { count: number; average: number | null; trend: string };
    previousWeek: { average: number | null };
    insights: { summary: string; source: string };
  }>(weekly);
  console.log(
    `  ${analysis.stats.count} entries, average ${analysis.stats.average} (the week before: ${analysis.previousWeek.average}), trend ${analysis.stats.trend}`,
  );
  console.log(`  insight (${analysis.insights.source}): ${analysis.insights.summary}`);

  heading('Chat, with the reply streamed as it arrives (server-sent events)');
  const streamed = await call('POST', 'aiChat', {
    token,
    body: { message: 'I had a long day, but the walk helped.', lang: 'en' },
    headers: { Accept: 'text/event-stream' },
  });
  expectStatus(streamed, 200, 'aiChat (stream)');
  let sessionId = '';
  let source = '';
  process.stdout.write('  reply: ');
  const reader = (streamed.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (!event || !data) continue;
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === 'session') sessionId = String(payload.sessionId);
      if (event === 'delta') process.stdout.write(String(payload.text));
      if (event === 'done') source = String(payload.source);
      if (event === 'error') throw new DemoError(`aiChat stream error: ${data}`);
    }
  }
  process.stdout.write(`\n  (source: ${source})\n`);
  if (!sessionId || !source) throw new DemoError('aiChat stream ended without session or done');
  const again = await call('POST', 'aiChat', {
    token,
    body: { message: 'Thank you. Any idea for tomorrow?', sessionId },
  });
  expectStatus(again, 200, 'aiChat');
  const exchange = await json<{ reply: { content: string }; source: string }>(again);
  console.log(`  reply (${exchange.source}): ${exchange.reply.content}`);
  const history = await call('GET', `aiHistory?sessionId=${sessionId}`, { token });
  expectStatus(history, 200, 'aiHistory');
  const messages = (await json<{ messages: unknown[] }>(history)).messages;
  console.log(`  the session holds ${messages.length} messages`);

  heading('A monthly budget: set it, then add to what was spent');
  const month = new Date().toISOString().slice(0, 7);
  const put = await call('PUT', 'allocations', {
    token,
    body: {
      month,
      currency: 'SEK',
      categories: [
        { key: 'rent', label: 'Rent', budget: 900_000, targetPercent: 60 },
        { key: 'food', label: 'Food', budget: 400_000, actual: 120_000, targetPercent: 25 },
        { key: 'fun', label: 'Fun', budget: 100_000 },
      ],
    },
  });
  expectStatus(put, 200, 'allocations PUT');
  const etag = put.headers.get('etag') ?? '';
  const patch = await call('PATCH', 'allocations', {
    token,
    body: { month, key: 'food', actualDelta: 35_000 },
    headers: { 'If-Match': etag, 'Idempotency-Key': `demo-${Date.now()}` },
  });
  expectStatus(patch, 200, 'allocations PATCH');
  const summary = await json<{
    totals: { budget: number; actual: number; utilization: number | null };
    onTrack: boolean;
  }>(patch);
  console.log(
    `  ${month}: spent ${summary.totals.actual / 100} of ${summary.totals.budget / 100} SEK (utilization ${summary.totals.utilization}), on track: ${summary.onTrack}`,
  );

  heading('Export everything (GDPR), then erase it');
  const exported = await call('GET', 'account', { token });
  expectStatus(exported, 200, 'account GET');
  const text = await exported.text();
  const document = JSON.parse(text) as Record<string, unknown[]>;
  console.log(
    `  ${exported.headers.get('content-disposition')}: ${(text.length / 1024).toFixed(1)} KiB, ` +
      Object.entries(document)
        .filter(([, value]) => Array.isArray(value))
        .map(([key, value]) => `${value.length} ${key}`)
        .join(', '),
  );
  expectStatus(await call('DELETE', 'account', { token }), 204, 'account DELETE');
  const after = await call('GET', 'moodGet', { token });
  expectStatus(after, 200, 'moodGet after erase');
  const left = (await json<{ moods: unknown[] }>(after)).moods.length;
  if (left !== 0) throw new DemoError(`moods left after the erase: ${left}`);
  console.log('  nothing left: the account is empty');
  console.log(`\n${bold('Tour complete.')} Every call above is in the contract: ../shared/API.md`);
}

try {
  await main();
} catch (error) {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof DemoError)) {
    console.error('Is the local stack running? Start it with `npm start` in another terminal.');
  }
  process.exit(1);
}

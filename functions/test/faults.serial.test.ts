/**
 * Firestore and Google's signing keys taken away mid-run, over the network as an instance would
 * meet it: the functions reach the Firestore emulator through a proxy that resets or black-holes
 * connections on demand (dev/fault-proxy), and the test key server fails on demand
 * (dev/jwks/server.ts). Serial: these break infrastructure that every other test shares.
 *
 * What must hold: `503 unavailable` with `Retry-After` within the deadlines, never a `500` or a
 * hang; nothing half-stored (a chat exchange or an allocations PATCH is all or nothing); reads
 * already cached keep being served; recovery without a restart when the service returns; cached
 * signing keys keep working, and an instance without keys answers `503`, never `401`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { callFunction, expectError, requireEnv, type CallResult } from './support/api';
import { newUser, signedToken } from './support/auth';
import { setFault, type FaultMode } from './support/faults';
import { recordFigures } from './support/figures';
import { allMessages, chat, history, streamChat } from './chat-support';
import { addFakeRule, adminDb, removeFakeRules, uniqueTag } from './weekly-support';

const setFirestoreFault = (mode: FaultMode) =>
  setFault(requireEnv('STILLA_FIRESTORE_FAULT_URL'), { mode });

const setJwksFault = (mode: FaultMode) =>
  setFault(`${new URL(requireEnv('STILLA_TEST_JWKS_URL')).origin}/__fault`, { mode });

/**
 * Firestore's deadline per operation (FIRESTORE_TIMEOUT_MS), a message transaction's, and the
 * longest a 503 waits past its deadline for a commit already on the wire (COMMIT_TIMEOUT_MS + 1 s).
 */
const FIRESTORE_TIMEOUT_MS = 5_000;
const TRANSACTION_TIMEOUT_MS = 15_000;
const COMMIT_SETTLE_MS = 4_000;
/** Time for the emulator, the function and a loaded 2-core machine around a deadline. */
const SLACK_MS = 4_000;

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: Math.round(performance.now() - started) };
}

function expectUnavailable(res: CallResult): void {
  expectError(res, 503, 'unavailable');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

/**
 * Back to `ok`, then waits until each function that failed works again (every function runs in
 * its own instances, each with its own connection to Firestore); returns how long that took.
 */
async function restoreFirestore(calls: (() => Promise<CallResult>)[]): Promise<number> {
  await setFirestoreFault('ok');
  const started = performance.now();
  for (const call of calls) {
    for (;;) {
      const res = await call();
      if (res.status < 500) break;
      if (performance.now() - started > 150_000) throw new Error('Firestore did not come back');
      await sleep(250);
    }
  }
  return Math.round(performance.now() - started);
}

async function storedMoods(uid: string): Promise<number> {
  return (await adminDb().collection(`users/${uid}/moods`).get()).size;
}

afterEach(async () => {
  await setFirestoreFault('ok');
  await setJwksFault('ok');
  await removeFakeRules();
});

describe.each(['down', 'hang'] as const)('Firestore %s', (mode) => {
  it('answers 503 with Retry-After within the deadline, stores nothing, serves cached reads, and recovers', async () => {
    const user = await newUser();
    const month = '2026-11';
    expect((await callFunction('moodLog', { token: user.token, body: { score: 6 } })).status).toBe(
      201,
    );
    const put = await callFunction('allocations', {
      token: user.token,
      method: 'PUT',
      body: {
        month,
        currency: 'SEK',
        categories: [{ key: 'food', label: 'Food', budget: 30_000 }],
      },
    });
    expect(put.status).toBe(200);
    const cachedRead = await callFunction('moodGet', { token: user.token });
    expect(cachedRead.status).toBe(200);

    await setFirestoreFault(mode);
    // What was cached is still served: Firestore is not in a cached read's path. (First, while
    // the entry is fresh: the failing requests below take longer than its time to live.)
    const cached = await callFunction('moodGet', { token: user.token });
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-cache')).toBe('HIT');
    expect(cached.body).toEqual(cachedRead.body);
    const figures: Record<string, number> = {};
    const failing: [string, () => Promise<CallResult>][] = [
      ['moodLog', () => callFunction('moodLog', { token: user.token, body: { score: 2 } })],
      [
        'allocations PATCH',
        () =>
          callFunction('allocations', {
            token: user.token,
            method: 'PATCH',
            body: { month, key: 'food', actualDelta: 25 },
          }),
      ],
      [
        'moodGet (not cached)',
        () => callFunction('moodGet', { token: user.token, query: { limit: 7 } }),
      ],
      ['account export', () => callFunction('account', { token: user.token })],
    ];
    for (const [name, call] of failing) {
      const { result, ms } = await timed(call);
      expectUnavailable(result);
      figures[name] = ms;
      // A PATCH may hold its transaction up to three deadlines (docs/API-NOTES.md).
      const deadline = name.includes('PATCH') ? 3 * FIRESTORE_TIMEOUT_MS : FIRESTORE_TIMEOUT_MS;
      expect(ms).toBeLessThan(deadline + COMMIT_SETTLE_MS + SLACK_MS);
    }
    const health = await callFunction('health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('down');

    // Recovery, probed with reads: the first write after it must go through.
    const recoveryMs = await restoreFirestore([
      () => callFunction('moodGet', { token: user.token, query: { limit: 8 } }),
      () => callFunction('allocations', { token: user.token, query: { month: '2026-10' } }),
      () => callFunction('account', { token: user.token }),
    ]);
    // Nothing of the failed requests was stored, not even later, when Firestore came back (the
    // SDK retries commits by itself; a 503 must mean "not stored", or a client retry duplicates).
    await sleep(3_000);
    expect(await storedMoods(user.uid)).toBe(1);
    // A client's retry goes through (again while its own instance reconnects).
    let retried: CallResult;
    do {
      retried = await callFunction('moodLog', { token: user.token, body: { score: 2 } });
    } while (retried.status === 503);
    expect(retried.status).toBe(201);
    expect(await storedMoods(user.uid)).toBe(2);
    const after = await callFunction('allocations', { token: user.token, query: { month } });
    expect(after.body.categories).toEqual([expect.objectContaining({ key: 'food', actual: 0 })]);
    recordFigures('faults', {
      fault: `Firestore ${mode}`,
      answeredMs: figures,
      recoveryMs,
      requestsLost: 0,
    });
  }, 180_000);
});

describe('a chat exchange when Firestore goes away mid-reply', () => {
  it('is stored whole or not at all, streamed or not, and a retry starts clean', async () => {
    const user = await newUser();
    const first = await chat(user, { message: 'good morning' });
    expect(first.status).toBe(200);
    const sessionId = first.body.sessionId;
    const sessionsBefore = (await history(user)).body.sessions.length;

    const tag = uniqueTag();
    // About 2.4 s of reply: time to take Firestore away while the model is still writing.
    await addFakeRule({
      match: tag,
      endpoint: 'chat',
      behavior: { content: `a slow and careful reply for ${tag} `.repeat(3), deltaDelayMs: 150 },
    });
    const key = randomUUID();
    let faulted: Promise<void> | undefined;
    let faultAt = 0;
    const { result: stream } = await timed(() =>
      streamChat(
        user,
        { message: `tell me more ${tag}`, sessionId },
        {
          disconnectAfter: (event) => {
            if (event.event === 'delta' && !faulted) {
              faultAt = performance.now();
              faulted = setFirestoreFault('down');
            }
            return false;
          },
        },
      ),
    );
    await faulted;
    expect(stream.status).toBe(200);
    expect(stream.events[0]?.event).toBe('session');
    const last = stream.events.at(-1);
    expect(last?.event).toBe('error');
    expect(last?.data.error.code).toBe('unavailable');
    // After the model's last piece, storing fails within the transaction's deadline, and
    // releasing the Idempotency-Key's claim within one more operation's.
    const lastDelta = stream.events.filter((e) => e.event === 'delta').at(-1);
    const failedAfterMs = Math.round((last?.at ?? 0) - (lastDelta?.at ?? 0));
    expect(failedAfterMs).toBeLessThan(
      TRANSACTION_TIMEOUT_MS + FIRESTORE_TIMEOUT_MS + 2 * COMMIT_SETTLE_MS + SLACK_MS,
    );
    expect(faultAt).toBeLessThan(lastDelta?.at ?? 0);

    // A JSON send that starts a new session, cut the same way.
    await setFirestoreFault('ok');
    const newSessionTag = uniqueTag();
    await addFakeRule({
      match: newSessionTag,
      endpoint: 'chat',
      behavior: { content: `another slow reply ${newSessionTag} `.repeat(3), deltaDelayMs: 150 },
    });
    const json = chat(
      user,
      { message: `a new topic ${newSessionTag}` },
      { 'Idempotency-Key': key },
    );
    await sleep(1_200); // the request is past its reads, the model is writing
    await setFirestoreFault('down');
    expectUnavailable(await json);

    const recoveryMs = await restoreFirestore([() => history(user, { sessionId })]);
    // Nothing of either exchange: the session holds the first exchange only, no new session.
    expect((await allMessages(user, sessionId)).map((m) => m.content)).toEqual([
      'good morning',
      first.body.reply.content,
    ]);
    expect((await history(user)).body.sessions.length).toBe(sessionsBefore);
    const announced = stream.events[0]?.data.sessionId as string;
    expect(announced).toBe(sessionId);

    // The resend stores the exchange once, whole. (With the same Idempotency-Key it would wait
    // for the key's claim, which the failed send could not release while Firestore was away, to
    // run out: 409 with Retry-After until then, as docs/API-NOTES.md says.)
    let retry: CallResult;
    do {
      retry = await chat(user, { message: `tell me more ${tag}`, sessionId });
    } while (retry.status === 503);
    expect(retry.status).toBe(200);
    const messages = await allMessages(user, sessionId);
    expect(messages).toHaveLength(4);
    expect(messages[2]).toEqual(retry.body.userMessage);
    expect(messages[3]).toEqual(retry.body.reply);
    expect(messages[3]?.replyTo).toBe(messages[2]?.id);
    recordFigures('faults', {
      fault: 'Firestore down mid-reply (aiChat streamed and JSON)',
      answeredMs: { 'aiChat streamed, after the last delta': failedAfterMs },
      recoveryMs,
      requestsLost: 0,
    });
  }, 240_000);
});

// --- signing keys -------------------------------------------------------------------------------

const functionsDir = resolve(__dirname, '..');

/** KEY=value lines of the test project's params file. */
function testParams(): Record<string, string> {
  const file = join(functionsDir, `.env.${requireEnv('STILLA_PROJECT_ID')}`);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * A fresh instance of one function on the production runtime (the Functions Framework, as Cloud
 * Run runs it), configured like the emulator's: it has fetched no signing key yet.
 */
async function coldInstance(
  target: string,
): Promise<{ url: string; output(): string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(functionsDir, 'node_modules', '.bin', 'functions-framework'),
    [`--target=${target}`, `--port=${port}`, '--source=lib'],
    {
      cwd: functionsDir,
      env: {
        ...process.env,
        ...testParams(),
        FUNCTIONS_EMULATOR: 'true',
        STILLA_AUTH_JWKS_URL: requireEnv('STILLA_TEST_JWKS_URL'),
        GCLOUD_PROJECT: requireEnv('STILLA_PROJECT_ID'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}/`;
  const started = performance.now();
  for (;;) {
    try {
      await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(2_000) });
      break;
    } catch {
      if (performance.now() - started > 60_000) throw new Error(`${target} did not start`);
      await sleep(100);
    }
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGKILL');
      if (child.exitCode === null) await new Promise((done) => child.once('exit', done));
    },
  };
}

describe('Google signing keys unreachable', () => {
  it('keeps verifying with the keys an instance has', async () => {
    const token = await signedToken();
    // One after another: the emulator hands each request to its first idle instance, the one
    // that fetched the keys for the first request.
    expect((await callFunction('moodGet', { token })).status).toBe(200);
    await setJwksFault('down');
    for (let i = 0; i < 3; i++) {
      expect((await callFunction('moodGet', { token })).status).toBe(200);
    }
  });

  it.each(['down', 'hang'] as const)(
    'makes an instance without keys answer 503, never 401, and recover (keys %s)',
    async (mode) => {
      const instance = await coldInstance('moodGet');
      try {
        const token = await signedToken();
        const call = () =>
          fetch(instance.url, { headers: { Authorization: `Bearer ${token}` } }).then(
            async (res) => ({
              status: res.status,
              headers: res.headers,
              body: (await res.json()) as { error?: { code: string } },
            }),
          );
        await setJwksFault(mode);
        const { result, ms } = await timed(call);
        expect(result.status).toBe(503);
        expect(result.body.error?.code).toBe('unavailable');
        expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(ms).toBeLessThan(2_000 /* JWKS_TIMEOUT_MS */ + SLACK_MS);
        await setJwksFault('ok');
        const { result: recovered, ms: recoveryMs } = await timed(call);
        expect(recovered.status).toBe(200);
        recordFigures('faults', {
          fault: `signing keys ${mode}, cold instance`,
          answeredMs: { moodGet: ms },
          recoveryMs,
          requestsLost: 0,
        });
      } finally {
        await instance.stop();
      }
    },
  );
});

describe('a fresh instance under its first burst of requests', () => {
  it('keeps Redis: calls waiting while the instance loads the Firestore SDK do not open the circuit', async () => {
    const instance = await coldInstance('moodGet');
    try {
      const token = await signedToken();
      // Concurrent, as the requests that wake a new instance arrive: the first to reach Firestore
      // loads its SDK (synchronous, hundreds of ms) while the others' Redis calls are in flight.
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(instance.url, { headers: { Authorization: `Bearer ${token}` } }).then(
            async (res) => {
              await res.arrayBuffer();
              return res.status;
            },
          ),
        ),
      );
      expect(statuses).toEqual(Array(8).fill(200));
      expect(instance.output()).not.toContain('redis unavailable');
    } finally {
      await instance.stop();
    }
  });
});

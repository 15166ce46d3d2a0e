/**
 * aiChat, measured: time to the first delta and to `done` of a streamed exchange with a model
 * that answers after 400 ms at ~30 deltas a second, beside the same model called directly with
 * the SDK (the floor); the latency of a crisis reply (no model); and the Firestore RPCs,
 * documents and Redis round trips of one exchange. aiChat runs in the Functions Framework (the
 * 2nd-gen runtime) from functions/lib, against a Firestore emulator, Redis behind the Upstash
 * bridge, and the fake OpenAI server, all started here and stopped at the end.
 *
 *   npm --prefix functions run build && node dev/bench/chat.ts [--runs 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { startFakeOpenAI } from '../fake-openai/server.ts';
import { localParams } from './local-params.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { startRedisBridge } from '../redis-bridge/server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');
const PROJECT = 'demo-stilla-chat-bench';
const MODEL_LATENCY_MS = 400;
const DELTA_DELAY_MS = 33; // one word a delta: ~30 a second
const REPLY = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

const unsignedToken = (sub: string) => unsignedFor(PROJECT, sub);

async function serve(target: string, env: Record<string, string>) {
  const port = await getFreePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/chatprof',
      framework,
      `--target=${target}`,
      `--port=${port}`,
      '--source=lib',
    ],
    { cwd: functionsDir, env: { ...process.env, ...env }, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 400; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((res) => res.arrayBuffer());
      return { url, child };
    } catch {
      await sleep(25);
    }
  }
  throw new Error(`${target} did not start`);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

const firestore = await startFirestoreEmulator({ port: 0 });
const redis = await startRedisServer({ port: await getFreePort() });
const bridge = await startRedisBridge({
  port: await getFreePort(),
  redisUrl: `redis://127.0.0.1:${redis.port}`,
  token: 'bench',
});
const fake = await startFakeOpenAI();
fake.addRule({
  endpoint: 'chat',
  behavior: { content: REPLY, latencyMs: MODEL_LATENCY_MS, deltaDelayMs: DELTA_DELAY_MS },
});
const counterPort = await getFreePort();
const env = {
  ...localParams(functionsDir),
  GCLOUD_PROJECT: PROJECT,
  FUNCTIONS_EMULATOR: 'true',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
  FIRESTORE_EMULATOR_HOST: firestore.hostPort,
  UPSTASH_REDIS_REST_URL: bridge.url,
  UPSTASH_REDIS_REST_TOKEN: 'bench',
  OPENAI_API_KEY: 'bench',
  OPENAI_BASE_URL: fake.url,
  SENTRY_DSN: '',
  NODE_OPTIONS: `--require ${join(root, 'dev', 'bench', 'firestore-counter.cjs')}`,
  STILLA_BENCH_FIRESTORE_COUNTER_PORT: String(counterPort),
};

const token = unsignedToken('chat-bench-user');
const lines: string[] = [];
let aiChat: { url: string; child: ChildProcess } | undefined;
try {
  aiChat = await serve('aiChat', env);
  const url = aiChat.url;
  const send = async (body: Record<string, unknown>, stream: boolean) => {
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...(stream ? { Accept: 'text/event-stream' } : {}),
      },
      body: JSON.stringify(body),
    });
    let firstDelta = NaN;
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += Buffer.from(chunk).toString('utf8');
      if (Number.isNaN(firstDelta) && text.includes('event: delta')) {
        firstDelta = performance.now() - started;
      }
    }
    const total = performance.now() - started;
    if (res.status !== 200) throw new Error(`aiChat answered ${res.status}: ${text}`);
    const sessionId = /"sessionId":"([^"]+)"/.exec(text)?.[1];
    return { firstDelta, total, sessionId, text };
  };

  // Warm-up: loads the SDK and Firestore's gRPC in the instance.
  const warm = await send({ message: 'hello there' }, false);
  const sessionId = warm.sessionId;

  // The floor: the same fake model, called directly with the SDK, streamed.
  const functionsRequire = createRequire(join(functionsDir, 'package.json'));
  const { OpenAI } = functionsRequire('openai') as typeof import('openai');
  const openai = new OpenAI({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 });
  const floorFirst: number[] = [];
  const floorDone: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    let first = NaN;
    for await (const chunk of stream) {
      if (Number.isNaN(first) && chunk.choices[0]?.delta?.content) {
        first = performance.now() - started;
      }
    }
    floorFirst.push(first);
    floorDone.push(performance.now() - started);
  }

  const first: number[] = [];
  const done: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await send({ message: `How was message ${i}?`, sessionId }, true);
    first.push(result.firstDelta);
    done.push(result.total);
  }
  const crisis: number[] = [];
  for (let i = 0; i < runs; i++) {
    crisis.push((await send({ message: 'I want to kill myself', sessionId }, false)).total);
  }

  const counted = async (label: string, body: Record<string, unknown>, stream: boolean) => {
    await fetch(`${bridge.url}/__stats/reset`, { method: 'POST' });
    await fetch(`http://127.0.0.1:${counterPort}/`, { method: 'POST' });
    await send(body, stream);
    // Work after the response (none expected) would be missed by an immediate read.
    await sleep(200);
    const redisStats = (await (await fetch(`${bridge.url}/__stats`)).json()) as {
      requests: number;
      commands: number;
    };
    const fs = (await (await fetch(`http://127.0.0.1:${counterPort}/`)).json()) as Record<
      string,
      number
    >;
    lines.push(
      `  ${label.padEnd(44)} Firestore: ${JSON.stringify(fs)}; Redis: ${redisStats.requests} round trips, ${redisStats.commands} commands`,
    );
  };
  await counted(
    'one exchange, JSON, in an existing session',
    { message: 'one more', sessionId },
    false,
  );
  await counted(
    'one exchange, streamed, existing session',
    { message: 'and more', sessionId },
    true,
  );
  await counted('one exchange, JSON, new session', { message: 'a fresh start' }, false);
  await counted(
    'one crisis exchange, existing session',
    { message: 'I want to kill myself', sessionId },
    false,
  );

  console.log(
    `chat: model answers after ${MODEL_LATENCY_MS} ms, then a word every ${DELTA_DELAY_MS} ms (${REPLY.split(' ').length} words); ${runs} runs each, one Functions Framework process, sequential`,
  );
  console.log(
    `  floor (SDK -> fake model)  first delta ${fmt(floorFirst)}; done ${fmt(floorDone)}`,
  );
  console.log(`  aiChat streamed            first delta ${fmt(first)}; done ${fmt(done)}`);
  console.log(`  aiChat crisis reply (JSON) ${fmt(crisis)}`);
  for (const line of lines) console.log(line);
} finally {
  if (aiChat) {
    aiChat.child.kill('SIGTERM');
    await new Promise((done) => aiChat?.child.once('exit', done));
  }
  await fake.stop();
  await bridge.stop();
  await redis.stop();
  await firestore.stop();
}

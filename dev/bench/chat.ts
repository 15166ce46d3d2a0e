/**
 * aiChat, measured: time to the first delta and to `done` of a streamed exchange with a model
 * that answers after 400 ms at ~30 deltas a second, beside the same model called directly with
 * the SDK (the floor); the latency of a crisis reply (no model); and the Firestore RPCs,
 * documents and Redis round trips of one exchange. aiChat runs in the Functions Framework (the
 * 2nd-gen runtime) from functions/lib, against a Firestore emulator, Redis behind the Upstash
 * bridge, and the fake OpenAI server, all started here and stopped at the end.
 *
 * The server's CPU per streamed exchange (its process's own utime + stime): what an instance
 * pays per exchange. With `--baseline <commit>`, aiChat as built from that commit is served the
 * same way in the same run and measured beside it, in alternating batches (before and after).
 *
 *   npm --prefix functions run build && node dev/bench/chat.ts [--runs 10] [--baseline <commit>]
 *   STILLA_BENCH_CPU_PROF=DIR ...   # also write .cpuprofile files of both aiChat processes
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { startFakeOpenAI } from '../fake-openai/server.ts';
import { localParams } from './local-params.ts';
import { cpuTicks, TICK_MS } from './process-cpu.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { startRedisBridge } from '../redis-bridge/server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    baseline: { type: 'string' },
  },
});
const runs = Number(values.runs);
const baselineCommit = values.baseline;
const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');

/**
 * functions/ as it was at `commit`, built into a directory of its own (from `git archive`, with
 * this checkout's node_modules), so no copy of old code lives in the repo.
 */
function buildAt(commit: string): string {
  const dir = join(tmpdir(), `stilla-functions-${commit}`);
  const functions = join(dir, 'functions');
  if (existsSync(join(functions, 'lib', 'index.js'))) return functions;
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, 'functions.tar');
  execFileSync('git', ['archive', '-o', archive, commit, 'functions'], { cwd: root });
  execFileSync('tar', ['-x', '-f', archive, '-C', dir]);
  if (!existsSync(join(functions, 'node_modules'))) {
    symlinkSync(join(functionsDir, 'node_modules'), join(functions, 'node_modules'));
  }
  execFileSync(join(functionsDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: functions,
    stdio: 'inherit',
  });
  return functions;
}

/** The process's CPU time so far (utime + stime), in ms. */
const cpuMs = (pid: number): number => cpuTicks(pid) * TICK_MS;
const PROJECT = 'demo-stilla-chat-bench';
const MODEL_LATENCY_MS = 400;
const DELTA_DELAY_MS = 33; // one word a delta: ~30 a second
const REPLY = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

const unsignedToken = (sub: string) => unsignedFor(PROJECT, sub);

/** `STILLA_BENCH_CPU_PROF=DIR`: the servers also write .cpuprofile files there on exit. */
const cpuProfile = process.env.STILLA_BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.STILLA_BENCH_CPU_PROF)}`]
  : [];

async function serve(target: string, env: Record<string, string>, cwd = functionsDir) {
  const port = await getFreePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...cpuProfile, framework, `--target=${target}`, `--port=${port}`, '--source=lib'],
    { cwd, env: { ...process.env, ...env }, stdio: 'ignore' },
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
let baseline: { url: string; child: ChildProcess } | undefined;
try {
  const baselineDir = baselineCommit === undefined ? undefined : buildAt(baselineCommit);
  aiChat = await serve('aiChat', env);
  const url = aiChat.url;
  const sendTo = async (
    target: string,
    body: Record<string, unknown>,
    stream: boolean,
    bearer = token,
  ) => {
    const started = performance.now();
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${bearer}`,
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
  const send = (body: Record<string, unknown>, stream: boolean) => sendTo(url, body, stream);

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

  // CPU per streamed exchange, this build beside the baseline's, in alternating batches of
  // `runs` concurrent exchanges (each a user and a session of its own, so no budget or rate
  // limit is shared). The first batch of each warms its process and is not counted.
  if (baselineDir !== undefined) {
    baseline = await serve(
      'aiChat',
      { ...env, STILLA_BENCH_FIRESTORE_COUNTER_PORT: String(await getFreePort()) },
      baselineDir,
    );
  }
  const cpu = { current: { ms: 0, n: 0 }, baseline: { ms: 0, n: 0 } };
  let cpuUser = 0;
  const batches = 6;
  for (let batch = 0; batch <= batches; batch++) {
    for (const which of ['current', 'baseline'] as const) {
      const server = which === 'current' ? aiChat : baseline;
      if (server === undefined) continue;
      const before = cpuMs(server.child.pid!);
      await Promise.all(
        Array.from({ length: runs }, () =>
          sendTo(
            server.url,
            { message: 'Tell me something kind.' },
            true,
            unsignedToken(`chat-bench-cpu-${cpuUser++}`),
          ),
        ),
      );
      await sleep(100); // work after the last response
      if (batch === 0) continue;
      cpu[which].ms += cpuMs(server.child.pid!) - before;
      cpu[which].n += runs;
    }
  }
  const perExchange = (which: keyof typeof cpu) => (cpu[which].ms / cpu[which].n).toFixed(1);

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
  console.log(
    `  server CPU per streamed exchange (${REPLY.split(' ').length} deltas, new session, ${batches * runs} exchanges each, ${runs} at a time): ${perExchange('current')} ms${baseline ? `; baseline ${baselineCommit}: ${perExchange('baseline')} ms` : ''}`,
  );
  for (const line of lines) console.log(line);
} finally {
  for (const server of [aiChat, baseline]) {
    if (!server) continue;
    server.child.kill('SIGTERM');
    await new Promise((done) => server.child.once('exit', done));
  }
  await fake.stop();
  await bridge.stop();
  await redis.stop();
  await firestore.stop();
}

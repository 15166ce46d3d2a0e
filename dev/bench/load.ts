/**
 * Load on loopback: 1,000 users reading their moods (moodGet: auth, rate limit and cache on
 * Redis, Firestore on a miss), served by the Functions Framework (the 2nd-gen runtime) from
 * functions/lib, side by side with a bare firebase-functions `onRequest` hello on the same
 * runtime. Bounded in time; every process it starts is stopped.
 *
 * Tokens are unsigned (`alg: none`): the server runs with the emulator's trust settings, since
 * Google's keys cannot be reached here. Everything else is the production code path.
 *
 *   npm --prefix functions run build && node dev/bench/load.ts [--seconds 10] [--concurrency 50]
 *   STILLA_BENCH_CPU_PROF=/tmp/prof node dev/bench/load.ts   # also write .cpuprofile files of the server
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { localParams } from './local-params.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { startRedisBridge } from '../redis-bridge/server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    users: { type: 'string', default: '1000' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const userCount = Number(values.users);
const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');
const PROJECT = 'demo-stilla-load';

const params = localParams(functionsDir);

const unsignedToken = (sub: string) => unsignedFor(PROJECT, sub);

async function serve(target: string, source: string, env: Record<string, string>) {
  const port = await getFreePort();
  const profile = process.env.STILLA_BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STILLA_BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, framework, `--target=${target}`, `--port=${port}`, `--source=${source}`],
    {
      cwd: functionsDir,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    },
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

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
}

interface Result {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

/** `concurrency` loops for `seconds`, each request to `request(i)`. */
async function drive(request: (i: number) => Promise<number>): Promise<Result> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        let status = 0;
        try {
          status = await request(next++);
        } catch {
          status = 0;
        }
        latencies.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    statuses,
  };
}

const firestore = await startFirestoreEmulator({ port: 0 });
const redis = await startRedisServer({ port: await getFreePort() });
const bridge = await startRedisBridge({
  port: await getFreePort(),
  redisUrl: `redis://127.0.0.1:${redis.port}`,
  token: 'bench',
});
const env = {
  ...params,
  GCLOUD_PROJECT: PROJECT,
  FUNCTIONS_EMULATOR: 'true',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
  FIRESTORE_EMULATOR_HOST: firestore.hostPort,
  UPSTASH_REDIS_REST_URL: bridge.url,
  UPSTASH_REDIS_REST_TOKEN: 'bench',
  OPENAI_API_KEY: '',
  SENTRY_DSN: '',
};
const users = Array.from({ length: userCount }, (_, i) => unsignedToken(`load-user-${i}`));
const results: Record<string, Result> = {};
try {
  const hello = await serve('hello', join(root, 'dev', 'bench', 'hello.cjs'), env);
  results['baseline: bare onRequest hello'] = await drive((i) =>
    fetch(hello.url).then(async (res) => (await res.arrayBuffer(), res.status)),
  );
  await stop(hello.child);

  const moodLog = await serve('moodLog', 'lib', env);
  // One entry per user first (also warms Firestore), then the reads.
  results['moodLog (1 write + cache invalidation)'] = await drive((i) =>
    fetch(moodLog.url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${users[i % userCount]}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ score: (i % 10) + 1, tags: ['load'] }),
    }).then(async (res) => (await res.arrayBuffer(), res.status)),
  );
  await stop(moodLog.child);

  const moodGet = await serve('moodGet', 'lib', env);
  const readMoods = (i: number) =>
    fetch(`${moodGet.url}?limit=20`, {
      headers: { Authorization: `Bearer ${users[i % userCount]}` },
    }).then(async (res) => (await res.arrayBuffer(), res.status));
  results['moodGet, first reads (cache misses: Firestore)'] = await drive(readMoods);
  results['moodGet, repeat reads (cache hits: Redis only)'] = await drive(readMoods);
  await stop(moodGet.child);
} finally {
  await bridge.stop();
  await redis.stop();
  await firestore.stop();
}

console.log(
  `load: ${concurrency} concurrent clients, ${seconds} s per run, ${userCount} users, one Functions Framework process`,
);
for (const [name, r] of Object.entries(results)) {
  console.log(
    `  ${name.padEnd(52)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99
      .toFixed(1)
      .padStart(6)} ms  statuses ${JSON.stringify(r.statuses)}`,
  );
}

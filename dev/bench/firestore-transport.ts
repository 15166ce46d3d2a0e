/**
 * Firestore over gRPC (the client's default, what the functions use) against Firestore over REST
 * (FIRESTORE_PREFER_REST=true), side by side in one run: a cold start to the first answered
 * read, and the server's CPU and latency per request once warm. The same moodLog and moodGet
 * code is served by four Functions Framework processes, two of them over REST; requests go to
 * both transports in alternating batches, each a write or an uncached read (every user is read
 * once, after its write), so every request reaches Firestore.
 *
 *   npm --prefix functions run build && node dev/bench/firestore-transport.ts [--rounds 8] [--batch 100] [--cold 7]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { localParams } from './local-params.ts';
import { cpuTicks, TICK_MS } from './process-cpu.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { startRedisBridge } from '../redis-bridge/server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '10' },
    cold: { type: 'string', default: '7' },
  },
});
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const concurrency = Number(values.concurrency);
const coldRuns = Number(values.cold);
const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');
const PROJECT = 'demo-stilla-transport-bench';
const TRANSPORTS = ['grpc', 'rest'] as const;
type Transport = (typeof TRANSPORTS)[number];

const cpuMs = (pid: number): number => cpuTicks(pid) * TICK_MS;
const token = (sub: string) => unsignedFor(PROJECT, sub);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

const firestore = await startFirestoreEmulator({ port: 0 });
const redis = await startRedisServer({ port: await getFreePort() });
const bridge = await startRedisBridge({
  port: await getFreePort(),
  redisUrl: `redis://127.0.0.1:${redis.port}`,
  token: 'bench',
});
const baseEnv = {
  ...localParams(functionsDir),
  GCLOUD_PROJECT: PROJECT,
  FUNCTIONS_EMULATOR: 'true',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
  FIRESTORE_EMULATOR_HOST: firestore.hostPort,
  UPSTASH_REDIS_REST_URL: bridge.url,
  UPSTASH_REDIS_REST_TOKEN: 'bench',
  OPENAI_API_KEY: '',
  SENTRY_DSN: '',
};
const envFor = (transport: Transport) => ({
  ...process.env,
  ...baseEnv,
  FIRESTORE_PREFER_REST: transport === 'rest' ? 'true' : 'false',
});

function spawnFunction(target: string, transport: Transport, port: number): ChildProcess {
  return spawn(
    process.execPath,
    [framework, `--target=${target}`, `--port=${port}`, '--source=lib'],
    { cwd: functionsDir, env: envFor(transport), stdio: 'ignore' },
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

async function request(url: string, sub: string, write: boolean): Promise<number> {
  const res = await fetch(write ? url : `${url}?limit=20`, {
    method: write ? 'POST' : 'GET',
    headers: {
      Authorization: `Bearer ${token(sub)}`,
      ...(write ? { 'Content-Type': 'application/json' } : {}),
    },
    body: write ? JSON.stringify({ score: 7, tags: ['bench'], note: 'a walk' }) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Spawn to the first answered moodGet (a Firestore read), ms. */
async function coldStart(transport: Transport, run: number): Promise<number> {
  const port = await getFreePort();
  const t0 = performance.now();
  const child = spawnFunction('moodGet', transport, port);
  try {
    for (;;) {
      try {
        const status = await request(
          `http://127.0.0.1:${port}/`,
          `cold-${transport}-${run}`,
          false,
        );
        if (status !== 200) throw new Error(`cold moodGet answered ${status}`);
        return performance.now() - t0;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('cold moodGet')) throw error;
        if (performance.now() - t0 > 30_000) throw new Error('no cold response within 30 s');
        await sleep(5);
      }
    }
  } finally {
    await stop(child);
  }
}

interface Served {
  url: string;
  child: ChildProcess;
}
async function serve(target: string, transport: Transport): Promise<Served> {
  const port = await getFreePort();
  const child = spawnFunction(target, transport, port);
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 600; i++) {
    try {
      await request(url, `warm-${target}-${transport}`, target === 'moodLog');
      return { url, child };
    } catch {
      await sleep(25);
    }
  }
  throw new Error(`${target} (${transport}) did not start`);
}

/** `count` requests, `concurrency` at a time; latencies in ms. */
async function runBatch(
  served: Served,
  write: boolean,
  users: string[],
): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const sub = users[next++]!;
      const t0 = performance.now();
      const status = await request(served.url, sub, write).catch(() => 0);
      latencies.push(performance.now() - t0);
      if (status < 200 || status >= 300) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors };
}

const children: ChildProcess[] = [];
try {
  // ---- cold starts, alternating; the first of each unmeasured (it warms the file cache)
  const cold: Record<Transport, number[]> = { rest: [], grpc: [] };
  for (const transport of TRANSPORTS) await coldStart(transport, -1);
  for (let run = 0; run < coldRuns; run++) {
    const order = run % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse();
    for (const transport of order) cold[transport].push(await coldStart(transport, run));
  }

  // ---- warm: writes, then one uncached read per written user
  const servers = new Map<string, Served>();
  for (const target of ['moodLog', 'moodGet']) {
    for (const transport of TRANSPORTS) {
      const served = await serve(target, transport);
      children.push(served.child);
      servers.set(`${target}:${transport}`, served);
    }
  }
  const figures = new Map<string, { cpu: number; latencies: number[]; errors: number }>();
  for (const [target, write] of [
    ['moodLog', true],
    ['moodGet', false],
  ] as const) {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse();
      for (const transport of order) {
        const key = `${target}:${transport}`;
        const served = servers.get(key)!;
        const users = Array.from({ length: batch }, (_, i) => `u-${transport}-${round}-${i}`);
        const before = cpuMs(served.child.pid!);
        const { latencies, errors } = await runBatch(served, write, users);
        const entry = figures.get(key) ?? { cpu: 0, latencies: [], errors: 0 };
        entry.cpu += cpuMs(served.child.pid!) - before;
        entry.latencies.push(...latencies);
        entry.errors += errors;
        figures.set(key, entry);
      }
    }
  }

  console.log(
    `Firestore transport, gRPC (shipped) beside REST, one run (${coldRuns} cold starts each, alternating; ${rounds} alternating batches of ${batch} requests, ${concurrency} at a time, per process)`,
  );
  console.log('\ncold start, spawn to the first answered moodGet (a Firestore read):');
  for (const transport of TRANSPORTS) {
    const xs = cold[transport];
    console.log(
      `  ${transport.padEnd(5)} median ${quantile(xs, 0.5).toFixed(0)} ms  runs ${xs.map((x) => x.toFixed(0)).join(', ')}`,
    );
  }
  console.log('\nwarm, per request (server process CPU, utime + stime; latency at the client):');
  console.log('  function  transport  requests  errors  CPU ms/request  p50 ms  p95 ms');
  for (const [key, f] of figures) {
    const [target, transport] = key.split(':') as [string, string];
    console.log(
      `  ${target.padEnd(9)} ${transport.padEnd(10)} ${String(f.latencies.length).padStart(8)}  ${String(f.errors).padStart(6)}  ${(f.cpu / f.latencies.length).toFixed(3).padStart(14)}  ${quantile(f.latencies, 0.5).toFixed(1).padStart(6)}  ${quantile(f.latencies, 0.95).toFixed(1).padStart(6)}`,
    );
  }
} finally {
  for (const child of children) await stop(child);
  await bridge.stop();
  await redis.stop();
  await firestore.stop();
}

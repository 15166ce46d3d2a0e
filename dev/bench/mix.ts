/**
 * The performance proof (`npm run bench`): every function on the production runtime, 10,000
 * users with real RS256 ID tokens, a realistic mix at a fixed open-loop rate, the baseline in
 * the same run, cold starts; writes docs/PERFORMANCE.md, its SVG charts and the figures as JSON
 * (docs/performance/results.json, which dev/bench/capacity.ts turns into docs/CAPACITY.md).
 *
 * Each function runs in its own Functions Framework process (so its CPU counters are its own),
 * with its own Upstash bridge in front of one redis-server (so Redis round trips are its own)
 * and dev/bench/firestore-counter.cjs preloaded (Firestore RPCs and documents). The Firestore
 * emulator, the bridges and the fake model run in their own processes; the load generator is
 * this process. Loopback only, bounded in time; every process it starts is stopped.
 *
 *   npm --prefix functions run build && node dev/bench/mix.ts [--short] [--out DIR]
 *     [--rate 500] [--seconds 60] [--warmup 10] [--users 10000]
 *     [--sweep 50,100,150,200,300] [--sweep-seconds 20]
 *   STILLA_BENCH_CPU_PROF=DIR ...   # also write .cpuprofile files of every function process
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { generateSigningKey, startJwksServer } from '../jwks/server.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { capacityMarkdown } from './capacity.ts';
import { localParams } from './local-params.ts';
import { cpuTicks, TICK_MS } from './process-cpu.ts';
import {
  cpuSvg,
  latencySvg,
  markdown,
  percentile,
  type BenchResults,
  type ColdProfile,
  type ColdStart,
  type FunctionFigures,
  type ProcessFigures,
  type SweepRow,
} from './report.ts';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    out: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    users: { type: 'string' },
    'cold-runs': { type: 'string' },
    sweep: { type: 'string' },
    'sweep-seconds': { type: 'string' },
  },
});
const short = values.short;
const root = resolve(import.meta.dirname, '..', '..');
const outDir = resolve(values.out ?? join(root, 'docs'));
const rate = Number(values.rate ?? (short ? 60 : 500));
const seconds = Number(values.seconds ?? (short ? 3 : 60));
const warmupSeconds = Number(values.warmup ?? (short ? 1 : 10));
const userCount = Number(values.users ?? (short ? 200 : 10_000));
const coldRuns = Number(values['cold-runs'] ?? (short ? 1 : 3));
/** Lower rates run before the main one, to find where this machine still holds the targets. */
const sweepRates = (values.sweep ?? (short ? '30' : '50,100,150,200,300'))
  .split(',')
  .filter(Boolean)
  .map(Number);
const sweepSeconds = Number(values['sweep-seconds'] ?? (short ? 2 : 20));
/** The baseline's rate beside `stillaRate` req/s to Stilla's functions: 5 % more, at least 1. */
const baselineRateAt = (stillaRate: number) => Math.max(1, Math.round(stillaRate * 0.05));
/** Every request per second the open loop sends at `stillaRate`, the baseline's included. */
const totalRateAt = (stillaRate: number) => stillaRate + baselineRateAt(stillaRate);
const baselineRate = baselineRateAt(rate);
const cachedPhase = short
  ? { users: 40, rate: 40, seconds: 2 }
  : { users: 1_000, rate: 100, seconds: 30 };

const functionsDir = join(root, 'functions');
const framework = join(
  functionsDir,
  'node_modules',
  '@google-cloud',
  'functions-framework',
  'build',
  'src',
  'main.js',
);
const counterHook = join(root, 'dev', 'bench', 'firestore-counter.cjs');
const coldProfileHook = join(root, 'dev', 'bench', 'cold-start-profile.cjs');
const PROJECT = 'demo-stilla-bench';
const MODEL_LATENCY_MS = 400;
const DELTA_DELAY_MS = 33; // ~30 words (tokens) a second
const REPLY = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
const CHAT_MARKER = 'bench-chat';
const CLIENT_TIMEOUT_MS = 30_000;

const hasAllocations = existsSync(join(functionsDir, 'lib', 'endpoints', 'allocations.js'));
/** Share of Stilla's rate per function; allocations' share goes to moodGet until it exists. */
const mix: Record<string, number> = {
  moodGet: hasAllocations ? 0.5 : 0.58,
  moodLog: 0.25,
  weeklyAnalysis: 0.07,
  aiHistory: 0.07,
  ...(hasAllocations ? { allocations: 0.08 } : {}),
  aiChat: 0.03,
};
const AI_FUNCTIONS = new Set(['aiChat', 'weeklyAnalysis']);
const stillaFunctions = Object.keys(mix);
const allFunctions = ['hello', ...stillaFunctions];
/**
 * Cold starts only: hello plus one Firestore read through firebase-admin (hello-firestore.cjs),
 * the floor under every function that reads Firestore. Reported beside the others, not held to
 * the target.
 */
const FIRESTORE_FLOOR = 'helloFirestore';
const coldFunctions = [...allFunctions, FIRESTORE_FLOOR];
/**
 * A second moodGet process with STILLA_BENCH_BEFORE=1, the code paths before the CPU work (the
 * Upstash SDK's fetch transport, every token verified): served only in the cached phase, to show
 * the changes' effect in the same run.
 */
const BEFORE_MOODGET = 'moodGet:before';

// ---------------------------------------------------------------- processes

const started: ChildProcess[] = [];
function track(child: ChildProcess): ChildProcess {
  started.push(child);
  child.once('exit', () => started.splice(started.indexOf(child), 1));
  return child;
}
async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
  await exited;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => (socket.destroy(), done(false)));
    });
    if (open) return;
    if (performance.now() > deadlineMs) throw new Error(`port ${port} did not open`);
    await sleep(5);
  }
}

/** First stdout line matching `pattern` of a child process. */
async function lineOf(child: ChildProcess, pattern: RegExp): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const match = pattern.exec(line);
    if (match) return match[1] ?? line;
  }
  throw new Error(`process ended before printing ${pattern}`);
}

/**
 * CPU ticks of every process this benchmark started, and of itself (the load generator and the
 * key server), summed by part: where the machine's cores go at a given rate.
 */
function ticksByPart(): Map<string, number> {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 3)
    .map(([pid, ppid, ...args]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      args: args.join(' '),
    }));
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  const out = new Map<string, number>();
  for (const p of table) {
    if (!mine.has(p.pid) || /^ps\b/.test(p.args)) continue;
    let ticks: number;
    try {
      ticks = cpuTicks(p.pid);
    } catch {
      continue; // ended meanwhile
    }
    const part = partOf(p.pid, p.args);
    out.set(part, (out.get(part) ?? 0) + ticks);
  }
  return out;
}

function partOf(pid: number, args: string): string {
  if (pid === process.pid) return 'load generator (+ key server)';
  // By process, not by --target: two processes serve moodGet (moodGet and moodGet:before).
  for (const s of served.values()) if (s.child.pid === pid) return partName(s.fn);
  if (args.includes('redis-server')) return 'redis-server';
  if (args.includes('redis-bridge')) return 'Upstash bridges';
  if (args.includes('fake-openai')) return 'fake model';
  if (args.includes('FirestoreServer') || args.includes('firestore')) return 'Firestore emulator';
  return 'other';
}

/** The part a function's process is counted under. */
const partName = (fn: string) => (fn === 'hello' ? 'hello (baseline)' : `function ${fn}`);

/** A {@link ticksByPart} reading with its time. */
interface PartsReading {
  at: number;
  ticks: Map<string, number>;
}
const partsNow = (): PartsReading => ({ at: performance.now(), ticks: ticksByPart() });

/** Cores each part used between two readings (CPU time / elapsed time). */
function coresByPart(a: PartsReading, b: PartsReading): { part: string; cores: number }[] {
  const elapsedMs = b.at - a.at;
  return [...b.ticks]
    .map(([part, ticks]) => ({
      part,
      cores: ((ticks - (a.ticks.get(part) ?? 0)) * TICK_MS) / elapsedMs,
    }))
    .sort((x, y) => y.cores - x.cores);
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function otherProcesses(): string[] {
  const mine = new Set([process.pid, process.ppid]);
  return execFileSync('ps', ['-eo', 'pid,pcpu,args', '--sort=-pcpu'], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => {
      const [pid, pcpu] = line.split(/\s+/);
      return line && !mine.has(Number(pid)) && Number(pcpu) >= 1 && !line.includes(' ps -eo');
    })
    .slice(0, 12)
    .map((line) => {
      const [, pcpu, ...args] = line.split(/\s+/);
      return `${pcpu!.padStart(5)} %  ${args.join(' ').slice(0, 110)}`;
    });
}

// ---------------------------------------------------------------- users and requests

function signer() {
  const key = generateSigningKey();
  const privateKey = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' })).toString(
    'base64url',
  );
  return {
    key,
    token(sub: string): string {
      const now = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(
        JSON.stringify({
          iss: `https://securetoken.google.com/${PROJECT}`,
          aud: PROJECT,
          sub,
          iat: now - 10,
          auth_time: now - 10,
          exp: now + 3600,
        }),
      ).toString('base64url');
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
      return `${header}.${payload}.${signature.toString('base64url')}`;
    },
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sends the same mix. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  fn: string;
  method: string;
  query?: string;
  token?: string;
  body?: unknown;
  stream?: boolean;
}

const month = new Date().toISOString().slice(0, 7);
function callFor(fn: string, token: string, i: number, rnd: () => number): Call {
  switch (fn) {
    case 'moodGet':
      return { fn, method: 'GET', query: '?limit=20', token };
    case 'moodLog':
      return {
        fn,
        method: 'POST',
        token,
        body: {
          score: (i % 10) + 1,
          tags: ['bench', i % 2 ? 'sleep' : 'work'],
          ...(i % 2 ? { note: 'Slept well and took a long walk before work.' } : {}),
        },
      };
    case 'weeklyAnalysis':
      return { fn, method: 'GET', query: i % 3 ? '' : '?tz=Europe/Stockholm&lang=sv', token };
    case 'aiHistory':
      return { fn, method: 'GET', token };
    case 'allocations':
      return rnd() < 0.8
        ? { fn, method: 'GET', query: `?month=${month}`, token }
        : {
            fn,
            method: 'PUT',
            token,
            body: {
              month,
              currency: 'SEK',
              categories: [
                { key: 'rent', budget: 800_000, actual: 800_000, targetPercent: 50 },
                { key: 'food', budget: 400_000, actual: (i % 40) * 10_000, targetPercent: 25 },
                { key: 'fun', budget: 100_000, actual: (i % 7) * 5_000 },
              ],
            },
          };
    case 'aiChat':
      return {
        fn,
        method: 'POST',
        token,
        stream: true,
        body: { message: `${CHAT_MARKER} ${i}: how can I wind down after a long day?` },
      };
    default:
      return { fn, method: 'GET' };
  }
}

interface Outcome {
  fn: string;
  cache: string | null;
  status: number;
  latency: number;
  firstDelta?: number;
  scheduled: number;
  lag: number;
}

async function send(url: string, call: Call, scheduled: number): Promise<Outcome> {
  const lag = performance.now() - scheduled;
  let status = 0;
  let cache: string | null = null;
  let firstDelta: number | undefined;
  try {
    const res = await fetch(`${url}${call.query ?? ''}`, {
      method: call.method,
      headers: {
        ...(call.token ? { Authorization: `Bearer ${call.token}` } : {}),
        ...(call.body ? { 'Content-Type': 'application/json' } : {}),
        ...(call.stream ? { Accept: 'text/event-stream' } : {}),
      },
      body: call.body ? JSON.stringify(call.body) : undefined,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    status = res.status;
    cache = res.headers.get('x-cache');
    if (call.stream && res.body) {
      let text = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (firstDelta === undefined) {
          text += Buffer.from(chunk).toString('utf8');
          if (text.includes('event: delta')) firstDelta = performance.now() - scheduled;
        }
      }
    } else {
      await res.arrayBuffer();
    }
  } catch {
    status = 0;
  }
  return {
    fn: call.fn,
    cache,
    status,
    latency: performance.now() - scheduled,
    firstDelta,
    scheduled,
    lag,
  };
}

/** Reads answered other than from the cache (`X-Cache` not `HIT`). */
const notHits = (outcomes: Outcome[]) => outcomes.filter((o) => o.cache !== 'HIT').length;

/**
 * Open loop: request k is due at start + k / rate and is sent then, whatever the servers are
 * doing; latency counts from that time. Waits for the stragglers at the end.
 */
async function openLoop(
  totalRate: number,
  durationSeconds: number,
  next: (k: number) => { url: string; call: Call },
): Promise<{ outcomes: Outcome[]; start: number }> {
  const outcomes: Outcome[] = [];
  const pending = new Set<Promise<void>>();
  const total = Math.round(totalRate * durationSeconds);
  const interval = 1000 / totalRate;
  const start = performance.now() + 5;
  let k = 0;
  while (k < total) {
    const now = performance.now();
    while (k < total && start + k * interval <= now) {
      const { url, call } = next(k);
      const p = send(url, call, start + k * interval).then((o) => void outcomes.push(o));
      pending.add(p);
      void p.finally(() => pending.delete(p));
      k++;
    }
    await sleep(1);
  }
  await Promise.all(pending);
  return { outcomes, start };
}

// ---------------------------------------------------------------- figures

function figures(name: string, fn: string, outcomes: Outcome[], window: number): FunctionFigures {
  const latencies = outcomes.map((o) => o.latency).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const deltas = outcomes
    .map((o) => o.firstDelta)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  return {
    name,
    fn,
    kind: fn === 'hello' ? 'baseline' : AI_FUNCTIONS.has(fn) ? 'ai' : 'plain',
    requests: outcomes.length,
    perSecond: outcomes.length / window,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    statuses,
    errors: outcomes.filter((o) => o.status === 0 || o.status >= 400).length,
    ...(deltas.length > 0
      ? { firstDeltaP50: percentile(deltas, 0.5), firstDeltaP95: percentile(deltas, 0.95) }
      : {}),
  };
}

/**
 * One rate's summary from its outcomes and the CPU readings around them: does this machine hold
 * the targets there, where do its cores go, and what each function costs per request.
 */
function sweepRow(
  stillaRate: number,
  outcomes: Outcome[],
  window: number,
  before: PartsReading,
  after: PartsReading,
): SweepRow {
  const cores = coresByPart(before, after);
  const elapsedMs = after.at - before.at;
  const rows = allFunctions.map((fn) =>
    figures(
      fn,
      fn,
      outcomes.filter((o) => o.fn === fn),
      window,
    ),
  );
  const worst = rows
    .filter((row) => row.kind === 'plain')
    .reduce((w, row) => (row.p95 > w.p95 ? row : w));
  const stilla = outcomes.filter((o) => o.fn !== 'hello');
  const lags = outcomes.map((o) => o.lag).sort((x, y) => x - y);
  return {
    rate: stillaRate,
    seconds: window,
    answeredPerSecond: stilla.filter((o) => o.status > 0 && o.status < 400).length / window,
    errors: stilla.filter((o) => o.status === 0 || o.status >= 400).length,
    worstPlainP95: { fn: worst.fn, ms: worst.p95 },
    generatorLagMsP99: percentile(lags, 0.99),
    cores,
    cpuMsPerRequest: Object.fromEntries(
      rows.map((row) => {
        const used = cores.find((c) => c.part === partName(row.fn))?.cores ?? 0;
        return [row.fn, row.requests > 0 ? (used * elapsedMs) / row.requests : NaN];
      }),
    ),
    p50Ms: Object.fromEntries(rows.map((row) => [row.fn, row.p50])),
  };
}

function timeline(outcomes: Outcome[], start: number, window: number): (number | null)[] {
  const buckets: number[][] = Array.from({ length: Math.ceil(window) }, () => []);
  for (const o of outcomes) buckets[Math.floor((o.scheduled - start) / 1000)]?.push(o.latency);
  return buckets.map((b) =>
    b.length === 0
      ? null
      : percentile(
          b.sort((x, y) => x - y),
          0.95,
        ),
  );
}

// ---------------------------------------------------------------- the run

console.log(
  `bench: ${short ? 'SHORT ' : ''}${rate} req/s (+${baselineRate} baseline) for ${seconds} s after ${warmupSeconds} s warm-up, ${userCount} users, functions: ${stillaFunctions.join(', ')}`,
);
const before = { load: loadavg(), others: otherProcesses() };
const params = localParams(functionsDir);
const firestore = await startFirestoreEmulator({ port: 0 });
const redis = await startRedisServer({ port: await getFreePort() });
const bridgeToken = 'bench';
const sign256 = signer();
const jwks = await startJwksServer({ key: sign256.key });
const fakeProcess = track(
  spawn(process.execPath, [join(root, 'dev', 'fake-openai', 'main.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
const fakeUrl = await lineOf(fakeProcess, /^(http:\/\/\S+)$/);
fakeProcess.stdout?.resume();
const fakeControl = fakeUrl.replace(/\/v1$/, '');

interface Served {
  fn: string;
  url: string;
  child: ChildProcess;
  bridgeUrl: string;
  counterPort: number;
}
const served = new Map<string, Served>();

try {
  const baseEnv: Record<string, string> = {
    ...params,
    GCLOUD_PROJECT: PROJECT,
    FUNCTIONS_EMULATOR: 'true',
    STILLA_AUTH_JWKS_URL: jwks.url,
    FIRESTORE_EMULATOR_HOST: firestore.hostPort,
    UPSTASH_REDIS_REST_TOKEN: bridgeToken,
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: fakeUrl,
    SENTRY_DSN: '',
  };
  // Not inherited: the Auth emulator's unsigned tokens must not be accepted here.
  const inherited = { ...process.env };
  delete inherited.FIREBASE_AUTH_EMULATOR_HOST;
  delete inherited.NODE_OPTIONS;

  const bridges = new Map<string, string>();
  for (const fn of [...stillaFunctions, BEFORE_MOODGET]) {
    const bridge = track(
      spawn(
        process.execPath,
        [
          join(root, 'dev', 'redis-bridge', 'main.ts'),
          '--port',
          String(await getFreePort()),
          '--redis-port',
          String(redis.port),
          '--token',
          bridgeToken,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    );
    bridges.set(fn, await lineOf(bridge, /^UPSTASH_REDIS_REST_URL=(\S+)$/));
    bridge.stdout?.resume();
  }

  console.log('bench: signing tokens');
  const tokens = Array.from({ length: userCount }, (_, i) => sign256.token(`bench-user-${i}`));

  const functionEnv = (fn: string, extra: Record<string, string> = {}) => ({
    ...inherited,
    ...baseEnv,
    UPSTASH_REDIS_REST_URL: bridges.get(fn) ?? bridges.get('moodGet')!,
    ...extra,
  });
  const source = (fn: string) =>
    fn === 'hello'
      ? join(root, 'dev', 'bench', 'hello.cjs')
      : fn === FIRESTORE_FLOOR
        ? join(root, 'dev', 'bench', 'hello-firestore.cjs')
        : 'lib';
  // A user of its own per cold start, so no run is answered from what an earlier one cached.
  let coldUsers = 0;
  const coldCall = (fn: string): Call => {
    const token = sign256.token(`bench-cold-user-${coldUsers++}`);
    return fn === 'aiChat'
      ? { fn, method: 'POST', token, body: { message: 'cold start, a short hello' } }
      : callFor(fn, token, 1, () => 0);
  };

  // ---- cold starts (quiet machine, no load, the model answers at once)
  console.log('bench: cold starts');
  const cold = new Map<string, { listening: number[]; first: number[] }>();
  // With `profileTo`, the process is instrumented (cold-start-profile.cjs) and writes there where
  // its cold start went; such a run is reported apart and never counted in the medians.
  const coldStart = async (fn: string, profileTo?: string) => {
    const port = await getFreePort();
    const t0 = performance.now();
    const hook = profileTo === undefined ? [] : ['-r', coldProfileHook];
    const env: Record<string, string> =
      profileTo === undefined ? {} : { STILLA_COLD_PROFILE_OUT: profileTo };
    const child = track(
      spawn(
        process.execPath,
        [...hook, framework, `--target=${fn}`, `--port=${port}`, `--source=${source(fn)}`],
        { cwd: functionsDir, env: functionEnv(fn, env), stdio: 'ignore' },
      ),
    );
    try {
      await waitForPort(port, t0 + 30_000);
      const listening = performance.now() - t0;
      const outcome = await send(`http://127.0.0.1:${port}/`, coldCall(fn), performance.now());
      if (outcome.status === 0 || outcome.status >= 400) {
        throw new Error(`${fn} cold start answered ${outcome.status}`);
      }
      // The profile is written as the response finishes: wait for it before the kill.
      for (const until = performance.now() + 5_000; profileTo !== undefined; await sleep(10)) {
        if (existsSync(profileTo)) break;
        if (performance.now() > until) throw new Error(`${fn}: no cold-start profile`);
      }
      return { listening, first: performance.now() - t0 };
    } finally {
      await stop(child, 'SIGKILL');
    }
  };
  await coldStart('moodGet'); // warms the OS file cache and the emulator, unmeasured
  for (let run = 0; run < coldRuns; run++) {
    for (const fn of coldFunctions) {
      const { listening, first } = await coldStart(fn);
      const entry = cold.get(fn) ?? { listening: [], first: [] };
      entry.listening.push(listening);
      entry.first.push(first);
      cold.set(fn, entry);
    }
  }
  const coldProfiles: ColdProfile[] = [];
  const profileDir = mkdtempSync(join(tmpdir(), 'stilla-cold-'));
  for (const fn of allFunctions) {
    const file = join(profileDir, `${fn}.json`);
    await coldStart(fn, file);
    coldProfiles.push({
      fn,
      ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<ColdProfile, 'fn'>),
    });
  }
  rmSync(profileDir, { recursive: true, force: true });

  // ---- the model: slow and streamed, as a real one
  const addRule = async (rule: unknown) => {
    const res = await fetch(`${fakeControl}/__rules`, {
      method: 'POST',
      body: JSON.stringify(rule),
    });
    if (res.status !== 201) throw new Error(`fake-openai rule: ${res.status} ${await res.text()}`);
  };
  await addRule({
    endpoint: 'chat',
    behavior: { latencyMs: MODEL_LATENCY_MS, deltaDelayMs: DELTA_DELAY_MS },
  });
  await addRule({
    endpoint: 'chat',
    match: CHAT_MARKER,
    behavior: { content: REPLY, latencyMs: MODEL_LATENCY_MS, deltaDelayMs: DELTA_DELAY_MS },
  });

  // ---- one process per function, for the load
  console.log('bench: starting the functions');
  const profile = process.env.STILLA_BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.STILLA_BENCH_CPU_PROF)}`]
    : [];
  await Promise.all(
    [...allFunctions, BEFORE_MOODGET].map(async (fn) => {
      const port = await getFreePort();
      const counterPort = await getFreePort();
      const target = fn.split(':')[0] as string;
      const child = track(
        spawn(
          process.execPath,
          [
            ...profile,
            framework,
            `--target=${target}`,
            `--port=${port}`,
            `--source=${source(target)}`,
          ],
          {
            cwd: functionsDir,
            env: functionEnv(
              fn,
              fn === 'hello'
                ? {}
                : {
                    NODE_OPTIONS: `--require ${counterHook}`,
                    STILLA_BENCH_FIRESTORE_COUNTER_PORT: String(counterPort),
                    ...(fn === BEFORE_MOODGET ? { STILLA_BENCH_BEFORE: '1' } : {}),
                  },
            ),
            stdio: 'ignore',
          },
        ),
      );
      await waitForPort(port, performance.now() + 60_000);
      served.set(fn, {
        fn,
        url: `http://127.0.0.1:${port}/`,
        child,
        bridgeUrl: bridges.get(fn) ?? '',
        counterPort: fn === 'hello' ? 0 : counterPort,
      });
    }),
  );

  const totalRate = totalRateAt(rate);
  /** Who each request of the open loop goes to: the mix at `stillaRate`, plus the baseline. */
  const pick = (seed: number, stillaRate = rate) => {
    const rnd = random(seed);
    const total = totalRateAt(stillaRate);
    const weights: (readonly [string, number])[] = [
      ['hello', baselineRateAt(stillaRate) / total],
      ...stillaFunctions.map((fn) => [fn, ((mix[fn] as number) * stillaRate) / total] as const),
    ];
    return (k: number) => {
      let r = rnd();
      let fn = 'hello';
      for (const [name, w] of weights) {
        if (r < w) {
          fn = name;
          break;
        }
        r -= w;
      }
      const token = tokens[Math.floor(rnd() * userCount)] as string;
      return { url: served.get(fn)!.url, call: callFor(fn, token, k, rnd) };
    };
  };

  const snapshot = async () => {
    const out = new Map<
      string,
      {
        cpu: number;
        redis: { requests: number; commands: number } | null;
        fs: Record<string, number> | null;
      }
    >();
    for (const [fn, s] of served) {
      const redisStats = s.bridgeUrl
        ? ((await (await fetch(`${s.bridgeUrl}/__stats`)).json()) as {
            requests: number;
            commands: number;
          })
        : null;
      const fs = s.counterPort
        ? ((await (await fetch(`http://127.0.0.1:${s.counterPort}/`)).json()) as Record<
            string,
            number
          >)
        : null;
      out.set(fn, { cpu: cpuTicks(s.child.pid!), redis: redisStats, fs });
    }
    return out;
  };
  const processFigures = (
    fn: string,
    requests: number,
    a: Awaited<ReturnType<typeof snapshot>>,
    b: Awaited<ReturnType<typeof snapshot>>,
  ): Omit<ProcessFigures, 'cpuRatioToBaseline'> => {
    const x = a.get(fn)!;
    const y = b.get(fn)!;
    const per = (n: number) => (requests > 0 ? n / requests : NaN);
    const fsDelta = (key: string) => (y.fs ? per((y.fs[key] ?? 0) - (x.fs?.[key] ?? 0)) : null);
    const rpcs = y.fs
      ? per(
          Object.entries(y.fs)
            .filter(([key]) => key.startsWith('rpc '))
            .reduce((sum, [key, v]) => sum + v - (x.fs?.[key] ?? 0), 0),
        )
      : null;
    const mem = memoryMb(served.get(fn)!.child.pid!);
    return {
      fn,
      requests,
      cpuMsPerRequest: per((y.cpu - x.cpu) * TICK_MS),
      redisRoundTripsPerRequest: y.redis ? per(y.redis.requests - x.redis!.requests) : null,
      redisCommandsPerRequest: y.redis ? per(y.redis.commands - x.redis!.commands) : null,
      firestoreReadsPerRequest: fsDelta('documents read'),
      firestoreWritesPerRequest: fsDelta('documents written'),
      firestoreRpcsPerRequest: rpcs,
      rssMb: mem.rss,
      peakRssMb: mem.peak,
    };
  };

  // ---- every process warmed up first (JIT, lazily loaded modules, connections): a fresh process's
  // first requests block on loading Firestore's SDK, long enough for Redis calls issued beside
  // them to miss their 250 ms deadline and open the circuit for a few seconds.
  console.log('bench: warm-up');
  await openLoop(totalRateAt(Math.min(rate, 50)), warmupSeconds, pick(3, Math.min(rate, 50)));

  // ---- cached reads on their own, beside the baseline at the same rate; before the sweep,
  // while no process has a backlog of abandoned requests from an overloaded phase
  console.log('bench: cached reads');
  const cachedUsers = tokens.slice(0, cachedPhase.users);
  const moodGetUrl = served.get('moodGet')!.url;
  // Each user's list read through each moodGet process once (which warms both alike), so every
  // read below is a hit: a store that one process could not make (its Redis call past the
  // deadline) is made by the other's read.
  const warmRate = Math.min(200, cachedPhase.rate * 2);
  for (const [even, odd] of [
    ['moodGet', BEFORE_MOODGET],
    [BEFORE_MOODGET, 'moodGet'],
  ] as const) {
    await openLoop(warmRate, cachedPhase.users / warmRate, (k) => ({
      url: served.get(k % 2 === 0 ? even : odd)!.url,
      call: callFor('moodGet', cachedUsers[k % cachedPhase.users] as string, k, () => 0),
    }));
  }
  const c0 = await snapshot();
  // Round robin: the baseline, moodGet, and moodGet as before the CPU work.
  const cachedRun = await openLoop(cachedPhase.rate * 3, cachedPhase.seconds, (k) => {
    if (k % 3 === 0)
      return { url: served.get('hello')!.url, call: callFor('hello', '', k, () => 0) };
    const call = callFor(
      'moodGet',
      cachedUsers[Math.floor(k / 3) % cachedPhase.users]!,
      k,
      () => 0,
    );
    return k % 3 === 1
      ? { url: moodGetUrl, call }
      : { url: served.get(BEFORE_MOODGET)!.url, call: { ...call, fn: BEFORE_MOODGET } };
  });
  await sleep(300);
  const c1 = await snapshot();
  const cachedHello = cachedRun.outcomes.filter((o) => o.fn === 'hello');
  const cachedGets = cachedRun.outcomes.filter((o) => o.fn === 'moodGet');
  const cachedBaselineProcess = processFigures('hello', cachedHello.length, c0, c1);
  const cachedMoodGetProcess = processFigures('moodGet', cachedGets.length, c0, c1);
  const cachedBeforeGets = cachedRun.outcomes.filter((o) => o.fn === BEFORE_MOODGET);
  const cachedBeforeProcess = processFigures(BEFORE_MOODGET, cachedBeforeGets.length, c0, c1);
  const cached: BenchResults['cached'] = {
    baseline: {
      ...figures('hello', 'hello', cachedHello, cachedPhase.seconds),
      ...cachedBaselineProcess,
      cpuRatioToBaseline: 1,
    },
    moodGet: {
      ...figures('moodGet, cache hit', 'moodGet', cachedGets, cachedPhase.seconds),
      ...cachedMoodGetProcess,
      misses: notHits(cachedGets),
      cpuRatioToBaseline:
        cachedMoodGetProcess.cpuMsPerRequest / cachedBaselineProcess.cpuMsPerRequest,
    },
    before: {
      ...figures(
        'moodGet, cache hit, before (SDK fetch transport, every token verified)',
        'moodGet',
        cachedBeforeGets,
        cachedPhase.seconds,
      ),
      ...cachedBeforeProcess,
      misses: notHits(cachedBeforeGets),
      cpuRatioToBaseline:
        cachedBeforeProcess.cpuMsPerRequest / cachedBaselineProcess.cpuMsPerRequest,
    },
  };
  if (cached.moodGet.misses + (cached.before?.misses ?? 0) > 0) {
    console.warn(
      `bench: reads in the cached phase that were not hits: ${cached.moodGet.misses} (moodGet), ${cached.before?.misses ?? 0} (before)`,
    );
  }

  // ---- lower rates first: where does this machine still hold the targets?
  const sweep: SweepRow[] = [];
  for (const [i, stillaRate] of sweepRates.entries()) {
    console.log(`bench: sweep at ${stillaRate} req/s`);
    const total = totalRateAt(stillaRate);
    await openLoop(total, Math.min(5, warmupSeconds), pick(100 + i, stillaRate));
    const before = partsNow();
    const run = await openLoop(total, sweepSeconds, pick(200 + i, stillaRate));
    sweep.push(sweepRow(stillaRate, run.outcomes, sweepSeconds, before, partsNow()));
  }

  // ---- warm-up, then the measured window
  console.log('bench: warm-up');
  await openLoop(totalRate, warmupSeconds, pick(1));
  await fetch(`${fakeControl}/__requests`, { method: 'DELETE' });
  console.log('bench: measuring');
  const a = await snapshot();
  const partsBefore = partsNow();
  const measured = await openLoop(totalRate, seconds, pick(2));
  const partsAfter = partsNow();
  await sleep(300); // work finishing after a response (none expected) is still counted
  const b = await snapshot();
  sweep.push(sweepRow(rate, measured.outcomes, seconds, partsBefore, partsAfter));
  const chatRequests = (await (await fetch(`${fakeControl}/__requests`)).json()) as {
    path: string;
    body: { messages?: unknown[]; stream?: boolean; response_format?: unknown } | null;
  }[];

  const byFn = (fn: string) => measured.outcomes.filter((o) => o.fn === fn);
  const mixRows: FunctionFigures[] = [];
  const lines: BenchResults['timeline'] = {};
  for (const fn of allFunctions) {
    const rows = byFn(fn);
    mixRows.push(figures(fn, fn, rows, seconds));
    lines[fn] = timeline(rows, measured.start, seconds);
    for (const state of ['HIT', 'MISS']) {
      const subset = rows.filter((o) => o.cache === state);
      if (subset.length > 0 && subset.length < rows.length) {
        mixRows.push(figures(`${fn} (cache ${state.toLowerCase()})`, fn, subset, seconds));
      }
    }
  }
  const helloCpu = processFigures('hello', byFn('hello').length, a, b).cpuMsPerRequest;
  const processes: ProcessFigures[] = allFunctions.map((fn) => {
    const p = processFigures(fn, byFn(fn).length, a, b);
    return { ...p, cpuRatioToBaseline: p.cpuMsPerRequest / helloCpu };
  });

  // ---- model tokens (the fake counts ~4 characters a token, as its usage does)
  const modelTokens: BenchResults['modelTokens'] = {};
  for (const r of chatRequests.filter((r) => r.path.includes('chat/completions'))) {
    const kind = r.body?.stream ? 'aiChat' : r.body?.response_format ? 'weeklyAnalysis' : 'other';
    const entry = (modelTokens[kind] ??= { prompt: 0, completion: 0, calls: 0 });
    entry.calls++;
    entry.prompt += Math.ceil(JSON.stringify(r.body?.messages ?? []).length / 4);
    entry.completion += kind === 'aiChat' ? Math.ceil(REPLY.length / 4) : 0;
  }

  const median = (xs: number[]) =>
    [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const helloCold = median(cold.get('hello')!.first);
  const coldStarts: ColdStart[] = coldFunctions.map((fn) => {
    const entry = cold.get(fn)!;
    return {
      fn,
      ...(fn === FIRESTORE_FLOOR ? { reference: 'hello + one Firestore read (floor)' } : {}),
      listeningMs: median(entry.listening),
      firstResponseMs: median(entry.first),
      runs: entry.first,
      ratioToBaseline: median(entry.first) / helloCold,
    };
  });
  const lags = measured.outcomes.map((o) => o.lag).sort((x, y) => x - y);

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    mode: short ? 'short' : 'full',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverageBefore: before.load,
    },
    otherProcesses: before.others,
    settings: {
      users: userCount,
      rate,
      baselineRate,
      warmupSeconds,
      seconds,
      mix,
      modelLatencyMs: MODEL_LATENCY_MS,
      deltaDelayMs: DELTA_DELAY_MS,
      replyWords: REPLY.split(' ').length,
      cachedPhase,
    },
    generatorLagMsMax: lags.at(-1) ?? 0,
    generatorLagMsP99: percentile(lags, 0.99),
    sweep,
    mix: mixRows,
    processes,
    timeline: lines,
    cached,
    coldStarts,
    coldProfiles,
    modelTokens,
  };

  const assets = join(outDir, 'performance');
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(assets, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(assets, 'latency.svg'), latencySvg(lines));
  writeFileSync(
    join(assets, 'cpu.svg'),
    cpuSvg([
      { name: 'hello (baseline), mix', cpuMs: helloCpu, ratio: null },
      ...processes
        .filter((p) => p.fn !== 'hello')
        .map((p) => ({
          name: `${p.fn}, mix`,
          cpuMs: p.cpuMsPerRequest,
          ratio: p.cpuRatioToBaseline,
        })),
      {
        name: 'hello (baseline), cached phase',
        cpuMs: cached.baseline.cpuMsPerRequest,
        ratio: null,
      },
      {
        name: 'moodGet, cache hit',
        cpuMs: cached.moodGet.cpuMsPerRequest,
        ratio: cached.moodGet.cpuRatioToBaseline,
      },
      {
        name: 'moodGet, cache hit, before',
        cpuMs: cached.before!.cpuMsPerRequest,
        ratio: cached.before!.cpuRatioToBaseline,
      },
    ]),
  );
  const md = join(outDir, 'PERFORMANCE.md');
  writeFileSync(
    md,
    markdown(results, {
      latency: relative(outDir, join(assets, 'latency.svg')),
      cpu: relative(outDir, join(assets, 'cpu.svg')),
    }),
  );
  writeFileSync(join(outDir, 'CAPACITY.md'), capacityMarkdown(results));
  console.log(`bench: wrote ${md}, ${join(outDir, 'CAPACITY.md')} and ${assets}/`);
  for (const row of mixRows) {
    console.log(
      `  ${row.name.padEnd(28)} ${String(row.requests).padStart(6)}  p50 ${row.p50.toFixed(1).padStart(7)}  p95 ${row.p95.toFixed(1).padStart(7)}  p99 ${row.p99.toFixed(1).padStart(7)}  ${JSON.stringify(row.statuses)}`,
    );
  }
  for (const p of processes) {
    console.log(
      `  ${p.fn.padEnd(16)} cpu ${p.cpuMsPerRequest.toFixed(3)} ms/req (${p.cpuRatioToBaseline?.toFixed(1) ?? '–'}x)  redis ${p.redisRoundTripsPerRequest?.toFixed(2)}  fs r ${p.firestoreReadsPerRequest?.toFixed(2)} w ${p.firestoreWritesPerRequest?.toFixed(2)}  rss ${p.rssMb.toFixed(0)} MB`,
    );
  }
  for (const row of sweep) {
    console.log(
      `  at ${String(row.rate).padStart(4)} req/s: answered ${row.answeredPerSecond.toFixed(0)}/s, errors ${row.errors}, worst p95 ${row.worstPlainP95.fn} ${row.worstPlainP95.ms.toFixed(0)} ms, generator lag p99 ${row.generatorLagMsP99.toFixed(0)} ms, cores ${row.cores.reduce((sum, c) => sum + c.cores, 0).toFixed(2)}`,
    );
  }
  console.log(
    `  cached moodGet (before) cpu ${cached.before!.cpuMsPerRequest.toFixed(3)} ms (${cached.before!.cpuRatioToBaseline?.toFixed(2)}x)`,
  );
  console.log(
    `  cached moodGet cpu ${cached.moodGet.cpuMsPerRequest.toFixed(3)} ms vs hello ${cached.baseline.cpuMsPerRequest.toFixed(3)} ms (${cached.moodGet.cpuRatioToBaseline?.toFixed(2)}x), redis ${cached.moodGet.redisRoundTripsPerRequest?.toFixed(2)}, fs reads ${cached.moodGet.firestoreReadsPerRequest?.toFixed(2)}`,
  );
  for (const cs of coldStarts) {
    console.log(
      `  cold ${cs.fn.padEnd(16)} ${cs.firstResponseMs.toFixed(0)} ms (${cs.ratioToBaseline.toFixed(2)}x)`,
    );
  }
} finally {
  for (const child of [...started].reverse()) await stop(child);
  await jwks.stop();
  await redis.stop();
  await firestore.stop();
}

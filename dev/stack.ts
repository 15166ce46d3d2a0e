/**
 * The whole local stack, one implementation for `npm start` and `npm test`:
 * Firestore emulator, redis-server + Upstash REST bridge, (tests) fake OpenAI and JWKS servers,
 * then the real Auth and Functions emulators of firebase-tools serving `functions/lib`.
 * `stop()` ends every process it started, in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFirestoreEmulator } from './firestore/emulator.ts';
import { findRedisServer, startRedisServer } from './redis-bridge/redis-server.ts';
import { startRedisBridge } from './redis-bridge/server.ts';
import { startFakeOpenAI } from './fake-openai/server.ts';
import { startJwksServer } from './jwks/server.ts';
import { startFaultProxy } from './fault-proxy/server.ts';
import { startFakeSentry } from './fake-sentry/server.ts';

export const REGION = 'europe-west1';

export type StackMode = 'dev' | 'test';

/** The local ports of one stack. */
export interface StackPorts {
  functions: number;
  auth: number;
  firestore: number;
  /** The fault proxy the functions reach Firestore through, and its control port. */
  firestoreProxy: number;
  firestoreFaults: number;
  /** Emulator hub and logging of firebase-tools. */
  hub: number;
  logging: number;
  redis: number;
  redisBridge: number;
  fakeOpenAI: number;
  jwks: number;
  /** (tests) the fake Sentry ingest endpoint. */
  sentry: number;
}

/**
 * Fixed local ports (docs/ARCHITECTURE.md). `npm test` has a block of its own (the `npm start`
 * ports + 10,000), so the tests run while a developer keeps `npm start` up. The dev Firebase
 * ports are those of firebase.json; the test ones go into the staged config (stageFunctions),
 * and each mode's functions/.env.<project> points at its own bridge and fake OpenAI
 * (dev/ports.test.ts checks all of that).
 */
export const PORTS: Record<StackMode, StackPorts> = {
  dev: {
    functions: 5001,
    auth: 9099,
    firestore: 8080,
    firestoreProxy: 8081,
    firestoreFaults: 8082,
    hub: 4400,
    logging: 4500,
    redis: 6390,
    redisBridge: 8079,
    fakeOpenAI: 8078,
    jwks: 8077,
    sentry: 8075,
  },
  test: {
    functions: 15001,
    auth: 19099,
    firestore: 18080,
    firestoreProxy: 18081,
    firestoreFaults: 18082,
    hub: 14400,
    logging: 14500,
    redis: 16390,
    redisBridge: 18079,
    fakeOpenAI: 18078,
    jwks: 18077,
    sentry: 18075,
  },
};

/** The project of each mode; functions/.env.<project> holds its params. */
export const PROJECT_IDS: Record<StackMode, string> = {
  dev: 'demo-stilla',
  test: 'demo-stilla-test',
};

/** Token of the local Upstash bridge (local only; production uses a Secret Manager secret). */
export const LOCAL_REDIS_TOKEN = 'stilla-local-redis-token';

export interface StackOptions {
  mode: StackMode;
  /** Repository root. */
  root: string;
  /** Where logs, keys and the query log go (created). */
  dataDir: string;
  /** Prints progress lines. */
  say?: (line: string) => void;
  /** Dev mode: also echo the emulators' output to this stream. */
  echo?: NodeJS.WritableStream;
  /** Aborting stops the start: what was started is stopped, and startStack rejects. */
  signal?: AbortSignal;
}

export interface Stack {
  projectId: string;
  /** Which Firestore emulator runs: only the Node one records queries for the index check. */
  firestoreKind: 'official' | 'node';
  functionsUrl: string;
  redisAvailable: boolean;
  /** Environment for clients (tests) to reach every service. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

type Stopper = () => Promise<void>;

/**
 * Tests run the functions from a snapshot of `functions/` (built code, package.json, env files,
 * node_modules linked) under `dataDir`, so that editing the sources while tests run cannot make
 * the emulator reload mid-suite (which answers 404 while it reloads). Returns the config path.
 */
function stageFunctions(
  root: string,
  dataDir: string,
  projectId: string,
  ports: StackPorts,
): string {
  const stage = join(dataDir, 'firebase');
  rmSync(stage, { recursive: true, force: true });
  const functions = join(stage, 'functions');
  mkdirSync(functions, { recursive: true });
  const source = join(root, 'functions');
  cpSync(join(source, 'lib'), join(functions, 'lib'), { recursive: true });
  for (const file of ['package.json', `.env.${projectId}`])
    cpSync(join(source, file), join(functions, file));
  symlinkSync(join(source, 'node_modules'), join(functions, 'node_modules'), 'dir');
  const config = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8')) as {
    functions: Record<string, unknown>[];
    emulators: Record<string, unknown>;
  };
  const staged = {
    functions: config.functions.map(({ predeploy: _predeploy, ...codebase }) => ({
      ...codebase,
      source: 'functions',
    })),
    emulators: withPorts(config.emulators, ports),
  };
  const configPath = join(stage, 'firebase.json');
  writeFileSync(configPath, JSON.stringify(staged, null, 2));
  return configPath;
}

/**
 * firebase.json's `emulators` with every port taken from `ports`; an emulator with a port that
 * `ports` does not know is an error, so a new one cannot silently share a port across modes.
 */
export function withPorts(
  emulators: Record<string, unknown>,
  ports: StackPorts,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(emulators).map(([name, value]) => {
      if (typeof value !== 'object' || value === null || !('port' in value)) return [name, value];
      if (!(name in ports)) throw new Error(`no ${name} port in PORTS (dev/stack.ts)`);
      return [name, { ...value, port: ports[name as keyof StackPorts] }];
    }),
  );
}

/** Ends a process group started detached: SIGINT, then SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    signal('SIGKILL');
    await exited;
  }
}

/**
 * Waits until `health` answers with its JSON report (200, or 503 when Firestore is down). The
 * Functions emulator answers 404 while it is still loading the functions, so any answer will not do.
 */
async function waitForHealth(
  url: string,
  timeoutMs: number,
  isAlive: () => boolean,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (!isAlive()) throw new Error(`the emulators exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
      if ((res.status === 200 || res.status === 503) && typeof body?.status === 'string') return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const say = options.say ?? (() => undefined);
  const test = options.mode === 'test';
  const projectId = PROJECT_IDS[options.mode];
  const ports = PORTS[options.mode];
  // Checked after every step: a stop signal during the start stops what has started so far.
  const checkAborted = () => options.signal?.throwIfAborted();
  const stoppers: Stopper[] = [];
  // One stop for every caller: a stop signal can arrive while the owner is already stopping.
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const stop of stoppers.reverse()) {
        await stop().catch((error: unknown) => say(`stop failed: ${String(error)}`));
      }
      stoppers.length = 0;
    })());
  mkdirSync(join(options.dataDir, 'logs'), { recursive: true });

  try {
    const queryLog = test ? join(options.dataDir, 'firestore-queries.jsonl') : undefined;
    if (queryLog) writeFileSync(queryLog, '');
    const firestore = await startFirestoreEmulator({
      port: ports.firestore,
      ...(queryLog ? { queryLog } : {}),
    });
    stoppers.push(() => firestore.stop());
    checkAborted();
    say(`firestore  ${firestore.kind} emulator at ${firestore.hostPort}`);

    // The functions reach Firestore through a proxy that can fail on purpose (dev/fault-proxy);
    // clients (tests, tools) go straight to the emulator.
    const [firestoreHost, firestorePort] = firestore.hostPort.split(':') as [string, string];
    const firestoreProxy = await startFaultProxy({
      target: { host: firestoreHost, port: Number(firestorePort) },
      port: ports.firestoreProxy,
      controlPort: ports.firestoreFaults,
    });
    stoppers.push(() => firestoreProxy.stop());
    checkAborted();
    say(
      `           functions reach it through ${firestoreProxy.hostPort} (faults: POST ${firestoreProxy.controlUrl}/__fault)`,
    );

    const env: Record<string, string> = {
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      STILLA_FIRESTORE_FAULT_URL: `${firestoreProxy.controlUrl}/__fault`,
      FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${ports.auth}`,
      GCLOUD_PROJECT: projectId,
    };
    if (queryLog) env.STILLA_FIRESTORE_QUERY_LOG = queryLog;

    let redisAvailable = false;
    if (findRedisServer()) {
      const redis = await startRedisServer({ port: ports.redis });
      stoppers.push(() => redis.stop());
      checkAborted();
      const bridge = await startRedisBridge({
        port: ports.redisBridge,
        redisUrl: `redis://127.0.0.1:${ports.redis}`,
        token: LOCAL_REDIS_TOKEN,
      });
      stoppers.push(() => bridge.stop());
      checkAborted();
      redisAvailable = true;
      env.UPSTASH_REDIS_REST_URL = bridge.url;
      env.UPSTASH_REDIS_REST_TOKEN = LOCAL_REDIS_TOKEN;
      say(`redis      redis-server :${ports.redis}, Upstash REST bridge ${bridge.url}`);
    } else if (test) {
      throw new Error('redis-server is not installed (apt-get install redis-server)');
    } else {
      say('redis      NOT RUNNING: redis-server is not installed. The API runs degraded:');
      say(
        '           rate limits per instance, no shared cache. Install: sudo apt-get install redis-server',
      );
    }

    const functionsEnv: Record<string, string> = {
      FIRESTORE_EMULATOR_HOST: firestoreProxy.hostPort,
      UPSTASH_REDIS_REST_TOKEN: env.UPSTASH_REDIS_REST_TOKEN ?? '',
      OPENAI_API_KEY: process.env.OPENAI_API_KEY ?? '',
      SENTRY_DSN: process.env.SENTRY_DSN ?? '',
    };
    if (queryLog) functionsEnv.STILLA_FIRESTORE_QUERY_LOG = queryLog;
    // The Functions emulator runs one request per worker process and gives a new worker 30 s to
    // load. A burst of 50 concurrent requests (the allocations concurrency test) starts 50
    // workers at once, which on a 2-core machine takes longer than that; a worker that misses
    // the deadline leaves its request unanswered. Seconds.
    functionsEnv.FUNCTIONS_DISCOVERY_TIMEOUT = process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? '180';

    if (test) {
      const openai = await startFakeOpenAI({ port: ports.fakeOpenAI });
      stoppers.push(() => openai.stop());
      checkAborted();
      env.FAKE_OPENAI_URL = openai.url;
      functionsEnv.OPENAI_API_KEY = 'test-openai-key';
      say(`openai     fake server at ${openai.url}`);

      const jwks = await startJwksServer({ port: ports.jwks });
      stoppers.push(() => jwks.stop());
      checkAborted();
      const keyFile = join(options.dataDir, 'test-signing-key.json');
      writeFileSync(keyFile, JSON.stringify(jwks.key));
      env.STILLA_TEST_SIGNING_KEY = keyFile;
      env.STILLA_TEST_JWKS_URL = jwks.url;
      functionsEnv.STILLA_AUTH_JWKS_URL = jwks.url;
      say(`jwks       test signer at ${jwks.url}`);

      // Every error report the functions send is kept, for the privacy check of the suite.
      const sentryFile = join(options.dataDir, 'sentry-envelopes.jsonl');
      writeFileSync(sentryFile, '');
      const sentry = await startFakeSentry({ port: ports.sentry, file: sentryFile });
      stoppers.push(() => sentry.stop());
      checkAborted();
      functionsEnv.SENTRY_DSN = sentry.dsn;
      env.STILLA_SENTRY_DSN = sentry.dsn;
      env.STILLA_SENTRY_FILE = sentryFile;
      say(`sentry     fake ingest at ${sentry.dsn}`);
    }

    const logFile = join(options.dataDir, 'logs', `emulators-${options.mode}.log`);
    const log = createWriteStream(logFile);
    const configArgs = test
      ? ['--config', stageFunctions(options.root, options.dataDir, projectId, ports)]
      : [];
    const firebase = spawn(
      join(options.root, 'node_modules', '.bin', 'firebase'),
      ['emulators:start', '--only', 'auth,functions', '--project', projectId, ...configArgs],
      {
        cwd: options.root,
        env: {
          ...process.env,
          ...functionsEnv,
          CI: process.env.CI ?? '',
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    for (const stream of [firebase.stdout, firebase.stderr]) {
      stream?.pipe(log, { end: false });
      if (options.echo) stream?.pipe(options.echo, { end: false });
    }
    stoppers.push(async () => {
      await stopProcess(firebase);
      log.end();
    });
    const functionsUrl = `http://127.0.0.1:${ports.functions}/${projectId}/${REGION}`;
    say(`emulators  auth :${ports.auth}, functions :${ports.functions} (log: ${logFile})`);
    await waitForHealth(
      `${functionsUrl}/health`,
      120_000,
      () => firebase.exitCode === null,
      options.signal,
    );
    env.STILLA_FUNCTIONS_URL = functionsUrl;
    env.STILLA_EMULATOR_LOG = logFile;
    env.STILLA_PROJECT_ID = projectId;
    return {
      projectId,
      firestoreKind: firestore.kind,
      functionsUrl,
      redisAvailable,
      env,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Starts a local Firestore emulator for the stack and the tests.
 *
 * - The official emulator (a Java jar that firebase-tools downloads) when it can run here:
 *   `java` >= 21 on PATH and the jar in ~/.cache/firebase/emulators/.
 * - Otherwise `@firestore-emulator/server`, patched by patches/ to behave like Firestore,
 *   in a child process (so the caller's event loop stays free and a crash stays contained).
 *
 * `STILLA_FIRESTORE_EMULATOR=node|official` forces a kind. Only the Node emulator records
 * queries (`queryLog`), which the index coverage check needs.
 *
 * Reset: both kinds answer the official REST reset on their port,
 * `DELETE http://{hostPort}/emulator/v1/projects/{p}/databases/(default)/documents`;
 * the Node one also `DELETE /emulator/v1/reset` (everything).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface FirestoreEmulatorOptions {
  host?: string;
  port?: number;
  /** File to which the Node emulator appends one JSON line per query (index check). */
  queryLog?: string;
}

export interface FirestoreEmulator {
  kind: 'official' | 'node';
  /** For FIRESTORE_EMULATOR_HOST. */
  hostPort: string;
  /** Deletes every document (Node: all projects; official: the projects it knows of). */
  reset(): Promise<void>;
  /** Stops the emulator; no process is left behind. */
  stop(): Promise<void>;
}

/** Projects the official emulator's reset clears (it has no "all projects" reset). */
export const RESET_PROJECT_IDS = ['demo-stilla-test', 'demo-stilla'];

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export async function startFirestoreEmulator(
  options: FirestoreEmulatorOptions = {},
): Promise<FirestoreEmulator> {
  const { host = '127.0.0.1', port = 8080, queryLog } = options;
  const forced = process.env.STILLA_FIRESTORE_EMULATOR;
  const jar = forced === 'node' ? undefined : officialEmulatorJar();
  if (forced === 'official' && !jar) {
    throw new Error(
      'STILLA_FIRESTORE_EMULATOR=official, but the official emulator cannot run here (java >= 21 and its jar are needed)',
    );
  }
  return jar ? startOfficial(jar, host, port) : startNode(host, port, queryLog);
}

/** The official emulator's jar when it can run on this machine, else undefined. */
export function officialEmulatorJar(): string | undefined {
  const dir = join(homedir(), '.cache', 'firebase', 'emulators');
  if (!existsSync(dir)) return undefined;
  const jars = readdirSync(dir)
    .filter((f) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const jar = jars.at(-1);
  if (!jar) return undefined;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const major = /version "(\d+)/.exec(`${java.stderr ?? ''}${java.stdout ?? ''}`)?.[1];
  return java.status === 0 && Number(major) >= 21 ? join(dir, jar) : undefined;
}

// --- The patched Node emulator, in a child process -----------------------------------------

/**
 * The child's program (CommonJS, run with `node -e`). It starts the patched emulator, reports
 * `{ ready: port }` or `{ error }` over IPC, and stops when told to (SIGTERM/SIGINT) or when
 * its parent goes away (IPC disconnect), so it never outlives the stack.
 */
const NODE_CHILD = `
const { FirestoreServer } = require(process.env.EMULATOR_MODULE);
const server = new FirestoreServer();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try { await server.stop(); } finally { process.exit(0); }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
server.start(Number(process.env.EMULATOR_PORT), process.env.EMULATOR_HOST).then(
  () => process.send({ ready: server.port }),
  (err) => { process.send({ error: String(err && err.message || err) }); process.exit(1); },
);
`;

/** Where the patched package is: resolved like a require from the working directory. */
function emulatorModule(): string {
  const override = process.env.STILLA_FIRESTORE_EMULATOR_MODULE;
  if (override) return override;
  try {
    return createRequire(join(process.cwd(), 'index.js')).resolve('@firestore-emulator/server');
  } catch {
    throw new Error(
      `@firestore-emulator/server is not installed where ${process.cwd()} can resolve it; run from the repository (npm install at its root)`,
    );
  }
}

async function startNode(
  host: string,
  port: number,
  queryLog?: string,
): Promise<FirestoreEmulator> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMULATOR_MODULE: emulatorModule(),
    EMULATOR_HOST: host,
    EMULATOR_PORT: String(port),
  };
  if (queryLog) env.STILLA_FIRESTORE_QUERY_LOG = queryLog;
  else delete env.STILLA_FIRESTORE_QUERY_LOG;
  const child = spawn(process.execPath, ['-e', NODE_CHILD], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const actualPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('the Node Firestore emulator did not start in time')),
      READY_TIMEOUT_MS,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.on('message', (message: { ready?: number; error?: string }) => {
      if (message.error !== undefined) fail(new Error(`Node Firestore emulator: ${message.error}`));
      else if (message.ready !== undefined) {
        clearTimeout(timer);
        resolve(message.ready);
      }
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`Node Firestore emulator exited early (${code ?? signal})`)),
    );
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  const hostPort = `${hostForUrl(host)}:${actualPort}`;
  return {
    kind: 'node',
    hostPort,
    reset: () => httpDelete(`http://${hostPort}/emulator/v1/reset`),
    stop: () => stopChild(child),
  };
}

// --- The official emulator -----------------------------------------------------------------

async function startOfficial(jar: string, host: string, port: number): Promise<FirestoreEmulator> {
  const child = spawn('java', ['-jar', jar, '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const hostPort = `${hostForUrl(host)}:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error('the official Firestore emulator exited early');
    try {
      const res = await fetch(`http://${hostPort}/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error('the official Firestore emulator did not start in time');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const projects = [
    ...new Set([...RESET_PROJECT_IDS, process.env.GCLOUD_PROJECT].filter((p): p is string => !!p)),
  ];
  return {
    kind: 'official',
    hostPort,
    reset: async () => {
      for (const project of projects) {
        await httpDelete(
          `http://${hostPort}/emulator/v1/projects/${project}/databases/(default)/documents`,
        );
      }
    },
    stop: () => stopChild(child),
  };
}

// --- helpers --------------------------------------------------------------------------------

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

async function httpDelete(url: string): Promise<void> {
  const res = await fetch(url, { method: 'DELETE' });
  if (!res.ok) throw new Error(`DELETE ${url}: ${res.status} ${await res.text()}`);
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

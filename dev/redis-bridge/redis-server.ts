/**
 * Starts and stops a throwaway Debian `redis-server` (no persistence) for the
 * local stack and for tests.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Absolute path of `redis-server` found on PATH, or null if it is not installed. */
export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; another process could still take it before use). */
export async function getFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() =>
        port > 0 ? resolve(port) : reject(new Error('could not read the free port')),
      );
    });
  });
}

export interface StartRedisServerOptions {
  /** TCP port on 127.0.0.1; must be > 0 (redis-server's port 0 means "no TCP"). */
  port: number;
  /** Working directory for redis-server; default: a fresh temp directory removed on stop. */
  dir?: string;
  /** redis-server binary; default: found on PATH. */
  bin?: string;
  /** How long to wait until it answers; default 10 000 ms. */
  readyTimeoutMs?: number;
}

export interface RedisServerHandle {
  port: number;
  pid: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no`
 * and resolves once that very process answers (checked by its pid in
 * INFO, so a different server already on the port is not mistaken for it).
 */
export async function startRedisServer(
  options: StartRedisServerOptions,
): Promise<RedisServerHandle> {
  const { port, readyTimeoutMs = 10_000 } = options;
  if (!Number.isInteger(port) || port <= 0 || port > 65_535)
    throw new Error(`invalid redis port ${port}`);
  const bin = options.bin ?? findRedisServer();
  if (bin === null) {
    throw new Error(
      'redis-server not found on PATH; install it with: apt-get update && apt-get install -y redis-server',
    );
  }
  const ownDir = options.dir === undefined ? mkdtempSync(join(tmpdir(), 'stilla-redis-')) : null;
  const dir = options.dir ?? ownDir!;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--logfile',
    '',
  ];
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let exited = false;
  let markExited = (): void => {};
  const exitPromise = new Promise<void>((resolve) => {
    markExited = () => {
      exited = true;
      resolve();
    };
  });
  child.once('exit', markExited);
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) => {
      // A failed spawn never emits 'exit'; without this stop() would wait forever.
      if (child.pid === undefined) markExited();
      reject(error);
    });
  });
  // If the parent dies without calling stop() (a crashed test), do not leave
  // a redis-server behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  // Nor keep a process alive that forgot to stop it: the exit hook kills it.
  child.unref();
  for (const stream of [child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void }).unref?.();

  const cleanup = (): void => {
    process.removeListener('exit', killOnExit);
    if (ownDir !== null) rmSync(ownDir, { recursive: true, force: true });
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      cleanup();
    })();
    return stopping;
  };

  try {
    await Promise.race([
      waitUntilServing(port, child.pid ?? -1, readyTimeoutMs, () => exited),
      spawnError,
      exitPromise.then(() => {
        throw new Error(`redis-server exited during startup:\n${output.trim()}`);
      }),
    ]);
  } catch (error) {
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start redis-server on port ${port}: ${message}`, { cause: error });
  }
  return { port, pid: child.pid ?? -1, url: `redis://127.0.0.1:${port}`, stop };
}

async function waitUntilServing(
  port: number,
  pid: number,
  timeoutMs: number,
  hasExited: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (!hasExited()) {
    try {
      const info = await sendInline(port, 'INFO server');
      const match = /process_id:(\d+)/.exec(info);
      if (match && Number(match[1]) === pid) return;
      last = match
        ? `port ${port} is served by another redis-server (pid ${match[1]})`
        : info.slice(0, 200);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // The exit itself is reported, with redis-server's output, by the race in startRedisServer.
  throw new Error('redis-server exited');
}

/** Sends one inline command and returns the raw reply text (enough for PING/INFO). */
function sendInline(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 1000);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      // A bulk reply is `$<len>\r\n<body>\r\n`; anything else is one line.
      const bulk = /^\$(\d+)\r\n/.exec(data);
      const complete = bulk
        ? Buffer.byteLength(data) >= bulk[0].length + Number(bulk[1]) + 2
        : data.includes('\r\n');
      if (complete) socket.end();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (data.startsWith('-')) reject(new Error(data.trim()));
      else resolve(data);
    });
  });
}

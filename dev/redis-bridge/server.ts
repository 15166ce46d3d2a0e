/**
 * Local Upstash REST bridge: an HTTP server speaking the REST protocol that
 * @upstash/redis 1.39 and @upstash/ratelimit 2.2 use, in front of a real
 * redis-server, plus control endpoints that let tests make it fail.
 *
 * Data endpoints (Authorization: Bearer <token>):
 *   POST /            ["CMD", ...args]            -> {"result": ...} | 4xx {"error": "..."}
 *   POST /pipeline    [["CMD", ...], ...]         -> [{"result": ...} | {"error": "..."}, ...]
 *   POST /multi-exec  [["CMD", ...], ...]         -> same, run atomically in MULTI/EXEC
 * Control endpoints (no auth, loopback clients only):
 *   GET /__stats, POST /__stats/reset, GET|POST /__fault {"mode": "ok"|"down"|"hang", "latencyMs"?: n}
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createClient, ErrorReply, RESP_TYPES } from 'redis';
import {
  BridgeCommandError,
  encodeEntry,
  encodeReply,
  routeCommand,
  toRedisArgs,
  wantsBase64,
} from './protocol.ts';
import type { CommandRoute } from './protocol.ts';
import { ScriptShaMap } from './scripts.ts';

/** `ok`: normal; `down`: every data request fails at once (socket destroyed); `hang`: no answer at all. */
export type FaultMode = 'ok' | 'down' | 'hang';

export interface Fault {
  mode: FaultMode;
  /** Delay before each data request is handled (and before a `down` failure); default 0. */
  latencyMs?: number;
}

export interface BridgeStats {
  /** HTTP requests to data endpoints received, whatever their outcome (faults and 401s included). */
  requests: number;
  /** Redis commands forwarded to redis-server (MULTI/EXEC wrappers not counted). */
  commands: number;
}

export interface RedisBridge {
  /** Base URL for `new Redis({ url, token })`, e.g. `http://127.0.0.1:8079`. */
  url: string;
  port: number;
  stats(): BridgeStats;
  resetStats(): void;
  /** Replaces the current fault (so `{mode: 'ok'}` also clears latency). */
  setFault(fault: Fault): void;
  /** Stops listening, drops hung requests, closes every connection and the Redis client. */
  stop(): Promise<void>;
}

export interface RedisBridgeOptions {
  /** HTTP port; 0 picks a free one (see `url`/`port` on the result). */
  port: number;
  /** e.g. `redis://127.0.0.1:6390` */
  redisUrl: string;
  /** Bearer token clients must send. */
  token: string;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Largest accepted request body; default 10 MiB. */
  maxBodyBytes?: number;
  /** How long start waits for the first Redis connection before serving anyway (503s until Redis is up); default 5000 ms. */
  waitForRedisMs?: number;
  /** Receives Redis connection changes (connected / unreachable); default: silent. */
  log?: (message: string) => void;
}

// Bulk and simple strings as Buffers (binary safe, base64 straight from the
// bytes) and integers as their decimal text (64-bit exact), so that a JS
// string in a reply can only be an integer.
const TYPE_MAPPING = {
  [RESP_TYPES.BLOB_STRING]: Buffer,
  [RESP_TYPES.SIMPLE_STRING]: Buffer,
  [RESP_TYPES.NUMBER]: String,
};
const COMMAND_OPTIONS = { typeMapping: TYPE_MAPPING };

function createRedis(url: string, reconnect: boolean) {
  return createClient({
    url,
    // node-redis would otherwise speak RESP3, whose maps/sets/doubles Upstash never returns.
    RESP: 2,
    // Fail commands at once while disconnected instead of queueing them until
    // Redis is back, so a dead Redis answers 503 rather than hanging requests.
    disableOfflineQueue: true,
    ...(reconnect ? {} : { socket: { reconnectStrategy: false as const } }),
  });
}
type Redis = ReturnType<typeof createRedis>;

/** The result of one command: its reply, or an error (`unavailable` when Redis could not be reached). */
type Outcome = { reply: unknown } | { error: string; unavailable: boolean };

interface Prepared {
  args: string[];
  route: CommandRoute;
  mapReply?: (reply: unknown) => unknown;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Starts the bridge and resolves once it listens (and Redis is connected, or
 * `waitForRedisMs` has passed). Defaults: host 127.0.0.1, 10 MiB bodies.
 */
export async function startRedisBridge(options: RedisBridgeOptions): Promise<RedisBridge> {
  const bridge = new Bridge(options);
  await bridge.start();
  return {
    url: bridge.url,
    port: bridge.port,
    stats: () => bridge.stats(),
    resetStats: () => bridge.resetStats(),
    setFault: (fault) => bridge.setFault(fault),
    stop: () => bridge.stop(),
  };
}

/** Validates a fault from JSON (the /__fault body) or from code. */
export function parseFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null) throw new Error('fault must be an object');
  const { mode, latencyMs } = value as { mode?: unknown; latencyMs?: unknown };
  if (mode !== 'ok' && mode !== 'down' && mode !== 'hang')
    throw new Error('fault mode must be "ok", "down" or "hang"');
  if (latencyMs === undefined || latencyMs === null) return { mode };
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new Error('latencyMs must be a non-negative number');
  }
  return { mode, latencyMs };
}

class Bridge {
  url = '';
  port = 0;
  readonly #options: RedisBridgeOptions;
  readonly #redis: Redis;
  readonly #server = createServer({ keepAliveTimeout: 30_000 });
  readonly #tokenDigest: Buffer;
  readonly #maxBodyBytes: number;
  readonly #scripts = new ScriptShaMap();
  #fault: Fault = { mode: 'ok' };
  #requests = 0;
  #commands = 0;
  #closing = false;
  #stopping: Promise<void> | null = null;
  /** Requests held by `hang`; woken when the fault changes or on stop. */
  readonly #hung = new Set<() => void>();
  /** Requests waiting out `latencyMs`; woken on stop. */
  readonly #sleeping = new Set<() => void>();
  /** Dedicated connections of blocking commands in flight. */
  readonly #isolated = new Set<Redis>();

  constructor(options: RedisBridgeOptions) {
    this.#options = options;
    this.#tokenDigest = digest(options.token);
    this.#maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
    this.#redis = createRedis(options.redisUrl, true);
    this.#watchRedis();
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // server.close() only closes connections idle at that moment; one that
      // finishes its response while stopping would otherwise linger as keep-alive.
      const socket = req.socket;
      res.once('finish', () => {
        if (this.#closing) socket.end();
      });
      this.#handle(req, res).catch((error: unknown) => {
        sendJson(res, 500, { error: `ERR bridge failure: ${errorMessage(error)}` });
      });
    });
  }

  async start(): Promise<void> {
    const { port, host = '127.0.0.1', waitForRedisMs = 5000 } = this.#options;
    const connected = this.#redis.connect().then(
      () => true,
      () => false,
    );
    try {
      await new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(port, host, () => {
          this.#server.removeListener('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.#redis.destroy();
      throw error;
    }
    const address = this.#server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : port;
    this.url = `http://${urlHost(host)}:${this.port}`;
    // Give the first connection a moment so that a request made right after
    // start does not get a 503 merely because the TCP handshake to Redis is
    // still in flight. A Redis that stays down must not block start forever.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitForRedisMs);
    });
    await Promise.race([connected, gaveUp]);
    clearTimeout(timer);
  }

  stats(): BridgeStats {
    return { requests: this.#requests, commands: this.#commands };
  }

  resetStats(): void {
    this.#requests = 0;
    this.#commands = 0;
  }

  setFault(fault: Fault): void {
    this.#fault = parseFault(fault);
    // Held requests re-check the new mode: `ok` serves them, `down` drops them.
    for (const wake of [...this.#hung]) wake();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#closing = true;
    for (const wake of [...this.#hung, ...this.#sleeping]) wake();
    // Blocking commands in flight fail now (503) instead of holding their request open.
    for (const client of this.#isolated) client.destroy();
    this.#isolated.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    // Keep-alive sockets that are mid-request get a moment to finish, then go.
    const force = setTimeout(() => this.#server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(force);
    if (this.#redis.isOpen) this.#redis.destroy();
  }

  #watchRedis(): void {
    const log = this.#options.log;
    let up: boolean | null = null;
    // node-redis emits 'error' on every failed reconnect and an unhandled
    // 'error' event would kill the process; callers already see failures as
    // 503s, so only report transitions.
    this.#redis.on('error', (error: unknown) => {
      if (up !== false)
        log?.(`redis unreachable at ${this.#options.redisUrl}: ${errorMessage(error)}`);
      up = false;
    });
    this.#redis.on('ready', () => {
      if (up !== true) log?.(`redis connected at ${this.#options.redisUrl}`);
      up = true;
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Prefixing (rather than resolving against a base) keeps `//x` a path, not a host.
    const url = URL.parse(`http://bridge${req.url ?? '/'}`);
    if (url === null) {
      sendJson(res, 400, { error: 'ERR invalid request target' });
      return;
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path.startsWith('/__')) return await this.#control(req, res, path);

    this.#requests++;
    if (!(await this.#passFault(req))) return;

    try {
      if (path !== '/' && path !== '/pipeline' && path !== '/multi-exec') {
        throw new HttpError(404, `ERR unknown endpoint ${path}`);
      }
      if (req.method !== 'POST') throw new HttpError(405, 'ERR only POST is supported');
      if (!this.#authorized(req, url)) throw new HttpError(401, 'Unauthorized');
      const body = parseJson(await readBody(req, this.#maxBodyBytes));
      const base64 = wantsBase64(req.headers['upstash-encoding']);
      if (path === '/') await this.#single(res, body, base64);
      else if (path === '/pipeline') await this.#pipeline(res, body, base64);
      else await this.#multiExec(res, body, base64);
    } catch (error) {
      if (error instanceof HttpError) {
        // After a too-large body the rest of it is still on the socket, so close it.
        const close = error.status === 413;
        sendJson(res, error.status, { error: error.message }, close);
        return;
      }
      throw error;
    }
  }

  /** Applies the fault; false means the request was dropped (or the bridge is stopping). */
  async #passFault(req: IncomingMessage): Promise<boolean> {
    const socket = req.socket;
    const latency = this.#fault.latencyMs ?? 0;
    if (latency > 0) await this.#park(socket, this.#sleeping, latency);
    for (;;) {
      if (this.#closing || socket.destroyed) {
        socket.destroy();
        return false;
      }
      if (this.#fault.mode === 'ok') return true;
      if (this.#fault.mode === 'down') {
        // What a client sees when nothing listens or the server dies:
        // fetch rejects with a network error ("other side closed").
        socket.destroy();
        return false;
      }
      await this.#park(socket, this.#hung, null);
    }
  }

  /** Waits for `ms` (or, with null, until woken), the socket closing, or stop. */
  #park(socket: Socket, set: Set<() => void>, ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        socket.removeListener('close', done);
        set.delete(done);
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      socket.once('close', done);
      set.add(done);
    });
  }

  #authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    // Upstash also accepts the token as a `_token` query parameter.
    const given = match?.[1] ?? url.searchParams.get('_token');
    return given !== null && timingSafeEqual(digest(given), this.#tokenDigest);
  }

  async #single(res: ServerResponse, body: unknown, base64: boolean): Promise<void> {
    let prepared: Prepared;
    try {
      prepared = this.#prepare(body);
    } catch (error) {
      sendJson(res, 400, { error: errorMessage(error) });
      return;
    }
    const outcome = await this.#runPrepared(prepared);
    if ('error' in outcome) {
      sendJson(res, outcome.unavailable ? 503 : 400, { error: outcome.error });
      return;
    }
    sendRaw(res, 200, `{"result":${encodeReply(outcome.reply, base64)}}`);
  }

  async #pipeline(res: ServerResponse, body: unknown, base64: boolean): Promise<void> {
    const commands = commandList(body);
    // Prepare and send every command in this same tick, so node-redis writes
    // them back to back on the one connection: a real pipeline.
    const outcomes = await Promise.all(
      commands.map((command) => {
        let prepared: Prepared;
        try {
          prepared = this.#prepare(command);
        } catch (error) {
          return Promise.resolve(commandErrorOutcome(error));
        }
        return this.#runPrepared(prepared);
      }),
    );
    const unavailable = outcomes.find(
      (o): o is { error: string; unavailable: boolean } => 'error' in o && o.unavailable,
    );
    if (unavailable) {
      sendJson(res, 503, { error: unavailable.error });
      return;
    }
    sendRaw(res, 200, `[${outcomes.map((o) => encodeEntry(o, base64)).join(',')}]`);
  }

  async #multiExec(res: ServerResponse, body: unknown, base64: boolean): Promise<void> {
    const commands = commandList(body);
    let prepared: Prepared[];
    try {
      prepared = commands.map((command) => this.#prepare(command));
    } catch (error) {
      // Refuse the whole transaction, as Redis does (EXECABORT) for a command it cannot queue.
      sendJson(res, 400, { error: errorMessage(error) });
      return;
    }
    // MULTI, the commands and EXEC are queued in one tick on the one shared
    // connection, so nothing else is interleaved and Redis runs them atomically.
    // Blocking commands do not block inside MULTI, so nothing needs isolating.
    const sent = [['MULTI'], ...prepared.map((p) => p.args), ['EXEC']].map((args) =>
      settle(this.#redis.sendCommand(args, COMMAND_OPTIONS)),
    );
    this.#commands += prepared.length;
    const outcomes = await Promise.all(sent);
    const failed = outcomes.find(
      (o): o is { error: string; unavailable: boolean } => 'error' in o && o.unavailable,
    );
    if (failed) {
      sendJson(res, 503, { error: failed.error });
      return;
    }
    const exec = outcomes[outcomes.length - 1]!;
    if ('error' in exec) {
      // EXECABORT alone does not say what was wrong; the queued command's error does.
      const cause = outcomes.slice(1, -1).find((o) => 'error' in o);
      const detail = cause && 'error' in cause ? ` (${cause.error})` : '';
      sendJson(res, 400, { error: `${exec.error}${detail}` });
      return;
    }
    const replies = Array.isArray(exec.reply) ? (exec.reply as unknown[]) : [];
    if (replies.length !== prepared.length) {
      sendJson(res, 500, { error: 'ERR transaction returned an unexpected reply' });
      return;
    }
    const entries = replies.map((reply, i) => {
      if (reply instanceof Error) return encodeEntry({ error: reply.message }, base64);
      const mapReply = prepared[i]!.mapReply;
      return encodeEntry({ reply: mapReply ? mapReply(reply) : reply }, base64);
    });
    sendRaw(res, 200, `[${entries.join(',')}]`);
  }

  #prepare(command: unknown): Prepared {
    const args = toRedisArgs(command);
    const route = routeCommand(args);
    const rewrite = this.#scripts.rewrite(args);
    return { args: rewrite.args, route, mapReply: rewrite.mapReply };
  }

  async #runPrepared(prepared: Prepared): Promise<Outcome> {
    this.#commands++;
    const outcome = await settle(
      prepared.route === 'isolated'
        ? this.#runIsolated(prepared.args)
        : this.#redis.sendCommand(prepared.args, COMMAND_OPTIONS),
    );
    return prepared.mapReply && 'reply' in outcome
      ? { reply: prepared.mapReply(outcome.reply) }
      : outcome;
  }

  /** Runs a blocking command on its own short-lived connection so it cannot stall the shared one. */
  async #runIsolated(args: string[]): Promise<unknown> {
    const client = createRedis(this.#options.redisUrl, false);
    client.on('error', () => {
      // failures surface through connect()/sendCommand()
    });
    this.#isolated.add(client);
    try {
      await client.connect();
      return await client.sendCommand(args, COMMAND_OPTIONS);
    } finally {
      this.#isolated.delete(client);
      if (client.isOpen) client.destroy();
    }
  }

  async #control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) {
      sendJson(res, 403, { error: 'control endpoints are for loopback clients only' });
      return;
    }
    try {
      if (path === '/__stats' && req.method === 'GET') {
        sendJson(res, 200, this.stats());
      } else if (path === '/__stats/reset' && req.method === 'POST') {
        this.resetStats();
        sendJson(res, 200, this.stats());
      } else if (path === '/__fault' && req.method === 'GET') {
        sendJson(res, 200, this.#fault);
      } else if (path === '/__fault' && req.method === 'POST') {
        let fault: Fault;
        try {
          fault = parseFault(parseJson(await readBody(req, 64 * 1024)));
        } catch (error) {
          throw error instanceof HttpError ? error : new HttpError(400, errorMessage(error));
        }
        this.setFault(fault);
        sendJson(res, 200, this.#fault);
      } else {
        sendJson(res, 404, { error: `unknown control endpoint ${req.method ?? ''} ${path}` });
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, { error: error.message }, error.status === 413);
    }
  }
}

function settle(promise: Promise<unknown>): Promise<Outcome> {
  return promise.then(
    (reply) => ({ reply }),
    (error: unknown) => commandErrorOutcome(error),
  );
}

/** Redis error replies and the bridge's own refusals are command errors; anything else means Redis is unreachable. */
function commandErrorOutcome(error: unknown): Outcome {
  if (error instanceof ErrorReply || error instanceof BridgeCommandError) {
    return { error: error.message, unavailable: false };
  }
  return { error: `ERR redis unavailable: ${errorMessage(error)}`, unavailable: true };
}

function commandList(body: unknown): unknown[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new HttpError(400, 'ERR body must be a non-empty JSON array of commands');
  }
  return body;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new HttpError(413, `ERR request body larger than ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(new HttpError(413, `ERR request body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'ERR failed to parse the request body as JSON');
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, close = false): void {
  sendRaw(res, status, JSON.stringify(value), close);
}

function sendRaw(res: ServerResponse, status: number, body: string, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function urlHost(host: string): string {
  // A wildcard listen address is reachable on loopback; IPv6 needs brackets in URLs.
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

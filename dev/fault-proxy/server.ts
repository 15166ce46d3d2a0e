/**
 * A TCP proxy that can break on purpose: the functions reach the Firestore emulator through it
 * (gRPC over HTTP/2 is just bytes to it), so tests can take "Firestore" away mid-run over HTTP
 * and bring it back, the way a zone outage or a network partition looks to a Cloud Run instance.
 *
 * Faults (`POST /__fault {"mode": ...}` on the control port, or `setFault`):
 * - `ok`: bytes pass both ways.
 * - `down`: every open connection is reset, and every new one is reset on accept (what a client
 *   sees when the server's host is gone: ECONNRESET, then reconnect attempts that fail).
 * - `hang`: open connections stop passing bytes and new ones are accepted and never answered
 *   (a black hole: only the client's own deadline ends the wait).
 * Back to `ok`, connections held by `hang` are reset, so that clients reconnect at once.
 * `GET /__fault` answers `{mode, connections, accepted}`.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyFault = 'ok' | 'down' | 'hang';

export const PROXY_FAULTS: readonly ProxyFault[] = ['ok', 'down', 'hang'];

export interface FaultProxyOptions {
  /** Where the bytes go, e.g. the Firestore emulator. */
  target: { host: string; port: number };
  /** Proxy port; 0 picks a free one. */
  port?: number;
  /** Control port for `/__fault`; 0 picks a free one. */
  controlPort?: number;
  host?: string;
}

export interface FaultProxy {
  /** `host:port` to connect to instead of the target. */
  hostPort: string;
  /** Base URL of the control server; `POST {controlUrl}/__fault` sets the mode. */
  controlUrl: string;
  mode(): ProxyFault;
  setFault(mode: ProxyFault): void;
  /** Open client connections and connections accepted since the start. */
  stats(): { connections: number; accepted: number };
  stop(): Promise<void>;
}

/** One client connection and, unless held, its upstream connection. */
interface Pair {
  client: Socket;
  upstream?: Socket;
}

function reset(socket: Socket | undefined): void {
  if (!socket || socket.destroyed) return;
  // An RST, as a vanished peer gives, rather than a polite FIN.
  socket.resetAndDestroy();
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { target, port = 0, controlPort = 0, host = '127.0.0.1' } = options;
  let mode: ProxyFault = 'ok';
  let accepted = 0;
  const pairs = new Set<Pair>();

  const forward = (pair: Pair) => {
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.setNoDelay(true);
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    upstream.on('error', () => reset(pair.client));
    upstream.on('close', () => pair.client.destroy());
  };

  const proxy: Server = createServer({ noDelay: true }, (client) => {
    accepted += 1;
    const pair: Pair = { client };
    pairs.add(pair);
    client.on('error', () => reset(pair.upstream));
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (mode === 'down') return reset(client);
    if (mode === 'hang') return client.resume(); // read and drop: never answered
    forward(pair);
  });

  const setFault = (next: ProxyFault) => {
    const previous = mode;
    mode = next;
    if (next === 'down' || (previous === 'hang' && next === 'ok')) {
      for (const pair of pairs) {
        reset(pair.client);
        reset(pair.upstream);
      }
    } else if (next === 'hang') {
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        upstream?.pause();
        client.resume(); // keep reading, pass nothing on
      }
    }
  };

  const control: HttpServer = createHttpServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url !== '/__fault') return json(404, { error: 'not found' });
    if (req.method === 'GET') return json(200, { mode, connections: pairs.size, accepted });
    if (req.method !== 'POST') return json(405, { error: 'GET or POST' });
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      let requested: unknown;
      try {
        requested = (JSON.parse(raw || '{}') as { mode?: unknown }).mode ?? 'ok';
      } catch {
        return json(400, { error: 'body must be JSON' });
      }
      if (!PROXY_FAULTS.includes(requested as ProxyFault)) {
        return json(400, { error: `mode must be one of ${PROXY_FAULTS.join(', ')}` });
      }
      setFault(requested as ProxyFault);
      json(200, { mode });
    });
  });

  const listen = (server: Server | HttpServer, at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, host, () => resolve((server.address() as AddressInfo).port));
    });
  const proxyPort = await listen(proxy, port);
  let boundControlPort: number;
  try {
    boundControlPort = await listen(control, controlPort);
  } catch (error) {
    proxy.close();
    throw error;
  }

  return {
    hostPort: `${host}:${proxyPort}`,
    controlUrl: `http://${host}:${boundControlPort}`,
    mode: () => mode,
    setFault,
    stats: () => ({ connections: pairs.size, accepted }),
    stop: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      control.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => proxy.close(() => resolve())),
        new Promise<void>((resolve) => control.close(() => resolve())),
      ]);
    },
  };
}

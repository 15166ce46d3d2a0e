/**
 * A local JSON Web Key Set for the test suite: the functions (in the emulator, through
 * STILLA_AUTH_JWKS_URL) verify RS256 tokens against it, and the tests sign tokens with its
 * private key, so every rejection rule of real signed tokens can be exercised over HTTP.
 * `POST /__fault {"mode": "ok" | "down" | "hang"}` makes fetching the keys fail.
 */
import { generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type JwksFault = 'ok' | 'down' | 'hang';

export interface TestSigningKey {
  kid: string;
  /** Private key as a JWK (RS256), for the tests to sign with. */
  privateJwk: JsonWebKey;
  /** The public half as served in the key set. */
  publicJwk: JsonWebKey;
}

export interface JwksServer {
  url: string;
  key: TestSigningKey;
  setFault(mode: JwksFault): void;
  stop(): Promise<void>;
}

/** Generates a fresh RS256 key pair with a random `kid`. */
export function generateSigningKey(): TestSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const kid = randomUUID();
  return {
    kid,
    privateJwk: {
      ...privateKey.export({ format: 'jwk' }),
      kid,
      alg: 'RS256',
      use: 'sig',
    },
    publicJwk: {
      ...publicKey.export({ format: 'jwk' }),
      kid,
      alg: 'RS256',
      use: 'sig',
    },
  };
}

/**
 * Serves `GET /jwks` (the key set) on loopback.
 * @param port - 0 picks a free port
 */
export async function startJwksServer({
  port = 0,
  key = generateSigningKey(),
} = {}): Promise<JwksServer> {
  let fault: JwksFault = 'ok';
  const sockets = new Set<Socket>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'max-age=300',
    });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/__fault') {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const mode = (JSON.parse(raw || '{}') as { mode?: JwksFault }).mode ?? 'ok';
        fault = mode;
        json(res, 200, { mode });
      });
      return;
    }
    if (req.url !== '/jwks') return json(res, 404, { error: 'not found' });
    if (fault === 'hang') return; // never answer; the socket is destroyed on stop()
    if (fault === 'down') return json(res, 503, { error: 'unavailable' });
    json(res, 200, { keys: [key.publicJwk] });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/jwks`,
    key,
    setFault: (mode) => {
      fault = mode;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

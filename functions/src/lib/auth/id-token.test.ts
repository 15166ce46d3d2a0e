/**
 * Every rejection rule of Firebase ID tokens against a real local JWKS over HTTP, with
 * jose's real remote key set: including alg none outside the emulator and unreachable keys.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
  type JWK,
} from 'jose';
import { InvalidTokenError, SigningKeysUnavailableError, verifyIdToken } from './id-token';

const PROJECT = 'demo-unit';

/** A key set served over HTTP on loopback, which can be made to fail (`down`) or hang. */
interface LocalJwks {
  url: string;
  key: { kid: string; privateJwk: JWK; publicJwk: JWK };
  setFault(mode: 'ok' | 'down' | 'hang'): void;
  stop(): Promise<void>;
}

async function startLocalJwks(): Promise<LocalJwks> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'unit-key';
  const key = {
    kid,
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' },
  };
  let fault: 'ok' | 'down' | 'hang' = 'ok';
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    if (fault === 'hang') return;
    res.writeHead(fault === 'down' ? 503 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(fault === 'down' ? { error: 'down' } : { keys: [key.publicJwk] }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    key,
    setFault: (mode) => {
      fault = mode;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

let jwks: LocalJwks;
beforeAll(async () => {
  jwks = await startLocalJwks();
});
afterAll(() => jwks.stop());
afterEach(() => jwks.setFault('ok'));

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: `https://securetoken.google.com/${PROJECT}`,
  aud: PROJECT,
  sub: 'user-1',
  iat: now() - 5,
  exp: now() + 3600,
  auth_time: now() - 5,
  ...overrides,
});

async function sign(
  payload: JWTPayload,
  { kid = jwks.key.kid, key }: { kid?: string; key?: JWK } = {},
) {
  const { importJWK } = await import('jose');
  const privateKey = await importJWK((key ?? jwks.key.privateJwk) as JWK, 'RS256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
}

const unsigned = (payload: JWTPayload) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

const verify = (token: string, allowUnsigned = false) =>
  verifyIdToken(token, {
    projectId: PROJECT,
    keys: createRemoteJWKSet(new URL(jwks.url), { timeoutDuration: 300, cooldownDuration: 0 }),
    allowUnsigned,
  });

async function expectRejected(token: string, reason: string, allowUnsigned = false) {
  const error = await verify(token, allowUnsigned).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect((error as InvalidTokenError).reason).toBe(reason);
}

it('accepts a valid token and returns sub as the uid', async () => {
  await expect(verify(await sign(claims()))).resolves.toMatchObject({ uid: 'user-1' });
});

it.each([
  ['expired', { exp: now() - 60 }, 'expired'],
  ['issued in the future', { iat: now() + 120 }, 'not_yet_valid'],
  ['wrong issuer', { iss: 'https://securetoken.google.com/other' }, 'wrong_issuer'],
  ['wrong audience', { aud: 'other' }, 'wrong_audience'],
  ['missing sub', { sub: undefined }, 'bad_claims'],
  ['over-long sub', { sub: 'x'.repeat(129) }, 'bad_subject'],
  ['reserved sub', { sub: '__admin__' }, 'bad_subject'],
  ['auth_time in the future', { auth_time: now() + 120 }, 'bad_claims'],
  ['missing auth_time', { auth_time: undefined }, 'bad_claims'],
])('rejects a token that is %s', async (_label, overrides, reason) => {
  await expectRejected(await sign(claims(overrides)), reason);
});

it('tolerates 5 s of clock skew but not more', async () => {
  await expect(verify(await sign(claims({ iat: now() + 3 })))).resolves.toBeTruthy();
  await expectRejected(await sign(claims({ iat: now() + 30 })), 'not_yet_valid');
});

it('rejects an unknown kid and a known kid with the wrong key', async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await exportJWK(privateKey);
  await expectRejected(await sign(claims(), { kid: 'nope', key: foreign }), 'unknown_key');
  await expectRejected(await sign(claims(), { key: foreign }), 'bad_signature');
});

it('rejects HS256 signed with the public key', async () => {
  const secret = new TextEncoder().encode(JSON.stringify(jwks.key.publicJwk));
  const token = await new SignJWT(claims())
    .setProtectedHeader({ alg: 'HS256', kid: jwks.key.kid })
    .sign(secret);
  await expectRejected(token, 'algorithm_not_allowed');
});

it('rejects alg none outside the emulator, and checks its claims inside', async () => {
  await expectRejected(unsigned(claims()), 'algorithm_not_allowed');
  await expect(verify(unsigned(claims()), true)).resolves.toMatchObject({ uid: 'user-1' });
  await expectRejected(unsigned(claims({ aud: 'other' })), 'wrong_audience', true);
  await expectRejected(unsigned(claims({ exp: now() - 60 })), 'expired', true);
});

it('rejects garbage as malformed', async () => {
  await expectRejected('a.b.c', 'malformed');
  await expectRejected('not a token', 'malformed');
});

it.each(['down', 'hang'] as const)(
  'reports unreachable keys (%s) as SigningKeysUnavailableError, not a 401',
  async (mode) => {
    jwks.setFault(mode);
    const error = await verify(await sign(claims())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningKeysUnavailableError);
  },
);

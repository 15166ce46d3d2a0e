/** Users and tokens for the tests: real Auth-emulator users, and RS256 tokens from the test signer. */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type JWK, type JWTPayload } from 'jose';
import { requireEnv } from './api';

export interface TestUser {
  uid: string;
  token: string;
}

/** Signs up a fresh anonymous user in the Auth emulator; its ID token is unsigned (`alg: none`). */
export async function newUser(): Promise<TestUser> {
  const host = requireEnv('FIREBASE_AUTH_EMULATOR_HOST');
  const res = await fetch(
    `http://${host}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ returnSecureToken: true }),
    },
  );
  if (!res.ok) throw new Error(`signUp failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { idToken: string; localId: string };
  return { uid: body.localId, token: body.idToken };
}

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export function signingKey(): SigningKey {
  return JSON.parse(readFileSync(requireEnv('STILLA_TEST_SIGNING_KEY'), 'utf8')) as SigningKey;
}

export const projectId = (): string => requireEnv('STILLA_PROJECT_ID');

/** Claims of a valid Firebase ID token for a new random user, overridable. */
export function validClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `https://securetoken.google.com/${projectId()}`,
    aud: projectId(),
    sub: `signed-${randomUUID()}`,
    iat: now - 10,
    exp: now + 3600,
    auth_time: now - 10,
    ...overrides,
  };
}

/** An RS256 token signed by the test JWKS key (or `key`, e.g. one the server does not know). */
export async function signedToken(
  claims: JWTPayload = validClaims(),
  options: { kid?: string; key?: JWK } = {},
): Promise<string> {
  const key = signingKey();
  const privateKey = await importJWK(options.key ?? key.privateJwk, 'RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
    .sign(privateKey);
}

/** An unsigned (`alg: none`) token, as the Auth emulator issues. */
export function unsignedToken(claims: JWTPayload): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

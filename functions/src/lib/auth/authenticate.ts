/**
 * Request authentication: `Authorization: Bearer <Firebase ID token>` to a user id, with the
 * JWKS client created once per instance so Google's keys stay cached between requests.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { ApiError, unavailable } from '../http/errors';
import { BENCH_BEFORE, isEmulator, projectId } from '../config/params';
import {
  FIREBASE_JWKS_URL,
  InvalidTokenError,
  SigningKeysUnavailableError,
  verifyIdToken,
  type VerifiedToken,
} from './id-token';
import { VerifiedTokenCache } from './verified-tokens';

/** Deadline of one JWKS fetch, in milliseconds. */
const JWKS_TIMEOUT_MS = 2_000;

let keys: { url: string; getKey: JWTVerifyGetKey } | undefined;

/** Tokens this instance verified, until they expire (see {@link VerifiedTokenCache}). */
const verifiedTokens = new VerifiedTokenCache();

/**
 * Google's keys, or inside the emulator the keys at `STILLA_AUTH_JWKS_URL` when set (the test
 * suite's own signer). Production ignores that variable.
 */
function signingKeys(): JWTVerifyGetKey {
  const override = isEmulator() ? process.env.STILLA_AUTH_JWKS_URL : undefined;
  const url = override || FIREBASE_JWKS_URL;
  if (!keys || keys.url !== url) {
    keys = {
      url,
      getKey: createRemoteJWKSet(new URL(url), {
        timeoutDuration: JWKS_TIMEOUT_MS,
        cooldownDuration: 30_000,
        cacheMaxAge: 60 * 60 * 1000,
      }),
    };
  }
  return keys.getKey;
}

/** RFC 7235: the scheme is case-insensitive; RFC 6750: one or more spaces before the token. */
const BEARER = /^Bearer +([A-Za-z0-9_\-.]+=*)$/i;

/**
 * The longest token verified. A Firebase ID token is about 1 KiB (custom claims are capped at
 * 1000 bytes); anything far beyond is refused before any decoding or signature work.
 */
const MAX_TOKEN_LENGTH = 4096;

/** The challenge of every `401`. */
export const WWW_AUTHENTICATE = 'Bearer realm="stilla"';

function unauthenticated(message: string): ApiError {
  return new ApiError('unauthenticated', message, {
    headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  });
}

/**
 * The request's one `Authorization` header. Node keeps only the first of repeated ones in
 * `req.headers`; two credentials in one request are ambiguous (a proxy may read the other one),
 * so a repeat is a `401`, whatever the values.
 */
export function singleAuthorization(rawHeaders: readonly string[]): string | undefined {
  let value: string | undefined;
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== 'authorization') continue;
    seen += 1;
    value = rawHeaders[i + 1];
  }
  if (seen > 1) throw unauthenticated('Send exactly one Authorization header.');
  return value;
}

/** The verified user of a request, or a `401`/`503` ApiError. */
export async function authenticate(authorization: string | undefined): Promise<VerifiedToken> {
  if (!authorization) throw unauthenticated('A bearer token is required.');
  if (authorization.length > MAX_TOKEN_LENGTH + 64) throw unauthenticated('The token is too long.');
  const match = BEARER.exec(authorization.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  const token = match[1] as string;
  const known = BENCH_BEFORE ? undefined : verifiedTokens.get(token);
  if (known) return known;
  try {
    const verified = await verifyIdToken(token, {
      projectId: projectId(),
      keys: signingKeys(),
      allowUnsigned: isEmulator() && Boolean(process.env.FIREBASE_AUTH_EMULATOR_HOST),
    });
    if (!BENCH_BEFORE) verifiedTokens.set(token, verified);
    return verified;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    if (error instanceof SigningKeysUnavailableError) {
      throw unavailable('Sign-in cannot be verified right now. Try again shortly.', 5, error);
    }
    throw error;
  }
}

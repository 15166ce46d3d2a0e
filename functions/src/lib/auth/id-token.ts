/**
 * Verification of Firebase ID tokens with jose: RS256 only, against Google's JWKS, with the
 * issuer, audience, subject and time claims Firebase Auth documents. Unsigned tokens (the Auth
 * emulator's) pass only when the caller says it runs inside the emulator.
 */
import {
  UnsecuredJWT,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

/** Google's public keys for Firebase ID tokens. */
export const FIREBASE_JWKS_URL =
  'https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com';

/** Clock skew tolerated on `exp`, `iat` and `auth_time`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** Longest `sub` Firebase Auth issues. */
const MAX_SUBJECT_LENGTH = 128;

/** Why a token was refused. Each reason is one `401`; the message is safe to show. */
export type TokenRejection =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'bad_subject'
  | 'bad_claims';

/** A token that must be answered with `401`. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
  }
}

/** The signing keys could not be fetched: answer `503`, not `401`, since the token may be fine. */
export class SigningKeysUnavailableError extends Error {
  override readonly name = 'SigningKeysUnavailableError';
}

export interface VerifiedToken {
  uid: string;
  claims: JWTPayload;
}

export interface VerifyOptions {
  projectId: string;
  keys: JWTVerifyGetKey;
  /** Accept `alg: none` tokens (still checking every claim). Only inside the emulator. */
  allowUnsigned: boolean;
  /** Defaults to the current time. */
  now?: Date;
}

/** Verifies a Firebase ID token and returns its subject as the user id. */
export async function verifyIdToken(token: string, options: VerifyOptions): Promise<VerifiedToken> {
  const issuer = `https://securetoken.google.com/${options.projectId}`;
  const currentDate = options.now ?? new Date();
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new InvalidTokenError('malformed', 'The bearer token is not a JWT.');
  }

  let payload: JWTPayload;
  try {
    if (header.alg === 'none' && options.allowUnsigned) {
      ({ payload } = UnsecuredJWT.decode(token, {
        issuer,
        audience: options.projectId,
        currentDate,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } else {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer,
        audience: options.projectId,
        algorithms: ['RS256'],
        currentDate,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp', 'auth_time'],
      }));
    }
  } catch (error) {
    throw classify(error);
  }

  const nowSeconds = Math.floor(currentDate.getTime() / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new InvalidTokenError('not_yet_valid', 'The token was issued in the future.');
  }
  const authTime = payload.auth_time;
  if (
    authTime !== undefined &&
    (typeof authTime !== 'number' || authTime > nowSeconds + CLOCK_TOLERANCE_SECONDS)
  ) {
    throw new InvalidTokenError('bad_claims', 'The token has an invalid auth_time.');
  }
  const uid = payload.sub;
  if (!isUsableSubject(uid)) {
    throw new InvalidTokenError('bad_subject', 'The token has no valid subject.');
  }
  return { uid, claims: payload };
}

/**
 * A subject we can use as a user id: what Firebase issues (1-128 characters) and safe as a
 * Firestore document id (no `/`, not `.` or `..`, not `__…__`).
 */
function isUsableSubject(sub: unknown): sub is string {
  return (
    typeof sub === 'string' &&
    sub.length > 0 &&
    sub.length <= MAX_SUBJECT_LENGTH &&
    !sub.includes('/') &&
    sub !== '.' &&
    sub !== '..' &&
    !/^__.*__$/.test(sub)
  );
}

function classify(error: unknown): Error {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) {
    return new InvalidTokenError('expired', 'The token has expired.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new InvalidTokenError('wrong_issuer', 'The token was issued for another issuer.');
      case 'aud':
        return new InvalidTokenError(
          'wrong_audience',
          'The token was issued for another audience.',
        );
      case 'nbf':
        return new InvalidTokenError('not_yet_valid', 'The token is not valid yet.');
      default:
        return new InvalidTokenError('bad_claims', 'The token claims are invalid.');
    }
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new InvalidTokenError('algorithm_not_allowed', 'The token algorithm is not allowed.');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('bad_signature', 'The token signature is invalid.');
  }
  if (
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return new InvalidTokenError('unknown_key', 'The token was signed with an unknown key.');
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return new SigningKeysUnavailableError('The signing keys could not be fetched.', {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return new InvalidTokenError('malformed', 'The token is malformed.');
  }
  if (error instanceof joseErrors.JOSEError) {
    // JOSEError itself (no subclass) is what jose throws for a non-200 JWKS response.
    if (error.constructor === joseErrors.JOSEError) {
      return new SigningKeysUnavailableError('The signing keys could not be fetched.', {
        cause: error,
      });
    }
    return new InvalidTokenError('malformed', 'The token could not be verified.');
  }
  // Network failures of the JWKS fetch surface as plain errors (TypeError: fetch failed).
  return new SigningKeysUnavailableError('The signing keys could not be fetched.', {
    cause: error,
  });
}

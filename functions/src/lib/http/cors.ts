/**
 * CORS: allowed origins come from `CORS_ALLOWED_ORIGINS`; in the emulator every
 * `http://localhost:*` and `http://127.0.0.1:*` origin is allowed too.
 */
import { CORS_ALLOWED_ORIGINS, isEmulator } from '../config/params';

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

/** Headers a browser may send, at least the contract's five. */
export const CORS_ALLOWED_HEADERS =
  'Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id, Accept';
/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS =
  'X-Request-Id, X-Cache, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Idempotent-Replayed, ETag';
/** How long a browser may cache a preflight, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Whether `origin` may call the API from a browser. */
function isAllowedOrigin(
  origin: string | undefined,
  configured = CORS_ALLOWED_ORIGINS.value(),
): boolean {
  if (!origin) return false;
  if (isEmulator() && LOCAL_ORIGIN.test(origin)) return true;
  return configured
    .split(',')
    .map((entry) => entry.trim())
    .some((entry) => entry !== '' && entry === origin);
}

/** CORS headers of an actual (non-preflight) response. `Vary: Origin` always, since it varies. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!isAllowedOrigin(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin as string,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS,
  };
}

/** Headers of a preflight answer for a function that serves `methods`. */
export function preflightHeaders(
  origin: string | undefined,
  methods: readonly string[],
): Record<string, string> {
  if (!isAllowedOrigin(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin as string,
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}

/**
 * The parts of docs/openapi.json that every function shares: the headers and error responses of
 * the common rules (lib/http/endpoint.ts), the error body, the security scheme, servers and
 * tags. Values the code sends come from the code (CORS lists, the bearer challenge, the codes).
 */
import { z } from 'zod';
import { WWW_AUTHENTICATE } from '../lib/auth/authenticate';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '../lib/http/cors';
import { allowHeaderOf, type HeaderDoc } from '../lib/http/endpoint';
import { ERROR_STATUS, INTERNAL_MESSAGE, type ErrorCode } from '../lib/http/errors';
import { MAX_BODY_BYTES } from '../lib/http/validation';

/** The pattern of every request id the server sends (a client's own kept one, or a UUID). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const EXAMPLE_REQUEST_ID = '3f2b1c9e-5d4a-4b7e-9c1a-2e6f8d0b7a41';

export const TAG_DESCRIPTIONS: Record<string, string> = {
  service: 'Service health.',
  moods: 'Logging and listing mood entries.',
  insights: 'The weekly analysis of moods.',
  chat: 'Conversations with the AI companion.',
  allocations: 'Monthly allocations.',
  account: 'The account: export and erase.',
};

export const SERVERS = [
  {
    url: 'https://europe-west1-{projectId}.cloudfunctions.net',
    description: 'Production (Cloud Functions 2nd gen, region europe-west1).',
    variables: {
      projectId: {
        default: 'demo-stilla',
        description:
          "The Firebase project id of the deployment. `demo-stilla` is the repository's default (local) project; a real deployment has its own id.",
      },
    },
  },
  {
    url: 'http://127.0.0.1:5001/demo-stilla/europe-west1',
    description:
      'Local Functions emulator (`npm start`). Project `demo-stilla` needs no credentials; sign users up in the Auth emulator on port 9099. Unsigned Auth-emulator tokens (`alg: none`) are accepted here only, with the right issuer, audience, `sub` and expiry.',
  },
];

export const SECURITY_SCHEMES = {
  firebaseIdToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT (Firebase ID token)',
    description:
      "`Authorization: Bearer <Firebase ID token>`. The token must be RS256-signed by Google's Firebase keys, with issuer `https://securetoken.google.com/{projectId}`, audience `{projectId}`, an `exp` not passed, `iat` and `auth_time` not in the future (5 s clock tolerance), and a `sub` of 1-128 characters without `/` (not `.`, `..` or `__…__`). The user id is the token's `sub`, and only that: no user id is read from a body or query. A missing, malformed, expired, wrongly signed, wrong-issuer or wrong-audience token is `401 unauthenticated` with `WWW-Authenticate`; while Google's keys cannot be fetched the answer is `503 unavailable`. Inside the Firebase emulator with the Auth emulator configured, unsigned (`alg: none`) tokens are accepted, with every claim still checked.",
  },
};

/** The request headers every operation takes. */
export const COMMON_REQUEST_HEADERS: Record<string, { name: string } & HeaderDoc> = {
  RequestId: {
    name: 'X-Request-Id',
    description: `The client's own request id. Kept (echoed in \`X-Request-Id\`, error bodies and logs) when it is 1-64 characters of \`[A-Za-z0-9._-]\`; any other value is replaced by a new id, not rejected.`,
    // No pattern: a value outside it is replaced, not rejected, so the document may not forbid it.
    schema: z.string(),
  },
};

/** The request headers of a CORS preflight. */
export const PREFLIGHT_REQUEST_HEADERS: Record<string, { name: string } & HeaderDoc> = {
  Origin: {
    name: 'Origin',
    description:
      'The browser origin. Allowed origins get the CORS headers; others get none (still `204`).',
    schema: z.string().meta({ examples: ['http://localhost:3000'] }),
  },
  AccessControlRequestMethod: {
    name: 'Access-Control-Request-Method',
    description: 'Sent by browsers; the answer does not depend on it.',
    schema: z.string(),
  },
  AccessControlRequestHeaders: {
    name: 'Access-Control-Request-Headers',
    description: 'Sent by browsers; the answer does not depend on it.',
    schema: z.string(),
  },
};

const COUNTED =
  "Present once the request has been counted: on every answer that passed authentication (per user) and on every `health` answer (per client IP); absent on `401`, `405`, `413`, on `503` from authentication, and on body errors the runtime's parser answers.";

const rateLimitHeaders = (required: boolean, suffix: string): Record<string, HeaderDoc> => {
  const text = (what: string) => (required ? what : `${what} ${COUNTED}`);
  return {
    [`RateLimit-Limit${suffix}`]: {
      required,
      description: required
        ? 'Requests allowed in the sliding window (per user and function; per client IP for `health` and for the failed-authentication limit).'
        : text('Requests allowed in the sliding window.'),
      schema: z.int().min(0),
    },
    [`RateLimit-Remaining${suffix}`]: {
      required,
      description: text(
        required ? 'Requests left in the window (0 when limited).' : 'Requests left in the window.',
      ),
      schema: z.int().min(0),
    },
    [`RateLimit-Reset${suffix}`]: {
      required,
      description: text('Seconds until the window frees a request.'),
      schema: z.int().min(0),
    },
  };
};

const X_CACHE = z.enum(['HIT', 'MISS', 'BYPASS']);

/** Response headers shared by operations, as `components.headers` (name: header). */
export function sharedHeaders(cachedFunctions: string[]): Record<string, HeaderDoc> {
  return {
    'X-Request-Id': {
      description:
        "The request id: the client's own `X-Request-Id` when it was 1-64 characters of `[A-Za-z0-9._-]`, else a new UUID.",
      schema: z.string().regex(REQUEST_ID),
    },
    Vary: { description: 'Responses vary by `Origin` (CORS).', schema: z.literal('Origin') },
    'Access-Control-Allow-Origin': {
      required: false,
      description: "The request's `Origin` itself, only when that origin is allowed.",
      schema: z.string(),
    },
    'Access-Control-Expose-Headers': {
      required: false,
      description:
        "Only when the request's `Origin` is allowed: the response headers browser scripts may read.",
      schema: z.literal(CORS_EXPOSED_HEADERS),
    },
    ...rateLimitHeaders(true, ''),
    ...rateLimitHeaders(false, '-Optional'),
    'Retry-After': { description: 'Seconds to wait before retrying.', schema: z.int().min(1) },
    'WWW-Authenticate': {
      description: 'The bearer challenge.',
      schema: z.literal(WWW_AUTHENTICATE),
    },
    'X-Cache': {
      description:
        '`HIT`: served from the shared cache. `MISS`: computed now (and stored). `BYPASS`: the cache (Redis) is unavailable, computed without it.',
      schema: X_CACHE,
    },
    'X-Cache-Optional': {
      required: false,
      description: `${cachedFunctions.join(' and ')} only, as on their \`200\`: present when the error happened after the cache lookup (a bad cursor, Firestore unavailable, an unexpected error).`,
      schema: X_CACHE,
    },
    'Cache-Control-Private': {
      description: 'User data: never stored by browsers or proxies.',
      schema: z.literal('private, no-store'),
    },
    'Cache-Control-Error': {
      required: false,
      description:
        "`private, no-store` on errors raised by the function itself (e.g. `409`, `503` from Firestore, a bad cursor), `no-store` on body errors answered by the runtime's parser; absent otherwise.",
      schema: z.enum(['private, no-store', 'no-store']),
    },
    'Access-Control-Allow-Headers': {
      required: false,
      description: 'Only for an allowed `Origin`: the request headers a browser may send.',
      schema: z.literal(CORS_ALLOWED_HEADERS),
    },
    'Access-Control-Max-Age': {
      required: false,
      description: 'Only for an allowed `Origin`: seconds a browser may cache this preflight.',
      schema: z.literal(CORS_MAX_AGE_SECONDS),
    },
  };
}

/** Headers that depend on the methods a function serves, named by them (`Allow-GET-DELETE`). */
export function methodHeaders(methods: string[]): Record<string, HeaderDoc> {
  const suffix = methods.join('-');
  return {
    [`Allow-${suffix}`]: {
      description: 'The methods this function serves (`HEAD` wherever `GET` is).',
      schema: z.literal(allowHeaderOf(methods)),
    },
    [`Access-Control-Allow-Methods-${suffix}`]: {
      required: false,
      description: 'Only for an allowed `Origin`.',
      schema: z.literal([...methods, 'OPTIONS'].join(', ')),
    },
  };
}

/** Every response carries these. */
export const BASE_HEADERS = [
  'X-Request-Id',
  'Vary',
  'Access-Control-Allow-Origin',
  'Access-Control-Expose-Headers',
];
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
const RATE_LIMIT_OPTIONAL = RATE_LIMIT_HEADERS.map((name) => `${name}-Optional`);

/** How docs/openapi.json describes an error code: response name, text, example, headers. */
export interface ErrorDoc {
  name: string;
  description: string;
  message: string;
  /** Header component names beyond BASE_HEADERS; the key is the header's real name. */
  headers: Record<string, string>;
}

/** Header components by the header they describe (`Cache-Control-Private` is `Cache-Control`). */
const named = (names: string[]): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name.replace(/-(Optional|Private|Error)$/, ''), name]));

const AFTER_COUNT = named([...RATE_LIMIT_OPTIONAL, 'Cache-Control-Error']);

/** The error codes by status, with what the document says about each. */
export const ERROR_DOCS: Record<ErrorCode, ErrorDoc> = {
  invalid_argument: {
    name: 'BadRequest',
    description:
      "`invalid_argument`: malformed JSON, a missing body or one that is not a JSON object, failed validation (`details` lists every failed field), unknown fields or query parameters, a repeated query parameter, or a value the function rejects (e.g. a bad cursor). Malformed JSON is answered by the runtime's parser before authentication, so it is `400` even without a token.",
    message: 'The request body is invalid.',
    headers: { ...AFTER_COUNT, 'X-Cache': 'X-Cache-Optional' },
  },
  unauthenticated: {
    name: 'Unauthenticated',
    description:
      "`unauthenticated`: the bearer token is missing, malformed, expired, not yet valid, wrongly signed, or has the wrong issuer, audience or subject. Counted against the client IP's failed-authentication limit.",
    message: 'A bearer token is required.',
    headers: named(['WWW-Authenticate']),
  },
  not_found: {
    name: 'NotFound',
    description: "`not_found`: the resource does not exist (or is not the user's).",
    message: 'Resource not found.',
    headers: named([...RATE_LIMIT_HEADERS, 'Cache-Control-Private', 'X-Cache-Optional']),
  },
  method_not_allowed: {
    name: 'MethodNotAllowed',
    description:
      '`method_not_allowed`: any method the function does not serve (e.g. `HEAD`). Answered before authentication.',
    message: 'PUT is not allowed here.',
    headers: {},
  },
  conflict: {
    name: 'Conflict',
    description:
      '`conflict`: the request conflicts with what is stored, e.g. an `Idempotency-Key` already used with a different body (or for an entry that was deleted in the meantime). Nothing is stored.',
    message: 'This Idempotency-Key was already used with a different request body.',
    headers: named([...RATE_LIMIT_HEADERS, 'Cache-Control-Private']),
  },
  payload_too_large: {
    name: 'PayloadTooLarge',
    description: `\`payload_too_large\`: a body over ${MAX_BODY_BYTES / 1024} KiB (${MAX_BODY_BYTES} bytes), by its \`Content-Length\` before authentication, or by its actual size. Nothing is stored.`,
    message: `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB.`,
    headers: AFTER_COUNT,
  },
  unsupported_media_type: {
    name: 'UnsupportedMediaType',
    description:
      '`unsupported_media_type`: (functions that take a body) a body whose `Content-Type` is not `application/json`; (any function) a body in a charset or `Content-Encoding` the runtime cannot decode.',
    message: 'The request body must be application/json.',
    headers: AFTER_COUNT,
  },
  rate_limited: {
    name: 'RateLimited',
    description:
      '`rate_limited`: the sliding window of this user and function is used up (for `health`: of this client IP), or this client IP has failed authentication too often; `RateLimit-*` describe the window that was exceeded.',
    message: 'Too many requests. Try again later.',
    headers: named(['Retry-After', ...RATE_LIMIT_HEADERS]),
  },
  quota_exceeded: {
    name: 'QuotaExceeded',
    description:
      "`quota_exceeded`: the user's daily model budget is spent; `Retry-After` counts the seconds to 00:00 UTC. Nothing is stored.",
    message: 'The daily AI quota is used up. Try again tomorrow.',
    headers: named(['Retry-After', ...RATE_LIMIT_HEADERS, 'Cache-Control-Private']),
  },
  failed_precondition: {
    name: 'FailedPrecondition',
    description:
      '`failed_precondition`: the `If-Match` no longer matches the current `ETag` (another device wrote in between). Nothing changed: read again, then retry.',
    message: 'The resource changed since the given If-Match ETag.',
    headers: named([...RATE_LIMIT_HEADERS, 'Cache-Control-Private']),
  },
  internal: {
    name: 'Internal',
    description:
      '`internal`: an unexpected error. The message leaks nothing; the error is reported under the request id.',
    message: INTERNAL_MESSAGE,
    headers: { ...AFTER_COUNT, 'X-Cache': 'X-Cache-Optional' },
  },
  unavailable: {
    name: 'Unavailable',
    description:
      "`unavailable`: Firestore is unreachable or did not answer within its deadline (5 s by default), or, before authentication, Google's signing keys could not be fetched. Retry after `Retry-After` seconds (5).",
    message: 'The database is unavailable. Try again shortly.',
    headers: { 'Retry-After': 'Retry-After', ...AFTER_COUNT, 'X-Cache': 'X-Cache-Optional' },
  },
};

const fieldViolation = z
  .object({
    path: z
      .string()
      .describe(
        'Dotted path of the failed field (`tags.3`, `score`, `cursor`); `""` for the object itself (e.g. unknown fields, which the message names). A malformed header is reported under its name (e.g. `Idempotency-Key`).',
      ),
    message: z.string().min(1),
  })
  .meta({ id: 'FieldViolation' });

/** The error body for these codes (one status); every error response has this shape. */
export function errorBodySchema(codes: [ErrorCode, ...ErrorCode[]]) {
  return z.object({
    error: z.object({
      code: codes.length === 1 ? z.literal(codes[0]) : z.enum(codes),
      message: z
        .string()
        .min(1)
        .describe(
          'Human-readable English; never leaks internals (a `500` says only that the error was reported).',
        ),
      requestId: z
        .string()
        .regex(REQUEST_ID)
        .describe('The same value as the `X-Request-Id` response header.'),
      details: z
        .array(fieldViolation)
        .min(1)
        .optional()
        .describe(
          'Only on `400 invalid_argument` for failed fields, one entry per failure. Absent when the whole body is unusable (malformed JSON, no body, a body that is not an object).',
        ),
    }),
  });
}

/** The codes and statuses of the contract, for the document's introduction. */
export const ERROR_CODES_TEXT = (Object.keys(ERROR_STATUS) as ErrorCode[])
  .map((code) => `\`${code}\` ${ERROR_STATUS[code]}`)
  .join(', ');

export const BAD_REQUEST_EXAMPLE_DETAILS = [
  { path: 'score', message: 'Must be an integer from 1 to 10.' },
  { path: 'tags.1', message: 'Duplicate tag "walk".' },
];

/** The preflight answer's description. */
export const PREFLIGHT_DESCRIPTION =
  'Preflight answer; no token needed. For an allowed `Origin` it carries `Access-Control-Allow-Origin` (the origin), `-Methods`, `-Headers` and `-Max-Age`; for any other origin (or none) only `Allow`, `Vary` and `X-Request-Id`.';

import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { ApiError, invalidArgument, type FieldViolation } from './errors';

/** Largest request body accepted, in bytes (the contract's 64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** `application/json` with optional parameters: the one type the runtime parses as JSON. */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;|$)/i;

/** Zod issues as the contract's `details`, paths dotted (`categories.2.key`). */
function toFieldViolations(error: z.ZodError): FieldViolation[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Validates `input` against `schema`, throwing `400 invalid_argument` with details. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, what: 'query' | 'body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidArgument(
    what === 'body' ? 'The request body is invalid.' : 'The query parameters are invalid.',
    toFieldViolations(result.error),
  );
}

/**
 * The query string as a plain object of strings, read from the raw URL so that every runtime
 * parses it alike; a repeated parameter becomes an array, which a strict schema then rejects.
 */
export function queryParams(rawUrl: string | undefined): Record<string, string | string[]> {
  const params = new URL(rawUrl ?? '/', 'http://localhost').searchParams;
  // No prototype: `?__proto__=1` or `?constructor=x` become ordinary unknown keys (400),
  // not a prototype change that strict validation cannot see.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}

/** Rejects a declared body over the limit before anything reads it. */
export function assertContentLength(headers: IncomingHttpHeaders): void {
  const declared = Number(headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge();
}

function payloadTooLarge(): ApiError {
  return new ApiError(
    'payload_too_large',
    `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB.`,
  );
}

/**
 * The JSON body of a request that the runtime has already parsed (Cloud Functions parses
 * `application/json` before user code runs; malformed JSON never gets here, see
 * runtime-errors.ts). Enforces size, media type and that a body is present.
 */
export function jsonBody(req: {
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: Buffer;
}): unknown {
  const size = req.rawBody?.length ?? 0;
  if (size > MAX_BODY_BYTES) throw payloadTooLarge();
  const contentType = req.headers['content-type'];
  if (size === 0 && contentType === undefined) {
    throw invalidArgument('A JSON request body is required.');
  }
  if (!contentType || !JSON_MEDIA_TYPE.test(contentType)) {
    throw new ApiError('unsupported_media_type', 'The request body must be application/json.');
  }
  if (size === 0) throw invalidArgument('A JSON request body is required.');
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw invalidArgument('The request body must be a JSON object.');
  }
  return req.body;
}

/**
 * The contract's error vocabulary. Every failure a client can see is an {@link ApiError}, or a
 * lower layer's {@link RefusalError}, mapped here (and only here) by its code; anything else that
 * escapes a handler becomes `500 internal` with a message that leaks nothing.
 */
import { RefusalError, type RefusalCode } from '../errors';

/** Error codes of the HTTP contract, with the status each one is sent with. */
export const ERROR_STATUS = {
  invalid_argument: 400,
  unauthenticated: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  failed_precondition: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  quota_exceeded: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One failed field of a validation error: `path` is dotted (`tags.3`), `""` for the root. */
export interface FieldViolation {
  path: string;
  message: string;
}

/** The body of every error response: `{"error": {...}}`. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    details?: FieldViolation[];
  };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      details?: FieldViolation[];
      /** Extra response headers, e.g. `Retry-After` or `Allow`. */
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = ERROR_STATUS[code];
  }

  get details(): FieldViolation[] | undefined {
    return this.options.details;
  }

  get headers(): Record<string, string> {
    return this.options.headers ?? {};
  }
}

export const invalidArgument = (message: string, details?: FieldViolation[]): ApiError =>
  new ApiError('invalid_argument', message, details ? { details } : {});

export const notFound = (what = 'Resource'): ApiError =>
  new ApiError('not_found', `${what} not found.`);

export const conflict = (message: string): ApiError => new ApiError('conflict', message);

export const failedPrecondition = (message: string): ApiError =>
  new ApiError('failed_precondition', message);

export const unavailable = (message: string, retryAfterSeconds = 5, cause?: unknown): ApiError =>
  new ApiError('unavailable', message, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    cause,
  });

export const INTERNAL_MESSAGE = 'An unexpected error occurred. It has been reported.';

/** Builds the contract's error body; `details` only when there are some. */
export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details && error.details.length > 0 ? { details: error.details } : {}),
    },
  };
}

/** The HTTP answer of each refusal code of the layers below. */
const REFUSAL_CODES: Record<RefusalCode, ErrorCode> = {
  ERR_NOT_FOUND: 'not_found',
  ERR_PRECONDITION_FAILED: 'failed_precondition',
  ERR_INVALID_CHANGE: 'invalid_argument',
  ERR_QUOTA_EXCEEDED: 'quota_exceeded',
};

/** A lower layer's refusal as the contract's error: its code, message, field and `Retry-After`. */
export function fromRefusal(refusal: RefusalError): ApiError {
  const code = REFUSAL_CODES[refusal.code];
  return new ApiError(code, code === 'invalid_argument' ? 'The request body is invalid.' : refusal.message, {
    ...(refusal.path !== undefined ? { details: [{ path: refusal.path, message: refusal.message }] } : {}),
    ...(refusal.retryAfterSeconds !== undefined
      ? { headers: { 'Retry-After': String(refusal.retryAfterSeconds) } }
      : {}),
    cause: refusal,
  });
}

/**
 * Any thrown value as an ApiError: ApiErrors pass through, refusals are mapped
 * ({@link fromRefusal}), everything else is `internal`.
 */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  if (thrown instanceof RefusalError) return fromRefusal(thrown);
  return new ApiError('internal', INTERNAL_MESSAGE, { cause: thrown });
}

/**
 * The base of the typed errors that layers below the HTTP edge throw when they refuse something
 * a client can correct or retry later (data/errors.ts defines them). Each carries a stable `code`,
 * as jose's errors do; lib/http/errors.ts turns every code into its HTTP answer, in one place, so
 * no layer below it speaks HTTP.
 */

/** The codes of {@link RefusalError}s. */
export type RefusalCode =
  | 'ERR_NOT_FOUND'
  | 'ERR_PRECONDITION_FAILED'
  | 'ERR_INVALID_CHANGE'
  | 'ERR_QUOTA_EXCEEDED';

export abstract class RefusalError extends Error {
  /** Stable identifier of the refusal; branch on it (or on the class), not on `message`. */
  abstract readonly code: RefusalCode;
  /** The field the refusal is about, when there is one (dotted path, e.g. `actualDelta`). */
  readonly path?: string;
  /** When retrying can succeed, and not before: seconds. */
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    options: { path?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    if (options.path !== undefined) this.path = options.path;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

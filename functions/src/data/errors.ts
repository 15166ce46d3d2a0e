/**
 * What the data layer refuses, as typed errors (after jose's util/errors.ts): one class per
 * refusal, each with a stable `code`. lib/http/errors.ts maps them to HTTP in one place.
 */
import { RefusalError } from '../lib/errors';

/** The user has no such record (another user's id looks exactly the same): `404`. */
export class NotFoundError extends RefusalError {
  readonly code = 'ERR_NOT_FOUND';
  constructor(what: string) {
    super(`${what} not found.`);
  }
}

/** The record changed since the client read it (a stale `If-Match`): `412`. */
export class PreconditionFailedError extends RefusalError {
  readonly code = 'ERR_PRECONDITION_FAILED';
}

/** The change would leave a value outside its allowed range; nothing was written: `400`. */
export class InvalidChangeError extends RefusalError {
  readonly code = 'ERR_INVALID_CHANGE';
  constructor(path: string, message: string) {
    super(message, { path });
  }
}

/** A budget is spent until it resets: `429` with `Retry-After`. */
export class QuotaExceededError extends RefusalError {
  readonly code = 'ERR_QUOTA_EXCEEDED';
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
  }
}

import { RefusalError, type RefusalCode } from '../errors';
import { toApiError } from './errors';

/** A refusal of a lower layer with the given code (data/errors.ts defines the real ones). */
function refusal(
  code: RefusalCode,
  message: string,
  options?: { path?: string; retryAfterSeconds?: number },
): RefusalError {
  return new (class extends RefusalError {
    readonly code = code;
  })(message, options);
}

describe('refusals of the layers below as HTTP answers (mapped here only)', () => {
  it('maps each code to its status, error code, message, field and Retry-After', () => {
    const notFound = toApiError(refusal('ERR_NOT_FOUND', 'Chat session not found.'));
    expect([notFound.status, notFound.code, notFound.message]).toEqual([
      404,
      'not_found',
      'Chat session not found.',
    ]);
    const stale = toApiError(refusal('ERR_PRECONDITION_FAILED', 'The month was changed.'));
    expect([stale.status, stale.code, stale.message]).toEqual([
      412,
      'failed_precondition',
      'The month was changed.',
    ]);
    const invalid = toApiError(
      refusal('ERR_INVALID_CHANGE', 'Would make it negative.', { path: 'actualDelta' }),
    );
    expect([invalid.status, invalid.code, invalid.message, invalid.details]).toEqual([
      400,
      'invalid_argument',
      'The request body is invalid.',
      [{ path: 'actualDelta', message: 'Would make it negative.' }],
    ]);
    const quota = toApiError(
      refusal('ERR_QUOTA_EXCEEDED', 'Budget used up.', { retryAfterSeconds: 3600 }),
    );
    expect([quota.status, quota.code, quota.headers]).toEqual([
      429,
      'quota_exceeded',
      { 'Retry-After': '3600' },
    ]);
  });

  it('leaves anything else a 500 that says nothing', () => {
    const internal = toApiError(new Error('secret detail'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toContain('secret');
  });
});

import {
  InvalidChangeError,
  NotFoundError,
  PreconditionFailedError,
  QuotaExceededError,
} from './errors';

describe('data errors', () => {
  it('carry a stable code, their class name, and what the HTTP mapping needs', () => {
    const notFound = new NotFoundError('Month 2026-11');
    expect([notFound.code, notFound.name, notFound.message]).toEqual([
      'ERR_NOT_FOUND',
      'NotFoundError',
      'Month 2026-11 not found.',
    ]);
    expect(new PreconditionFailedError('changed').code).toBe('ERR_PRECONDITION_FAILED');
    const invalid = new InvalidChangeError('actualDelta', 'Would make it negative.');
    expect([invalid.code, invalid.path]).toEqual(['ERR_INVALID_CHANGE', 'actualDelta']);
    const quota = new QuotaExceededError('Budget used up.', 3600);
    expect([quota.code, quota.retryAfterSeconds]).toEqual(['ERR_QUOTA_EXCEEDED', 3600]);
  });
});

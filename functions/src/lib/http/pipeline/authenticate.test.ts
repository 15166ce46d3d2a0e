import { ApiError, unavailable } from '../errors';
import type { RateLimitOutcome } from '../../ratelimit/limiter';
import { authenticateCaller, clientIp } from './authenticate';
import { fakeRequest } from './fake-http';

const allowed: RateLimitOutcome = { success: true, limit: 300, remaining: 299, reset: Date.now() + 60_000, source: 'memory' };
const refused: RateLimitOutcome = { ...allowed, success: false, remaining: 0 };
const unauthenticated = () => new ApiError('unauthenticated', 'A bearer token is required.');

function deps(overrides: { uid?: string; error?: unknown; limited?: boolean } = {}) {
  return {
    authenticate: jest.fn(async () => {
      if (overrides.error) throw overrides.error;
      return { uid: overrides.uid ?? 'user-1' };
    }),
    checkRateLimit: jest.fn(async () => (overrides.limited ? refused : allowed)),
  };
}

describe('clientIp', () => {
  it('is the right-most X-Forwarded-For entry, else the socket address', () => {
    expect(clientIp(fakeRequest({ headers: { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' } }))).toBe('2.2.2.2');
    expect(clientIp(fakeRequest({ remoteAddress: '3.3.3.3' }))).toBe('3.3.3.3');
  });
});

describe('authenticateCaller', () => {
  it('is the token’s uid for auth user, passing the one Authorization header', async () => {
    const d = deps({ uid: 'abc' });
    const req = fakeRequest({ headers: { authorization: 'Bearer t' } });
    expect(await authenticateCaller({ auth: 'user' }, req, d)).toBe('abc');
    expect(d.authenticate).toHaveBeenCalledWith('Bearer t');
    expect(d.checkRateLimit).not.toHaveBeenCalled();
  });

  it('is empty and checks nothing for a public function', async () => {
    const d = deps();
    expect(await authenticateCaller({ auth: 'none' }, fakeRequest(), d)).toBe('');
    expect(d.authenticate).not.toHaveBeenCalled();
  });

  it('counts a failed authentication against the client IP, then rethrows the 401', async () => {
    const d = deps({ error: unauthenticated() });
    const req = fakeRequest({ headers: { 'x-forwarded-for': '9.9.9.9' } });
    await expect(authenticateCaller({ auth: 'user' }, req, d)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(d.checkRateLimit).toHaveBeenCalledWith(expect.objectContaining({ bucket: 'authfail', windowMs: 3_600_000 }), 'ip:9.9.9.9');
  });

  it('is 429 with Retry-After and RateLimit headers past the failure limit', async () => {
    const d = deps({ error: unauthenticated(), limited: true });
    await expect(authenticateCaller({ auth: 'user' }, fakeRequest(), d)).rejects.toMatchObject({
      code: 'rate_limited',
      headers: expect.objectContaining({ 'Retry-After': expect.any(String), 'RateLimit-Remaining': '0' }),
    });
  });

  it('does not count other failures (signing keys unreachable: 503)', async () => {
    const d = deps({ error: unavailable('keys') });
    await expect(authenticateCaller({ auth: 'user' }, fakeRequest(), d)).rejects.toMatchObject({ code: 'unavailable' });
    expect(d.checkRateLimit).not.toHaveBeenCalled();
  });
});

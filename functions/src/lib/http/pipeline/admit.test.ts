import type { IntParam } from 'firebase-functions/params';
import type { CacheLookup } from '../../cache/response-cache';
import type { RateLimitOutcome } from '../../ratelimit/limiter';
import { ApiError, invalidArgument } from '../errors';
import type { CachePolicy } from '../endpoint';
import { admit, ruleOf } from './admit';
import { fakeResponse } from './fake-http';
import { newRequestState } from './log';

const limit = (n: number) => ({ value: () => n }) as unknown as IntParam;
const userSpec = { name: 'moodGet', auth: 'user' as const, rateLimit: { limit: limit(500), window: 'hour' as const } };
const publicSpec = { name: 'health', auth: 'none' as const, rateLimit: { limit: limit(600), window: 'minute' as const } };
const cache: CachePolicy<unknown> = { scope: 'moods', ttlSeconds: 60, key: (q) => JSON.stringify(q) };
const outcome = (success: boolean): RateLimitOutcome => ({
  success,
  limit: 500,
  remaining: success ? 499 : 0,
  reset: Date.now() + 30_000,
  source: 'redis',
});
const miss: CacheLookup = { state: 'MISS', generation: '2' };

function deps(success = true) {
  const issued: string[] = [];
  return {
    issued,
    checkRateLimit: jest.fn(() => {
      issued.push('rate limit');
      return Promise.resolve(outcome(success));
    }),
    readCache: jest.fn(() => {
      issued.push('cache read');
      return Promise.resolve(miss);
    }),
  };
}
const valid = { query: { limit: '5' }, body: undefined, invalid: undefined };

describe('ruleOf', () => {
  it('names the counter after the function, with its limit and window', () => {
    expect(ruleOf(userSpec)).toEqual({ bucket: 'moodGet', limit: 500, windowMs: 3_600_000 });
    expect(ruleOf(publicSpec)).toEqual({ bucket: 'health', limit: 600, windowMs: 60_000 });
  });
});

describe('admit', () => {
  it('counts a user and looks up the cache in the same tick, and records the verdict', async () => {
    const d = deps();
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    const pending = admit(userSpec, { cache }, { uid: 'u1', ip: '1.2.3.4' }, valid, res, state, d);
    expect(d.issued).toEqual(['rate limit', 'cache read']);
    expect(await pending).toEqual({ cache, cacheField: 'moodGet:{"limit":"5"}', lookup: miss });
    expect(d.checkRateLimit).toHaveBeenCalledWith(ruleOf(userSpec), 'u1');
    expect(d.readCache).toHaveBeenCalledWith('u1', 'moods', 'moodGet:{"limit":"5"}');
    expect(res.headers['ratelimit-remaining']).toBe('499');
    expect(state.rateLimit?.success).toBe(true);
    expect(state.logFields.rateLimit).toEqual({ remaining: 499, source: 'redis' });
  });

  it('counts a public function per client IP, without the cache', async () => {
    const d = deps();
    const admission = await admit(publicSpec, { cache }, { uid: '', ip: '1.2.3.4' }, valid, fakeResponse(), newRequestState('r', 'GET'), d);
    expect(d.checkRateLimit).toHaveBeenCalledWith(ruleOf(publicSpec), 'ip:1.2.3.4');
    expect(d.readCache).not.toHaveBeenCalled();
    expect(admission).toEqual({ cache: undefined, cacheField: '', lookup: undefined });
  });

  it('is 429 with Retry-After past the limit, after setting the RateLimit headers', async () => {
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    await expect(admit(userSpec, { cache: undefined }, { uid: 'u1', ip: '' }, valid, res, state, deps(false))).rejects.toMatchObject({
      code: 'rate_limited',
      headers: { 'Retry-After': expect.any(String) },
    });
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(state.rateLimit?.success).toBe(false);
  });

  it('throws a validation error only after counting the request, and skips the cache for it', async () => {
    const d = deps();
    const invalid = invalidArgument('bad');
    const state = newRequestState('r', 'GET');
    const input = { query: undefined, body: undefined, invalid };
    await expect(admit(userSpec, { cache }, { uid: 'u1', ip: '' }, input, fakeResponse(), state, d)).rejects.toBe(invalid);
    expect(d.checkRateLimit).toHaveBeenCalled();
    expect(d.readCache).not.toHaveBeenCalled();
    expect(state.rateLimit).toBeDefined();
  });

  it('prefers 429 over the validation error', async () => {
    const input = { query: undefined, body: undefined, invalid: invalidArgument('bad') };
    const thrown = await admit(userSpec, { cache }, { uid: 'u1', ip: '' }, input, fakeResponse(), newRequestState('r', 'GET'), deps(false)).catch((e: unknown) => e);
    expect((thrown as ApiError).code).toBe('rate_limited');
  });
});

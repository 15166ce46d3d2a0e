/**
 * handle() runs the pipeline's steps in order (each is tested beside it in ./pipeline): a whole
 * request through it with a fake request/response and stand-in dependencies.
 */
import type { IntParam } from 'firebase-functions/params';
import { z } from 'zod';
import { logger } from '../log/logger';
import type { RateLimitOutcome } from '../ratelimit/limiter';
import { handle, method, type EndpointSpec, type HttpMethod } from './endpoint';
import { ApiError } from './errors';
import type { PipelineDeps } from './pipeline/deps';
import { fakeRequest, fakeResponse } from './pipeline/fake-http';

const limit = { value: () => 100 } as unknown as IntParam;
const handler = jest.fn(async ({ uid, query }: { uid: string; query: { n?: string } }) => ({
  body: { uid, n: query.n ?? null },
}));
const spec: EndpointSpec = {
  name: 'probe',
  tag: 't',
  auth: 'user',
  rateLimit: { limit, window: 'hour' },
  methods: {
    GET: method({
      query: z.strictObject({ n: z.string().optional() }),
      cache: { scope: 'moods', ttlSeconds: 30, key: (q) => q.n ?? '' },
      docs: { summary: '', description: '', responses: {} },
      handler,
    }),
  },
};
const allowed: HttpMethod[] = ['GET'];

const admitted: RateLimitOutcome = { success: true, limit: 100, remaining: 99, reset: Date.now() + 1_000, source: 'redis' };

function deps(overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    authenticate: jest.fn(async () => ({ uid: 'u1' })),
    checkRateLimit: jest.fn(async () => admitted),
    readCache: jest.fn(async () => ({ state: 'MISS' as const, generation: '1' })),
    storeCache: jest.fn(async () => undefined),
    reportError: jest.fn(async () => undefined),
    ...overrides,
  };
}

beforeEach(() => {
  handler.mockClear();
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('handle', () => {
  it('authenticates, counts, misses the cache, runs the handler, stores and answers', async () => {
    const d = deps();
    const res = fakeResponse();
    await handle(spec, allowed, 'GET, HEAD, OPTIONS', fakeRequest({ url: '/?n=2', headers: { authorization: 'Bearer t' } }), res, d);
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ uid: 'u1', n: '2' });
    expect(res.headers).toMatchObject({ 'x-cache': 'MISS', 'cache-control': 'private, no-store', 'ratelimit-remaining': '99' });
    expect(d.storeCache).toHaveBeenCalledWith('u1', 'moods', 'probe:2', '1', 30, { body: { uid: 'u1', n: '2' } });
    expect(logger.info).toHaveBeenCalledWith('request', expect.objectContaining({ uid: 'u1', status: 200, cache: 'MISS' }));
  });

  it('answers a cache HIT without running the handler', async () => {
    const d = deps({ readCache: jest.fn(async () => ({ state: 'HIT' as const, body: { cached: 1 }, generation: '1' })) });
    const res = fakeResponse();
    await handle(spec, allowed, '', fakeRequest({ headers: { authorization: 'Bearer t' } }), res, d);
    expect(res.body).toEqual({ cached: 1 });
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers a preflight without a token', async () => {
    const d = deps();
    const res = fakeResponse();
    await handle(spec, allowed, 'GET, HEAD, OPTIONS', fakeRequest({ method: 'OPTIONS' }), res, d);
    expect(res.statusCode).toBe(204);
    expect(d.authenticate).not.toHaveBeenCalled();
  });

  it('answers 401 with the error body and no Cache-Control, and logs the code', async () => {
    const d = deps({ authenticate: jest.fn(async () => { throw new ApiError('unauthenticated', 'no token'); }) });
    const res = fakeResponse();
    await handle(spec, allowed, '', fakeRequest({ headers: { 'x-request-id': 'rid-1' } }), res, d);
    expect(res.statusCode).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message: 'no token', requestId: 'rid-1' } });
    expect(res.headers['cache-control']).toBeUndefined();
    expect(handler).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith('request', expect.objectContaining({ status: 401, errorCode: 'unauthenticated' }));
  });

  it('counts an invalid request, then answers 400 without reading the cache', async () => {
    const d = deps();
    const res = fakeResponse();
    await handle(spec, allowed, '', fakeRequest({ url: '/?x=1', headers: { authorization: 'Bearer t' } }), res, d);
    expect(res.statusCode).toBe(400);
    expect(d.checkRateLimit).toHaveBeenCalled();
    expect(d.readCache).not.toHaveBeenCalled();
  });

  it('answers 500 to an unexpected error, and reports it', async () => {
    handler.mockRejectedValueOnce(new TypeError('bug'));
    const d = deps();
    const res = fakeResponse();
    await handle(spec, allowed, '', fakeRequest({ headers: { authorization: 'Bearer t' } }), res, d);
    expect(res.statusCode).toBe(500);
    expect(d.reportError).toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith('request', expect.objectContaining({ status: 500, errorCode: 'internal' }));
  });
});

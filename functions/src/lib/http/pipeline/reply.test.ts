import type { CacheLookup } from '../../cache/response-cache';
import type { Admission } from './admit';
import { ApiError, unavailable } from '../errors';
import type { CachePolicy, Reply } from '../endpoint';
import { fakeRequest, fakeResponse } from './fake-http';
import { newRequestState } from './log';
import { sendCacheHit, sendError, sendJson, sendReply } from './reply';

const cache: CachePolicy<unknown> = { scope: 'moods', ttlSeconds: 60, key: () => 'k' };
const missAdmission: Admission = { cache, cacheField: 'moodGet:k', lookup: { state: 'MISS', generation: '4' } };
const noCache: Admission = { cache: undefined, cacheField: '', lookup: undefined };

describe('sendJson', () => {
  it('sends the body with its status', () => {
    const res = fakeResponse();
    expect(sendJson(fakeRequest(), res, 201, { a: 1 }, undefined)).toBe(201);
    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ a: 1 });
  });

  it('answers 304 without a body to a GET whose If-None-Match matches', () => {
    const res = fakeResponse();
    const req = fakeRequest({ headers: { 'if-none-match': '"v1"' } });
    expect(sendJson(req, res, 200, { a: 1 }, '"v1"')).toBe(304);
    expect(res.body).toBeUndefined();
    expect(sendJson(fakeRequest({ method: 'PUT', headers: { 'if-none-match': '"v1"' } }), fakeResponse(), 200, {}, '"v1"')).toBe(200);
  });
});

describe('sendCacheHit', () => {
  it('answers a HIT with the stored body and headers, and marks X-Cache', () => {
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    const hit: CacheLookup = { state: 'HIT', body: { cached: true }, headers: { ETag: '"e"' }, generation: '1' };
    expect(sendCacheHit(fakeRequest(), res, hit, state)).toBe(true);
    expect(res.headers).toMatchObject({ 'x-cache': 'HIT', etag: '"e"' });
    expect(res.body).toEqual({ cached: true });
    expect(state).toMatchObject({ status: 200, logFields: { cache: 'HIT' } });
  });

  it('marks a MISS or BYPASS and leaves the answer to the handler', () => {
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    expect(sendCacheHit(fakeRequest(), res, { state: 'MISS', generation: '0' }, state)).toBe(false);
    expect(res.headers['x-cache']).toBe('MISS');
    expect(res.writableEnded).toBe(false);
    expect(sendCacheHit(fakeRequest(), fakeResponse(), undefined, state)).toBe(false);
  });
});

describe('sendReply', () => {
  const storeCache = () => jest.fn(async () => undefined);

  it('stores a 200 after a MISS at the generation read, with its headers, then sends it', async () => {
    const deps = { storeCache: storeCache() };
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    const reply: Reply = { body: { x: 1 }, headers: { ETag: '"e"' } };
    await sendReply(fakeRequest(), res, reply, { uid: 'u1' }, missAdmission, state, deps);
    expect(deps.storeCache).toHaveBeenCalledWith('u1', 'moods', 'moodGet:k', '4', 60, { body: { x: 1 }, headers: { ETag: '"e"' } });
    expect(res.body).toEqual({ x: 1 });
    expect(res.headers.etag).toBe('"e"');
    expect(state.status).toBe(200);
  });

  it('stores nothing for another status, a zero TTL or without a lookup', async () => {
    const deps = { storeCache: storeCache() };
    await sendReply(fakeRequest(), fakeResponse(), { status: 201, body: {} }, { uid: 'u1' }, missAdmission, newRequestState('r', 'GET'), deps);
    await sendReply(fakeRequest(), fakeResponse(), { body: {}, cacheTtlSeconds: 0 }, { uid: 'u1' }, missAdmission, newRequestState('r', 'GET'), deps);
    await sendReply(fakeRequest(), fakeResponse(), { body: {} }, { uid: 'u1' }, noCache, newRequestState('r', 'GET'), deps);
    expect(deps.storeCache).not.toHaveBeenCalled();
  });

  it('streams server-sent events, and an error thrown mid-stream as an error event', async () => {
    const res = fakeResponse();
    const state = newRequestState('r', 'POST');
    const reply: Reply = {
      stream: async (events) => {
        events.send('delta', { text: 'hi' });
        throw new ApiError('unavailable', 'gone');
      },
    };
    await sendReply(fakeRequest({ method: 'POST' }), res, reply, { uid: 'u1' }, noCache, state, { storeCache: storeCache() });
    expect(state.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.written).toContain('event: delta\ndata: {"text":"hi"}');
    expect(res.written).toContain('event: error\ndata: {"error":{"code":"unavailable"');
    expect(res.writableEnded).toBe(true);
  });

  it('writes a streamed body in pieces, and aborts the connection when it fails', async () => {
    const res = fakeResponse();
    const state = newRequestState('r', 'GET');
    await sendReply(fakeRequest(), res, { contentType: 'application/json', body: async (out) => { await out.write('{"a":'); await out.write('1}'); } }, { uid: 'u1' }, noCache, state, { storeCache: storeCache() });
    expect(res.written).toBe('{"a":1}');
    expect(res.writableEnded).toBe(true);

    const broken = fakeResponse();
    const failing = sendReply(fakeRequest(), broken, { contentType: 'text/plain', body: async () => { throw new Error('disk'); } }, { uid: 'u1' }, noCache, newRequestState('r', 'GET'), { storeCache: storeCache() });
    await expect(failing).rejects.toThrow('disk');
    expect(broken.destroyed).toBe(true);
  });
});

describe('sendError', () => {
  it('sends the error body with its status and headers', () => {
    const res = fakeResponse();
    const state = newRequestState('req-9', 'GET');
    sendError(res, unavailable('Firestore is down.', 7), state);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toEqual({ error: { code: 'unavailable', message: 'Firestore is down.', requestId: 'req-9' } });
  });

  it('drops Cache-Control on an error from before admission only', () => {
    const before = fakeResponse();
    before.setHeader('Cache-Control', 'private, no-store');
    sendError(before, new ApiError('unauthenticated', 'no'), newRequestState('r', 'GET'));
    expect(before.headers['cache-control']).toBeUndefined();

    const after = fakeResponse();
    after.setHeader('Cache-Control', 'private, no-store');
    const state = newRequestState('r', 'GET');
    state.rateLimit = { success: true, limit: 1, remaining: 0, reset: 0, source: 'memory' };
    sendError(after, new ApiError('not_found', 'no'), state);
    expect(after.headers['cache-control']).toBe('private, no-store');
  });

  it('only ends a response whose headers are already out', () => {
    const res = fakeResponse();
    res.flushHeaders();
    sendError(res, new ApiError('internal', 'x'), newRequestState('r', 'GET'));
    expect(res.writableEnded).toBe(true);
    expect(res.body).toBeUndefined();
  });
});

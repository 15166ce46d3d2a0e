import { ApiError } from '../errors';
import { fakeRequest, fakeResponse } from './fake-http';
import {
  allowHeaderOf,
  answerPreflight,
  resolveMethod,
  SECURITY_HEADERS,
  setCommonHeaders,
} from './route';

describe('allowHeaderOf', () => {
  it('adds HEAD where GET is served, and OPTIONS always', () => {
    expect(allowHeaderOf(['GET', 'DELETE'])).toBe('GET, DELETE, HEAD, OPTIONS');
    expect(allowHeaderOf(['POST'])).toBe('POST, OPTIONS');
  });
});

describe('setCommonHeaders', () => {
  it('sets the request id and the security headers on every response', () => {
    const res = fakeResponse();
    setCommonHeaders(fakeRequest(), res, 'req-1');
    expect(res.headers['x-request-id']).toBe('req-1');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(res.headers[name.toLowerCase()]).toBe(value);
    }
    expect(res.headers.vary).toBe('Origin');
  });
});

describe('answerPreflight', () => {
  it('answers 204 with Allow and no body', () => {
    const res = fakeResponse();
    const status = answerPreflight(fakeRequest({ method: 'OPTIONS' }), res, ['GET'], 'GET, HEAD, OPTIONS');
    expect(status).toBe(204);
    expect(res.statusCode).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.writableEnded).toBe(true);
    expect(res.body).toBeUndefined();
  });
});

describe('resolveMethod', () => {
  const GET = { handler: jest.fn() } as never;
  const spec = { methods: { GET } };

  it('finds the method, HEAD as GET', () => {
    expect(resolveMethod(spec, fakeRequest({ method: 'GET' }), '')).toEqual({ method: 'GET', methodSpec: GET });
    expect(resolveMethod(spec, fakeRequest({ method: 'HEAD' }), '')).toEqual({ method: 'GET', methodSpec: GET });
  });

  it('is 405 with Allow for a method the function does not serve', () => {
    let thrown: unknown;
    try {
      resolveMethod(spec, fakeRequest({ method: 'POST' }), 'GET, HEAD, OPTIONS');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).code).toBe('method_not_allowed');
    expect((thrown as ApiError).headers).toEqual({ Allow: 'GET, HEAD, OPTIONS' });
  });
});

/**
 * The response check of support/contract.ts itself, on made-up responses: it must catch an
 * undeclared status, a missing or wrong header and a body off its schema.
 */
import { contractProblems, type ReceivedResponse } from './support/contract';

const REQUEST_ID = 'b7c1f0de-3f4e-4a41-9a52-6c0f2d7e8a90';

function response(
  status: number,
  headers: Record<string, string>,
  body?: unknown,
): ReceivedResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    headers: new Headers({
      'X-Request-Id': REQUEST_ID,
      Vary: 'Origin',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      ...headers,
    }),
    text,
    body,
  };
}

const unauthenticated = {
  error: { code: 'unauthenticated', message: 'A bearer token is required.', requestId: REQUEST_ID },
};
const challenge = { 'WWW-Authenticate': 'Bearer realm="stilla"' };

describe('the response check against docs/openapi.json', () => {
  it('accepts a response as the document declares it', () => {
    expect(contractProblems('moodGet', 'GET', response(401, challenge, unauthenticated))).toEqual(
      [],
    );
  });

  it('rejects a status the operation does not declare', () => {
    expect(contractProblems('moodGet', 'GET', response(418, {}, unauthenticated))).toEqual([
      expect.stringMatching(/418: status not declared/),
    ]);
  });

  it('rejects a missing required header and a header off its schema', () => {
    expect(contractProblems('moodGet', 'GET', response(401, {}, unauthenticated))).toEqual([
      expect.stringMatching(/header WWW-Authenticate missing/),
    ]);
    const problems = contractProblems(
      'moodGet',
      'GET',
      response(401, { ...challenge, Vary: 'Accept' }, unauthenticated),
    );
    expect(problems).toEqual([expect.stringMatching(/header Vary/)]);
  });

  it('rejects a body off its schema, and another code than the status declares', () => {
    const wrongCode = { error: { ...unauthenticated.error, code: 'internal' } };
    expect(contractProblems('moodGet', 'GET', response(401, challenge, wrongCode))).toEqual([
      expect.stringMatching(/401: body/),
    ]);
    const page = { moods: [{ id: 'a', score: 11 }], nextCursor: null };
    const ok = {
      'RateLimit-Limit': '500',
      'RateLimit-Remaining': '499',
      'RateLimit-Reset': '3600',
      'Cache-Control': 'private, no-store',
      'X-Cache': 'MISS',
    };
    expect(contractProblems('moodGet', 'GET', response(200, ok, page))).toEqual([
      expect.stringMatching(/200: body/),
    ]);
    expect(
      contractProblems(
        'moodGet',
        'GET',
        response(200, { ...ok, 'RateLimit-Remaining': 'many' }, { moods: [], nextCursor: null }),
      ),
    ).toEqual([expect.stringMatching(/RateLimit-Remaining/)]);
  });

  it('takes a method the function does not serve as its 405', () => {
    const notAllowed = {
      error: {
        code: 'method_not_allowed',
        message: 'PUT is not allowed here.',
        requestId: REQUEST_ID,
      },
    };
    expect(
      contractProblems('moodGet', 'PUT', response(405, { Allow: 'GET, OPTIONS' }, notAllowed)),
    ).toEqual([]);
    expect(contractProblems('moodGet', 'PUT', response(200, {}, {}))).toEqual([
      expect.stringMatching(/undeclared but answered 200/),
    ]);
  });
});

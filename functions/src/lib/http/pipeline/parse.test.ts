import { z } from 'zod';
import { ApiError } from '../errors';
import { fakeRequest } from './fake-http';
import { parseInput } from './parse';

const query = z.strictObject({ limit: z.string().optional() });
const body = z.strictObject({ score: z.number() });

describe('parseInput', () => {
  it('validates the query and the JSON body', () => {
    const req = fakeRequest({ method: 'POST', url: '/?limit=5', body: { score: 3 } });
    expect(parseInput({ query, body }, req)).toEqual({ query: { limit: '5' }, body: { score: 3 }, invalid: undefined });
  });

  it('ignores the body of a method without a body schema', () => {
    const req = fakeRequest({ url: '/', body: { anything: true } });
    expect(parseInput({ query, body: undefined }, req)).toEqual({ query: {}, body: undefined, invalid: undefined });
  });

  it('returns a validation error instead of throwing (it is thrown after the rate limit)', () => {
    const badQuery = parseInput({ query, body: undefined }, fakeRequest({ url: '/?other=1' }));
    expect(badQuery.invalid).toBeInstanceOf(ApiError);
    expect((badQuery.invalid as ApiError).code).toBe('invalid_argument');

    const missingBody = parseInput({ query, body }, fakeRequest({ method: 'POST' }));
    expect((missingBody.invalid as ApiError).code).toBe('invalid_argument');
    expect(missingBody.body).toBeUndefined();
  });
});

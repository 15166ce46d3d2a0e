/**
 * allocations under 50 concurrent patches, and what one request costs in Redis round trips
 * (counted by the local Upstash bridge) and Firestore queries (recorded by the Node Firestore
 * emulator). Serial: the burst starts fifty emulator workers, which starves parallel suites,
 * and the bridge's counter is shared, so nothing else may run meanwhile.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { callFunction, type CallResult } from './support/api';
import { newUser, type TestUser } from './support/auth';

const bridge = () => process.env.UPSTASH_REDIS_REST_URL as string;
const queryLog = process.env.STILLA_FIRESTORE_QUERY_LOG;

const recordedQueries = (): number =>
  queryLog ? readFileSync(queryLog, 'utf8').split('\n').filter(Boolean).length : 0;

interface Cost {
  res: CallResult;
  redisRoundTrips: number;
  firestoreQueries: number;
}

async function measure(call: () => Promise<CallResult>): Promise<Cost> {
  await fetch(`${bridge()}/__stats/reset`, { method: 'POST' });
  const queriesBefore = recordedQueries();
  const res = await call();
  const stats = (await (await fetch(`${bridge()}/__stats`)).json()) as { requests: number };
  return {
    res,
    redisRoundTrips: stats.requests,
    firestoreQueries: recordedQueries() - queriesBefore,
  };
}

const MONTH = '2026-11';
const get = (user: TestUser, query: Record<string, string> = {}) =>
  callFunction('allocations', { token: user.token, query });
const put = (user: TestUser, body: unknown) =>
  callFunction('allocations', { method: 'PUT', token: user.token, body });
const patch = (user: TestUser, body: unknown, idempotencyKey: string) =>
  callFunction('allocations', {
    method: 'PATCH',
    token: user.token,
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
const validMonth = (overrides: Record<string, unknown> = {}) => ({
  month: MONTH,
  currency: 'SEK',
  categories: [{ key: 'food', budget: 400_000 }],
  ...overrides,
});
const monthBody = {
  month: MONTH,
  currency: 'SEK',
  categories: [
    { key: 'food', budget: 400_000 },
    { key: 'rent', budget: 600_000 },
  ],
};

describe('cost of one allocations request', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await newUser();
    // Warm the worker and the user's clients; not measured.
    await callFunction('allocations', { token: user.token, query: { month: '2026-01' } });
  });

  it('GET uncached: 2 Redis round trips (limit + lookup, then store), no query; cached: 1', async () => {
    await callFunction('allocations', {
      method: 'PUT',
      token: user.token,
      body: monthBody,
    });
    const get = () => callFunction('allocations', { token: user.token, query: { month: MONTH } });
    const uncached = await measure(get);
    expect(uncached.res.headers.get('x-cache')).toBe('MISS');
    const cached = await measure(get);
    expect(cached.res.headers.get('x-cache')).toBe('HIT');
    expect({
      uncached: [uncached.redisRoundTrips, uncached.firestoreQueries],
      cached: [cached.redisRoundTrips, cached.firestoreQueries],
    }).toEqual({ uncached: [2, 0], cached: [1, 0] });
    console.log(
      `allocations GET: uncached ${uncached.redisRoundTrips} Redis round trips, cached ${cached.redisRoundTrips}; Firestore queries 0 (one document read by id)`,
    );
  });

  it('PUT and PATCH: 2 Redis round trips each (limit, invalidate), no query', async () => {
    const put = await measure(() =>
      callFunction('allocations', { method: 'PUT', token: user.token, body: monthBody }),
    );
    expect(put.res.status).toBe(200);
    const patch = await measure(() =>
      callFunction('allocations', {
        method: 'PATCH',
        token: user.token,
        body: { month: MONTH, key: 'food', actualDelta: 100 },
      }),
    );
    expect(patch.res.status).toBe(200);
    const keyed = await measure(() =>
      callFunction('allocations', {
        method: 'PATCH',
        token: user.token,
        body: { month: MONTH, key: 'food', actualDelta: 100 },
        headers: { 'Idempotency-Key': `cost-${randomUUID()}` },
      }),
    );
    expect(keyed.res.status).toBe(200);
    expect({
      put: [put.redisRoundTrips, put.firestoreQueries],
      patch: [patch.redisRoundTrips, patch.firestoreQueries],
      keyed: [keyed.redisRoundTrips, keyed.firestoreQueries],
    }).toEqual({ put: [2, 0], patch: [2, 0], keyed: [2, 0] });
    console.log(
      `allocations PUT ${put.redisRoundTrips}, PATCH ${patch.redisRoundTrips}, PATCH with Idempotency-Key ${keyed.redisRoundTrips} Redis round trips; Firestore queries 0`,
    );
  });
});

describe('allocations PATCH under concurrency', () => {
  // The Functions emulator serves one request per worker process. Rounds of fifty concurrent
  // reads first start fifty workers and load their Firestore clients (slowly, on a small shared
  // machine: a cold worker's first call may miss its deadline), so that the fifty patches then
  // run at once, racing on one document as fifty production requests would. A patch that still
  // misses its deadline is answered 503 and rolled back; the client retries it with the same
  // Idempotency-Key, as the contract intends, so every +100 counts exactly once. (The figures
  // logged at the end say how often that was needed.)
  it('adds exactly 5000 for 50 concurrent patches of +100', async () => {
    const user = await newUser();
    await put(user, validMonth({ categories: [{ key: 'food', budget: 10_000 }] }));
    let warmRounds = 0;
    for (let allOk = false; !allOk && warmRounds < 5; warmRounds++) {
      const warm = await Promise.all(
        Array.from({ length: 50 }, () => get(user, { month: '2026-01' })),
      );
      allOk = warm.every((r) => r.status === 200);
    }
    let retries = 0;
    const patchUntilDone = async (key: string): Promise<CallResult> => {
      for (let attempt = 0; ; attempt++) {
        const res = await patch(user, { month: MONTH, key: 'food', actualDelta: 100 }, key);
        // 503: the patch missed its deadline. 409 with Retry-After: the key's claim from the
        // attempt that timed out is still held (its lease runs out after 60 s).
        const retryable =
          res.status === 503 || (res.status === 409 && res.headers.get('retry-after') !== null);
        if (!retryable || attempt === 9) return res;
        retries += 1;
      }
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => patchUntilDone(`burst-${i}-${randomUUID()}`)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    // Each first (not replayed) answer saw a different total: its own +100 on the ones before.
    const firsts = results.filter((r) => r.headers.get('idempotent-replayed') !== 'true');
    const seen = firsts.map((r) => r.body.categories[0].actual as number);
    expect(new Set(seen).size).toBe(seen.length);
    const res = await get(user, { month: MONTH });
    expect(res.body.categories[0].actual).toBe(5000);
    console.log(
      `50 concurrent patches: ${warmRounds} warm-up round(s), ${retries} retried after a 503, ${
        50 - firsts.length
      } answered by replay`,
    );
  }, 600_000);
});

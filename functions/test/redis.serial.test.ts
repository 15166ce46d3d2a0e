/**
 * Redis as an accelerator, never a dependency: these tests break the local Upstash bridge on
 * purpose (so they run alone, after the parallel suites) and count its round trips.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { callFunction } from './support/api';
import { newUser } from './support/auth';
import { setFault, type FaultMode } from './support/faults';
import { recordFigures } from './support/figures';

const bridge = () => process.env.UPSTASH_REDIS_REST_URL as string;

const setBridgeFault = (mode: FaultMode, latencyMs = 0) =>
  setFault(`${bridge()}/__fault`, { mode, latencyMs });

async function roundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  await fetch(`${bridge()}/__stats/reset`, { method: 'POST' });
  const result = await fn();
  const stats = (await (await fetch(`${bridge()}/__stats`)).json()) as { requests: number };
  return { result, requests: stats.requests };
}

afterEach(() => setBridgeFault('ok'));

/** Firestore queries the emulator has recorded so far (one JSON line each). */
const recordedQueries = (): number =>
  readFileSync(process.env.STILLA_FIRESTORE_QUERY_LOG as string, 'utf8')
    .split('\n')
    .filter(Boolean).length;

// Only the Node Firestore emulator records queries (the official one, where it runs, does not).
const describeWithQueryLog = process.env.STILLA_FIRESTORE_QUERY_LOG ? describe : describe.skip;

describeWithQueryLog('Firestore queries per request', () => {
  it('a cached moodGet runs no query, an uncached one runs one (limit + 1 documents)', async () => {
    const user = await newUser();
    await callFunction('moodLog', { token: user.token, body: { score: 5 } });
    let before = recordedQueries();
    const miss = await callFunction('moodGet', { token: user.token });
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const uncachedQueries = recordedQueries() - before;
    before = recordedQueries();
    const hit = await callFunction('moodGet', { token: user.token });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const cachedQueries = recordedQueries() - before;
    before = recordedQueries();
    await callFunction('moodLog', { token: user.token, body: { score: 6 } });
    const moodLogQueries = recordedQueries() - before;
    expect({ uncachedQueries, cachedQueries, moodLogQueries }).toEqual({
      uncachedQueries: 1,
      cachedQueries: 0,
      moodLogQueries: 0,
    });
    console.log(
      `Firestore queries: uncached moodGet ${uncachedQueries}, cached ${cachedQueries}, moodLog ${moodLogQueries}`,
    );
  });
});

describe('Redis round trips', () => {
  it('a cached moodGet costs exactly one round trip (rate limit and cache read together)', async () => {
    const user = await newUser();
    await callFunction('moodLog', { token: user.token, body: { score: 5 } });
    await callFunction('moodGet', { token: user.token }); // warm the instance and the cache
    const hit = await roundTrips(() => callFunction('moodGet', { token: user.token }));
    expect(hit.result.headers.get('x-cache')).toBe('HIT');
    expect(hit.requests).toBe(1);
    console.log(`cached moodGet: ${hit.requests} Redis round trip(s)`);
  });

  it('an uncached moodGet costs two (lookup, store) and a moodLog two (limit, invalidate)', async () => {
    const user = await newUser();
    await callFunction('moodGet', { token: user.token, query: { limit: 2 } });
    const miss = await roundTrips(() =>
      callFunction('moodGet', { token: user.token, query: { limit: 3 } }),
    );
    expect(miss.result.headers.get('x-cache')).toBe('MISS');
    expect(miss.requests).toBe(2);
    const logged = await roundTrips(() =>
      callFunction('moodLog', { token: user.token, body: { score: 5 } }),
    );
    expect(logged.result.status).toBe(201);
    expect(logged.requests).toBe(2);
    console.log(
      `uncached moodGet: ${miss.requests}, moodLog: ${logged.requests} Redis round trips`,
    );
  });
});

describe('Redis down or hanging', () => {
  it.each(['down', 'hang'] as const)(
    'serves requests within a bounded delay when Redis is %s',
    async (mode) => {
      const user = await newUser();
      await callFunction('moodGet', { token: user.token }); // warm
      await setBridgeFault(mode);
      const timings: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const res = await callFunction('moodGet', { token: user.token });
        timings.push(performance.now() - started);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-cache')).toBe('BYPASS');
        expect(res.headers.get('ratelimit-limit')).toBe('500');
      }
      const loggedStarted = performance.now();
      const logged = await callFunction('moodLog', { token: user.token, body: { score: 6 } });
      expect(logged.status).toBe(201);
      recordFigures('faults', {
        fault: `Redis ${mode} (Upstash bridge)`,
        answeredMs: {
          'moodGet (slowest of 5)': Math.max(...timings),
          moodLog: performance.now() - loggedStarted,
        },
        requestsLost: 0,
      });
      console.log(
        `Redis ${mode}: moodGet latencies ${timings.map((t) => t.toFixed(0)).join(', ')} ms`,
      );
      expect(Math.max(...timings)).toBeLessThan(1000);
    },
  );

  it('keeps limiting per instance while Redis is down', async () => {
    await setBridgeFault('down');
    const user = await newUser();
    // One after another: the emulator hands a request to an idle worker (an instance), and
    // concurrent requests each start a fresh one, whose own limiter has seen nothing yet.
    const remaining: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await callFunction('moodGet', { token: user.token });
      remaining.push(Number(res.headers.get('ratelimit-remaining')));
    }
    expect(Math.min(...remaining)).toBeLessThan(500 - 1);
  });

  it('reports degraded health, still 200, when Redis is unreachable', async () => {
    await setBridgeFault('down');
    const res = await callFunction('health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks.redis.status).toBe('error');
  });
});

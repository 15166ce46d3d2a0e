/**
 * The response cache over a stand-in Redis (its EVAL calls recorded), through the real
 * deadline-and-circuit helper: hits and misses by generation, and the pending-invalidation path
 * (an invalidation that could not reach Redis is sent ahead of the next read of that scope).
 */
import type { Redis } from '@upstash/redis';
import type { Circuit } from '../redis/circuit';
import { INVALIDATE_SCRIPT, READ_SCRIPT, STORE_SCRIPT } from './lua-scripts';

interface EvalCall {
  script: string;
  keys: string[];
  args: string[];
}

/** What the stand-in Redis does: answers EVALs in order, or fails them while `down`. */
const fake = {
  configured: true,
  down: false,
  calls: [] as EvalCall[],
  answers: [] as unknown[],
};

jest.mock('../redis/client', () => {
  const actual = jest.requireActual<typeof import('../redis/client')>('../redis/client');
  const { Circuit } = jest.requireActual<typeof import('../redis/circuit')>('../redis/circuit');
  const circuit = new Circuit('test-redis');
  const redis = {
    eval: (script: string, keys: string[], args: string[]) => {
      fake.calls.push({ script, keys, args });
      if (fake.down) return Promise.reject(new Error('connection refused'));
      // Queued answers first; else an empty hash (read) or success (store, invalidate).
      if (fake.answers.length > 0) return Promise.resolve(fake.answers.shift());
      return Promise.resolve(script.includes('HMGET') ? [null, null] : 1);
    },
  } as unknown as Redis;
  const current = () => (fake.configured ? redis : null);
  return {
    ...actual,
    getRedis: current,
    redisCall: actual.redisCaller({ redis: current, circuit, deadlineMs: () => 100 }),
    testCircuit: circuit,
  };
});
const { testCircuit: circuit } = jest.requireMock<{ testCircuit: Circuit }>('../redis/client');

// Loaded after the mock is in place.
import { cacheKey, invalidateCache, readCache, storeCache } from './response-cache';

const scriptName = (script: string) =>
  script === READ_SCRIPT
    ? 'read'
    : script === STORE_SCRIPT
      ? 'store'
      : script === INVALIDATE_SCRIPT
        ? 'invalidate'
        : 'other';
const issued = () => fake.calls.map((c) => `${scriptName(c.script)} ${c.keys.join(',')}`);

/** Redis answers again, and the circuit has let it back in. */
function recover(): void {
  fake.down = false;
  circuit.recordSuccess();
}

beforeEach(() => {
  fake.configured = true;
  fake.down = false;
  fake.calls = [];
  fake.answers = [];
  circuit.recordSuccess();
});

describe('readCache and storeCache', () => {
  it('is a MISS with the generation read, then a HIT for an entry stored at that generation', async () => {
    fake.answers.push([null, '3']);
    const miss = await readCache('u1', 'moods', 'moodGet:a', 1_000);
    expect(miss).toEqual({ state: 'MISS', generation: '3' });

    fake.answers.push(1);
    await storeCache('u1', 'moods', 'moodGet:a', '3', 60, { body: { x: 1 }, headers: { ETag: '"e"' } }, 1_000);
    const stored = fake.calls.at(-1)!;
    expect(scriptName(stored.script)).toBe('store');
    expect(stored.keys).toEqual([cacheKey('u1', 'moods')]);
    expect(stored.args.slice(0, 2)).toEqual(['3', 'moodGet:a']);

    fake.answers.push([stored.args[2], '3']);
    expect(await readCache('u1', 'moods', 'moodGet:a', 2_000)).toEqual({
      state: 'HIT',
      body: { x: 1 },
      headers: { ETag: '"e"' },
      generation: '3',
    });
  });

  it('is a MISS for an entry of an older generation or past its expiry', async () => {
    const entry = JSON.stringify({ x: 5_000, g: '3', b: 1 });
    fake.answers.push([entry, '4'], [entry, '3']);
    expect((await readCache('u1', 'moods', 'f', 1_000)).state).toBe('MISS');
    expect((await readCache('u1', 'moods', 'f', 6_000)).state).toBe('MISS');
  });

  it('is a BYPASS without Redis or when Redis fails', async () => {
    fake.configured = false;
    expect(await readCache('u1', 'moods', 'f')).toEqual({ state: 'BYPASS' });
    fake.configured = true;
    fake.down = true;
    expect(await readCache('u1', 'moods', 'f')).toEqual({ state: 'BYPASS' });
    // The circuit is open now: the next read skips Redis without a call.
    fake.calls = [];
    expect(await readCache('u1', 'moods', 'f')).toEqual({ state: 'BYPASS' });
    expect(fake.calls).toEqual([]);
  });
});

describe('pending invalidations', () => {
  it('sends an invalidation that failed ahead of the next read of that scope, once', async () => {
    fake.down = true;
    expect(await invalidateCache('u2', ['moods', 'chat'])).toBe(false);
    expect(issued()).toEqual([`invalidate ${cacheKey('u2', 'moods')},${cacheKey('u2', 'chat')}`]);

    recover();
    fake.calls = [];
    await readCache('u2', 'moods', 'f');
    // Same tick, same pipeline: the invalidation first, then the read.
    expect(issued()).toEqual([
      `invalidate ${cacheKey('u2', 'moods')}`,
      `read ${cacheKey('u2', 'moods')}`,
    ]);

    // Delivered: the next read of moods goes alone; chat's is still pending.
    fake.calls = [];
    await readCache('u2', 'moods', 'f');
    await readCache('u2', 'chat', 'f');
    expect(issued()).toEqual([
      `read ${cacheKey('u2', 'moods')}`,
      `invalidate ${cacheKey('u2', 'chat')}`,
      `read ${cacheKey('u2', 'chat')}`,
    ]);
  });

  it('keeps an invalidation pending while its resend fails', async () => {
    fake.down = true;
    await invalidateCache('u3', ['allocations']);
    circuit.recordSuccess(); // still down, but tried again
    await readCache('u3', 'allocations', 'f');
    expect(issued().slice(-2)).toEqual([
      `invalidate ${cacheKey('u3', 'allocations')}`,
      `read ${cacheKey('u3', 'allocations')}`,
    ]);
    recover();
    fake.calls = [];
    await readCache('u3', 'allocations', 'f');
    expect(issued()).toEqual([
      `invalidate ${cacheKey('u3', 'allocations')}`,
      `read ${cacheKey('u3', 'allocations')}`,
    ]);
  });

  it('remembers nothing when Redis is not configured at all', async () => {
    fake.configured = false;
    expect(await invalidateCache('u4', ['moods'])).toBe(false);
    fake.configured = true;
    await readCache('u4', 'moods', 'f');
    expect(issued()).toEqual([`read ${cacheKey('u4', 'moods')}`]);
  });

  it('remembers an invalidation skipped while the circuit is open', async () => {
    circuit.recordFailure(new Error('down'), Date.now() + 60_000);
    expect(await invalidateCache('u5', ['moods'])).toBe(false);
    expect(issued()).toEqual([]);
    circuit.recordSuccess();
    await readCache('u5', 'moods', 'f');
    expect(issued()).toEqual([
      `invalidate ${cacheKey('u5', 'moods')}`,
      `read ${cacheKey('u5', 'moods')}`,
    ]);
  });

  it('is true and remembers nothing when Redis takes it', async () => {
    expect(await invalidateCache('u6', ['moods'])).toBe(true);
    fake.calls = [];
    await readCache('u6', 'moods', 'f');
    expect(issued()).toEqual([`read ${cacheKey('u6', 'moods')}`]);
  });
});

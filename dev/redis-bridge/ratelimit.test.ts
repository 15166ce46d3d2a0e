/**
 * The unmodified @upstash/ratelimit against redis-server through the bridge:
 * its Lua scripts (with the Upstash-only `allow-key-locking` flag) must run,
 * limit, and be reached by EVALSHA after the first fallback to EVAL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ratelimit } from '@upstash/ratelimit';
import { scriptSha } from './scripts.ts';
import { startTestStack, uniqueKey } from './test-helpers.ts';
import type { TestStack } from './test-helpers.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack.stop();
});

// One-hour windows: the windows are aligned to the epoch, and a test that
// crossed a boundary would see its count reset.
const WINDOW_MS = 3_600_000;

type Limiter = ReturnType<typeof Ratelimit.slidingWindow>;

async function limitSixTimes(limiter: Limiter, ephemeralCache: Map<string, number> | false) {
  const ratelimit = new Ratelimit({
    redis: stack.client(),
    limiter,
    ephemeralCache,
    prefix: uniqueKey('rl'),
  });
  const id = 'user-1';
  const results = [];
  for (let i = 0; i < 6; i++) {
    const result = await ratelimit.limit(id);
    await result.pending;
    results.push(result);
  }
  return { ratelimit, id, results };
}

function assertFiveThenBlocked(results: Awaited<ReturnType<Ratelimit['limit']>>[]): void {
  const now = Date.now();
  assert.deepEqual(
    results.map((r) => r.success),
    [true, true, true, true, true, false],
  );
  assert.deepEqual(
    results.map((r) => r.remaining),
    [4, 3, 2, 1, 0, 0],
  );
  for (const r of results) {
    assert.equal(r.limit, 5);
    assert.ok(r.reset > now && r.reset <= now + WINDOW_MS, `reset ${r.reset - now} ms from now`);
    assert.equal(r.reset % WINDOW_MS, 0, 'reset is the end of the current window');
  }
}

for (const [name, limiter] of [
  ['slidingWindow', Ratelimit.slidingWindow(5, '1 h')],
  ['fixedWindow', Ratelimit.fixedWindow(5, '1 h')],
] as const) {
  describe(`Ratelimit.${name}(5, "1 h")`, () => {
    it('without ephemeral cache: 5 allowed, the 6th and later rejected by Redis', async () => {
      const { ratelimit, id, results } = await limitSixTimes(limiter, false);
      assertFiveThenBlocked(results);
      stack.bridge.resetStats();
      const seventh = await ratelimit.limit(id);
      assert.equal(seventh.success, false);
      assert.equal(seventh.reason, undefined);
      assert.equal(stack.bridge.stats().requests, 1, 'asked Redis again');
      // Another identifier has its own budget.
      assert.equal((await ratelimit.limit('user-2')).success, true);
    });

    it('with ephemeral cache: once blocked, answers from memory without a Redis round trip', async () => {
      const { ratelimit, id, results } = await limitSixTimes(limiter, new Map());
      assertFiveThenBlocked(results);
      stack.bridge.resetStats();
      const seventh = await ratelimit.limit(id);
      assert.equal(seventh.success, false);
      assert.equal(seventh.reason, 'cacheBlock');
      assert.deepEqual(stack.bridge.stats(), { requests: 0, commands: 0 });
    });

    it('getRemaining and resetUsedTokens work', async () => {
      const ratelimit = new Ratelimit({
        redis: stack.client(),
        limiter,
        ephemeralCache: false,
        prefix: uniqueKey('rl'),
      });
      await ratelimit.limit('u');
      await ratelimit.limit('u');
      const remaining = await ratelimit.getRemaining('u');
      assert.equal(remaining.remaining, 3);
      await ratelimit.resetUsedTokens('u');
      assert.equal((await ratelimit.getRemaining('u')).remaining, 5);
    });
  });
}

describe('EVALSHA mapping', () => {
  it('NOSCRIPT once, EVAL, then every limit() is one EVALSHA round trip', async () => {
    const redis = stack.client();
    // Start from an empty script cache so the first call must miss.
    await redis.scriptFlush();
    const ratelimit = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(100, '1 h'),
      ephemeralCache: false,
      prefix: uniqueKey('sha'),
    });
    stack.bridge.resetStats();
    assert.equal((await ratelimit.limit('a')).success, true);
    assert.deepEqual(
      stack.bridge.stats(),
      { requests: 2, commands: 2 },
      'EVALSHA (NOSCRIPT) then EVAL',
    );
    for (let i = 0; i < 3; i++) {
      stack.bridge.resetStats();
      const result = await ratelimit.limit('a');
      assert.equal(result.remaining, 100 - 2 - i);
      assert.deepEqual(stack.bridge.stats(), { requests: 1, commands: 1 }, 'EVALSHA hits');
    }
  });

  it('SCRIPT LOAD of a flagged script answers with the hash of the original text', async () => {
    const redis = stack.client();
    const script = '#!lua flags=allow-key-locking,no-writes\nreturn redis.call("GET", KEYS[1])';
    const sha = await redis.scriptLoad(script);
    assert.equal(sha, scriptSha(script));
    assert.deepEqual(await redis.scriptExists(sha), [1]);
    const k = uniqueKey('loaded');
    await redis.set(k, 'value');
    assert.equal(await redis.evalsha(sha, [k], []), 'value');
    // no-writes was kept: the script really runs read-only.
    await assert.rejects(
      redis.eval(
        '#!lua flags=allow-key-locking,no-writes\nreturn redis.call("SET", KEYS[1], "x")',
        [k],
        [],
      ),
      /Write commands are not allowed from read-only scripts/,
    );
  });
});

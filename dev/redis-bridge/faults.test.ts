/**
 * Failure behaviour: the fault modes the bridge offers to tests (down, hang,
 * latency), how the real clients experience them, and a Redis that dies
 * behind a live bridge.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Ratelimit } from '@upstash/ratelimit';
import { getFreePort, startRedisServer } from './redis-server.ts';
import { startRedisBridge } from './server.ts';
import { startTestStack, TEST_TOKEN, uniqueKey } from './test-helpers.ts';
import type { TestStack } from './test-helpers.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
afterEach(() => {
  stack.bridge.setFault({ mode: 'ok' });
});
after(async () => {
  await stack.stop();
});

async function elapsed<T>(
  promise: Promise<T>,
): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('fault: down', () => {
  it('fails at once with a network error (retries: 0), and recovers on ok', async () => {
    const redis = stack.client({ retry: { retries: 0 } });
    const k = uniqueKey('down');
    await redis.set(k, 'v');
    stack.bridge.setFault({ mode: 'down' });
    stack.bridge.resetStats();
    const result = await elapsed(redis.get(k));
    assert.ok(
      result.error instanceof TypeError,
      `expected fetch's TypeError, got ${String(result.error)}`,
    );
    assert.match(String(result.error), /fetch failed/);
    assert.ok(result.ms < 500, `took ${result.ms} ms`);
    assert.deepEqual(stack.bridge.stats(), { requests: 1, commands: 0 });

    stack.bridge.setFault({ mode: 'ok' });
    assert.equal(await redis.get(k), 'v');
  });

  it('the SDK default retries 5 times with backoff before giving up', async () => {
    stack.bridge.setFault({ mode: 'down' });
    stack.bridge.resetStats();
    // 5 retries back off e^i * 50 ms: about 4.3 s in all.
    const result = await elapsed(stack.client({ retry: undefined }).get('x'));
    assert.ok(result.error instanceof Error);
    assert.equal(stack.bridge.stats().requests, 6);
    assert.ok(result.ms > 3500, `took ${result.ms} ms`);
  });

  it('ratelimit.limit() throws (timeout does not cover fast failures)', async () => {
    const ratelimit = new Ratelimit({
      redis: stack.client({ retry: { retries: 0 } }),
      limiter: Ratelimit.fixedWindow(5, '1 h'),
      ephemeralCache: false,
      timeout: 1000,
      prefix: uniqueKey('rl-down'),
    });
    stack.bridge.setFault({ mode: 'down' });
    await assert.rejects(ratelimit.limit('u'), /fetch failed/);
  });

  it('can be set over HTTP from another process', async () => {
    const set = await fetch(`${stack.bridge.url}/__fault`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'down' }),
    });
    assert.deepEqual(await set.json(), { mode: 'down' });
    await assert.rejects(stack.client().ping(), /fetch failed/);
    const current = await (await fetch(`${stack.bridge.url}/__fault`)).json();
    assert.deepEqual(current, { mode: 'down' });
    const bad = await fetch(`${stack.bridge.url}/__fault`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'sideways' }),
    });
    assert.equal(bad.status, 400);
    await bad.text();
    await fetch(`${stack.bridge.url}/__fault`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'ok' }),
    }).then((r) => r.text());
    assert.equal(await stack.client().ping(), 'PONG');
  });
});

describe('fault: hang', () => {
  it('never answers; a per-request AbortSignal.timeout gives up', async () => {
    const redis = stack.client({ signal: () => AbortSignal.timeout(200) });
    stack.bridge.setFault({ mode: 'hang' });
    const result = await elapsed(redis.get('x'));
    assert.ok(result.error instanceof DOMException, `got ${String(result.error)}`);
    assert.equal(result.error.name, 'TimeoutError');
    assert.ok(result.ms >= 190 && result.ms < 1000, `took ${result.ms} ms`);
    stack.bridge.setFault({ mode: 'ok' });
    assert.equal(await redis.ping(), 'PONG');
  });

  it('a request whose client gave up is dropped, not run later', async () => {
    const redis = stack.client({ signal: () => AbortSignal.timeout(100) });
    stack.bridge.setFault({ mode: 'hang' });
    stack.bridge.resetStats();
    await assert.rejects(redis.incr(uniqueKey('abandoned')), { name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    stack.bridge.setFault({ mode: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(stack.bridge.stats(), { requests: 1, commands: 0 });
  });

  it('held requests are served once the mode is back to ok', async () => {
    const redis = stack.client();
    const k = uniqueKey('held');
    await redis.set(k, 'late');
    stack.bridge.setFault({ mode: 'hang' });
    const pending = elapsed(redis.get(k));
    await new Promise((resolve) => setTimeout(resolve, 150));
    stack.bridge.setFault({ mode: 'ok' });
    const result = await pending;
    assert.equal(result.value, 'late');
    assert.ok(result.ms >= 140, `took ${result.ms} ms`);
  });

  it('ratelimit lets the request through with reason "timeout" while Redis hangs', async () => {
    const ratelimit = new Ratelimit({
      redis: stack.client(),
      limiter: Ratelimit.slidingWindow(5, '1 h'),
      ephemeralCache: false,
      timeout: 150,
      prefix: uniqueKey('rl-hang'),
    });
    stack.bridge.setFault({ mode: 'hang' });
    const result = await ratelimit.limit('u');
    assert.equal(result.success, true);
    assert.equal(result.reason, 'timeout');
    // Release the held request so it completes instead of dangling.
    stack.bridge.setFault({ mode: 'ok' });
    await result.pending;
  });

  it('stop() drops hung requests and returns promptly', async () => {
    const bridge = await startRedisBridge({
      port: 0,
      redisUrl: stack.redisServer.url,
      token: TEST_TOKEN,
    });
    bridge.setFault({ mode: 'hang' });
    const hung = fetch(`${bridge.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      body: '["PING"]',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = await elapsed(bridge.stop());
    assert.ok(stopped.ms < 500, `stop took ${stopped.ms} ms`);
    await assert.rejects(hung, /fetch failed/);
  });
});

describe('stop()', () => {
  it('ends a blocking command in flight at once', async () => {
    const bridge = await startRedisBridge({
      port: 0,
      redisUrl: stack.redisServer.url,
      token: TEST_TOKEN,
    });
    const blocked = fetch(`${bridge.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify(['BLPOP', uniqueKey('never'), '30']),
    }).then(async (res) => ({ status: res.status, body: await res.text() }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = await elapsed(bridge.stop());
    assert.ok(stopped.ms < 500, `stop took ${stopped.ms} ms`);
    const answer = await blocked;
    assert.equal(answer.status, 503);
  });
});

describe('fault: latency', () => {
  it('delays every answer by latencyMs', async () => {
    const redis = stack.client();
    stack.bridge.setFault({ mode: 'ok', latencyMs: 120 });
    const result = await elapsed(redis.ping());
    assert.equal(result.value, 'PONG');
    assert.ok(result.ms >= 115, `took ${result.ms} ms`);
    stack.bridge.setFault({ mode: 'ok' });
    const fast = await elapsed(redis.ping());
    assert.ok(fast.ms < 115, `took ${fast.ms} ms: the latency still applies`);
  });

  it('rejects invalid faults', () => {
    assert.throws(() => stack.bridge.setFault({ mode: 'ok', latencyMs: -1 }), /latencyMs/);
    assert.throws(
      () => stack.bridge.setFault(JSON.parse('{"mode":"off"}') as { mode: 'ok' }),
      /mode/,
    );
  });
});

describe('redis-server dies behind the bridge', () => {
  it('answers 503 at once while Redis is gone and reconnects when it is back', async () => {
    const port = await getFreePort();
    let redisServer = await startRedisServer({ port });
    const bridge = await startRedisBridge({
      port: 0,
      redisUrl: redisServer.url,
      token: TEST_TOKEN,
    });
    try {
      const redis = stack.client({ url: bridge.url });
      assert.equal(await redis.ping(), 'PONG');
      await redisServer.stop();

      const down = await elapsed(redis.get('k'));
      assert.match(String(down.error), /redis unavailable/);
      assert.ok(down.ms < 500, `took ${down.ms} ms`);
      const raw = await fetch(`${bridge.url}/pipeline`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
        body: '[["PING"]]',
      });
      assert.equal(raw.status, 503);
      assert.match(((await raw.json()) as { error: string }).error, /redis unavailable/);

      redisServer = await startRedisServer({ port });
      const deadline = Date.now() + 10_000;
      let answer: unknown = null;
      while (Date.now() < deadline) {
        answer = await redis.ping().catch(() => null);
        if (answer === 'PONG') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(answer, 'PONG');
    } finally {
      await bridge.stop();
      await redisServer.stop();
    }
  });
});

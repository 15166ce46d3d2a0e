/**
 * The bridge against a real redis-server, driven by the real @upstash/redis
 * client (auto-pipelining on, base64 responses, as in production) and by raw
 * HTTP where the wire format itself is the point.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedisBridge } from './server.ts';
import { b64, startTestStack, TEST_TOKEN, uniqueKey } from './test-helpers.ts';
import type { TestStack } from './test-helpers.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack.stop();
});

describe('@upstash/redis through the bridge', () => {
  it('SET/GET strings and JSON values, null for a missing key', async () => {
    const redis = stack.client();
    const k = uniqueKey('kv');
    assert.equal(await redis.set(`${k}:s`, 'héllo ✓ wörld'), 'OK');
    assert.equal(await redis.get(`${k}:s`), 'héllo ✓ wörld');
    assert.equal(await redis.set(`${k}:j`, { mood: 3, tags: ['calm'], note: null }), 'OK');
    assert.deepEqual(await redis.get(`${k}:j`), { mood: 3, tags: ['calm'], note: null });
    assert.equal(await redis.get(`${k}:missing`), null);
    // The SDK parses number-like strings back into numbers.
    await redis.set(`${k}:n`, 42);
    assert.equal(await redis.get(`${k}:n`), 42);
  });

  it('HSET/HGETALL, INCR, EXPIRE/TTL', async () => {
    const redis = stack.client();
    const k = uniqueKey('hash');
    assert.equal(await redis.hset(k, { name: 'ada', count: 2, meta: { a: 1 } }), 3);
    assert.deepEqual(await redis.hgetall(k), { name: 'ada', count: 2, meta: { a: 1 } });
    assert.equal(await redis.hgetall(`${k}:missing`), null);
    assert.equal(await redis.incr(`${k}:c`), 1);
    assert.equal(await redis.incrby(`${k}:c`, 41), 42);
    assert.equal(await redis.expire(`${k}:c`, 100), 1);
    const ttl = await redis.ttl(`${k}:c`);
    assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
    assert.equal(await redis.expire(`${k}:missing`, 100), 0);
  });

  it('lists and sorted sets with nested replies (LRANGE/ZRANGE/SCAN go to POST /, not /pipeline)', async () => {
    const redis = stack.client();
    const k = uniqueKey('coll');
    await redis.rpush(`${k}:l`, 'a', 'b', 'c');
    assert.deepEqual(await redis.lrange(`${k}:l`, 0, -1), ['a', 'b', 'c']);
    await redis.zadd(`${k}:z`, { score: 1, member: 'one' }, { score: 2, member: 'two' });
    assert.deepEqual(await redis.zrange(`${k}:z`, 0, -1, { withScores: true }), [
      'one',
      1,
      'two',
      2,
    ]);
    const [cursor, keys] = await redis.scan(0, { match: `${k}:*`, count: 1000 });
    assert.equal(typeof cursor, 'string');
    assert.deepEqual([...keys].sort(), [`${k}:l`, `${k}:z`]);
  });

  it('an explicit pipeline keeps order and reports per-command errors', async () => {
    const redis = stack.client();
    const k = uniqueKey('pipe');
    const p = redis.pipeline();
    p.set(k, 'text');
    p.incr(k); // WRONG: not an integer
    p.get(k);
    p.get(`${k}:missing`);
    const results = await p.exec({ keepErrors: true });
    assert.deepEqual(
      results.map((r) => r.result),
      ['OK', undefined, 'text', null],
    );
    assert.match(String(results[1]!.error), /not an integer/);

    const failing = redis.pipeline();
    failing.get(k);
    failing.incr(k);
    await assert.rejects(
      failing.exec(),
      /Command 2 \[ incr \] failed: ERR value is not an integer/,
    );
  });

  it('multi-exec runs atomically: no command of another request lands between INCR and GET', async () => {
    const redis = stack.client();
    const k = uniqueKey('tx');
    const runs = Array.from({ length: 40 }, async () => {
      const tx = redis.multi();
      tx.incr(k);
      tx.get(k);
      const [incremented, read] = (await tx.exec()) as [number, number];
      return { incremented, read };
    });
    const results = await Promise.all(runs);
    for (const { incremented, read } of results) assert.equal(read, incremented);
    assert.deepEqual(
      results.map((r) => r.incremented).sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it('multi-exec reports a runtime error per entry and still runs the rest', async () => {
    const redis = stack.client();
    const k = uniqueKey('txerr');
    await redis.set(k, 'text');
    const tx = redis.multi();
    tx.incr(k);
    tx.set(`${k}:2`, 'after');
    const results = await tx.exec({ keepErrors: true });
    assert.match(String(results[0]!.error), /not an integer/);
    assert.equal(results[1]!.result, 'OK');
    assert.equal(await redis.get(`${k}:2`), 'after');
  });

  it('a command error rejects with the Redis message', async () => {
    const redis = stack.client();
    const k = uniqueKey('err');
    await redis.set(k, 'text');
    await assert.rejects(redis.incr(k), /ERR value is not an integer or out of range/);
    // LRANGE is one of the commands the SDK never auto-pipelines: this one goes to POST /.
    await assert.rejects(redis.lrange(k, 0, -1), /WRONGTYPE/);
  });

  it('the wrong token is refused with 401 and the client throws', async () => {
    const redis = stack.client({ token: 'wrong' });
    await assert.rejects(redis.get('anything'), /Unauthorized/);
    const res = await fetch(`${stack.bridge.url}/`, { method: 'POST', body: '["PING"]' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'Unauthorized' });
    const withQueryToken = await fetch(`${stack.bridge.url}/?_token=${TEST_TOKEN}`, {
      method: 'POST',
      body: '["PING"]',
    });
    assert.equal(withQueryToken.status, 200);
  });

  it('counts one HTTP request per auto-pipelined batch', async () => {
    const redis = stack.client();
    const k = uniqueKey('stats');
    await redis.set(k, 'v');
    stack.bridge.resetStats();
    assert.equal(await redis.get(k), 'v');
    assert.deepEqual(stack.bridge.stats(), { requests: 1, commands: 1 });
    // Calls made in the same tick share one /pipeline request.
    stack.bridge.resetStats();
    await Promise.all([redis.get(k), redis.exists(k), redis.strlen(k)]);
    assert.deepEqual(stack.bridge.stats(), { requests: 1, commands: 3 });

    const viaHttp = await (await fetch(`${stack.bridge.url}/__stats`)).json();
    assert.deepEqual(viaHttp, { requests: 1, commands: 3 });
    const reset = await fetch(`${stack.bridge.url}/__stats/reset`, { method: 'POST' });
    assert.deepEqual(await reset.json(), { requests: 0, commands: 0 });
    assert.deepEqual(stack.bridge.stats(), { requests: 0, commands: 0 });
  });
});

describe('wire format', () => {
  it('single command: base64 strings, numbers as numbers, "result": null present', async () => {
    const k = uniqueKey('wire');
    assert.deepEqual(await stack.post('/', ['SET', k, 'hi']), {
      status: 200,
      json: { result: b64('OK') },
    });
    assert.deepEqual(await stack.post('/', ['GET', k]), {
      status: 200,
      json: { result: b64('hi') },
    });
    assert.deepEqual(await stack.post('/', ['STRLEN', k]), { status: 200, json: { result: 2 } });
    const missing = await stack.post('/', ['GET', `${k}:missing`]);
    assert.deepEqual(missing, { status: 200, json: { result: null } });
    assert.ok(Object.hasOwn(missing.json as object, 'result'));
  });

  it('without Upstash-Encoding strings come back as plain JSON strings', async () => {
    const k = uniqueKey('plain');
    await stack.post('/', ['SET', k, 'héllo']);
    assert.deepEqual(await stack.post('/', ['GET', k], { 'upstash-encoding': '' }), {
      status: 200,
      json: { result: 'héllo' },
    });
  });

  it('nested replies: every string base64, at any depth; nulls and numbers kept', async () => {
    const script = "return {1, 'a', {2, 'b', {false, 'c'}}, false}";
    const { json } = await stack.post('/', ['EVAL', script, 0]);
    assert.deepEqual(json, { result: [1, b64('a'), [2, b64('b'), [null, b64('c')]], null] });
  });

  it('64-bit integers are written exactly', async () => {
    const k = uniqueKey('big');
    const res = await fetch(`${stack.bridge.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify(['INCRBY', k, '9223372036854775807']),
    });
    assert.equal(await res.text(), '{"result":9223372036854775807}');
  });

  it('binary replies are base64 of the exact bytes', async () => {
    const k = uniqueKey('bin');
    await stack.post('/', ['SET', k, '✓']); // 3 bytes: e2 9c 93
    const { json } = await stack.post('/', ['GETRANGE', k, 0, 1]);
    assert.deepEqual(json, { result: Buffer.from([0xe2, 0x9c]).toString('base64') });
  });

  it('command errors: 400 {"error"} for one command, per entry in a pipeline', async () => {
    const k = uniqueKey('errs');
    await stack.post('/', ['SET', k, 'x']);
    const single = await stack.post('/', ['INCR', k]);
    assert.equal(single.status, 400);
    assert.deepEqual(single.json, { error: 'ERR value is not an integer or out of range' });
    const unknown = await stack.post('/', ['NOSUCHCOMMAND']);
    assert.equal(unknown.status, 400);
    assert.match((unknown.json as { error: string }).error, /unknown command/);

    const pipe = await stack.post('/pipeline', [
      ['GET', k],
      ['INCR', k],
      ['NOSUCH'],
      ['GET', `${k}:missing`],
    ]);
    assert.equal(pipe.status, 200);
    const entries = pipe.json as Array<Record<string, unknown>>;
    assert.deepEqual(entries[0], { result: b64('x') });
    assert.deepEqual(entries[1], { error: 'ERR value is not an integer or out of range' });
    assert.match(String(entries[2]!.error), /unknown command/);
    assert.deepEqual(entries[3], { result: null });
  });

  it('multi-exec: a command Redis cannot queue aborts the whole transaction', async () => {
    const k = uniqueKey('abort');
    const res = await stack.post('/multi-exec', [
      ['SET', k, '1'],
      ['NOSUCH', 'x'],
    ]);
    assert.equal(res.status, 400);
    assert.match((res.json as { error: string }).error, /EXECABORT.*unknown command/);
    assert.deepEqual((await stack.post('/', ['GET', k])).json, { result: null });
  });

  it('refuses connection-state commands, runs blocking ones without stalling others', async () => {
    const refused = await stack.post('/', ['SELECT', '1']);
    assert.equal(refused.status, 400);
    assert.match((refused.json as { error: string }).error, /not supported/);
    const inTx = await stack.post('/multi-exec', [['PING'], ['SUBSCRIBE', 'c']]);
    assert.equal(inTx.status, 400);

    const k = uniqueKey('block');
    const blocked = stack.post('/', ['BLPOP', k, '5']);
    const started = Date.now();
    // This would queue behind BLPOP if both shared one Redis connection.
    assert.deepEqual((await stack.post('/', ['RPUSH', k, 'item'])).json, { result: 1 });
    assert.deepEqual((await blocked).json, { result: [b64(k), b64('item')] });
    assert.ok(Date.now() - started < 2000);
  });

  it('rejects malformed bodies, unknown endpoints and other methods', async () => {
    const bad = await fetch(`${stack.bridge.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      body: 'not json',
    });
    assert.equal(bad.status, 400);
    assert.equal((await stack.post('/', [])).status, 400);
    assert.equal((await stack.post('/', [['GET', 'x']])).status, 400);
    assert.equal((await stack.post('/pipeline', [])).status, 400);
    assert.equal((await stack.post('/nope', ['PING'])).status, 404);
    const get = await fetch(`${stack.bridge.url}/`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    assert.equal(get.status, 405);
    await get.text();
  });

  it('bounds the request body size', async () => {
    const small = await startRedisBridge({
      port: 0,
      redisUrl: stack.redisServer.url,
      token: TEST_TOKEN,
      maxBodyBytes: 1024,
    });
    try {
      const res = await fetch(`${small.url}/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
        body: JSON.stringify(['SET', 'big', 'x'.repeat(4096)]),
      });
      assert.equal(res.status, 413);
      assert.match(((await res.json()) as { error: string }).error, /larger than 1024 bytes/);
      const ok = await fetch(`${small.url}/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
        body: JSON.stringify(['PING']),
      });
      assert.equal(ok.status, 200);
      await ok.text();
    } finally {
      await small.stop();
    }
  });
});

/**
 * allocations over real HTTP: validation, PUT/GET/PATCH, concurrency, ETag and If-Match,
 * idempotent PATCH retries, cache freshness, isolation.
 */
import { randomUUID } from 'node:crypto';
import { callFunction, expectError, type CallResult } from './support/api';
import { newUser, type TestUser } from './support/auth';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const get = (user: TestUser, query: Record<string, string> = {}, headers = {}) =>
  callFunction('allocations', { token: user.token, query, headers });
const put = (user: TestUser, body: unknown, headers: Record<string, string> = {}) =>
  callFunction('allocations', { method: 'PUT', token: user.token, body, headers });
const patch = (user: TestUser, body: unknown, headers: Record<string, string> = {}) =>
  callFunction('allocations', { method: 'PATCH', token: user.token, body, headers });

const MONTH = '2026-11';
const validMonth = (overrides: Record<string, unknown> = {}) => ({
  month: MONTH,
  currency: 'SEK',
  categories: [
    { key: 'food', label: 'Food', budget: 400_000, actual: 100_000, targetPercent: 40 },
    { key: 'rent', label: 'Rent', budget: 600_000, targetPercent: 60 },
  ],
  ...overrides,
});

const paths = (res: CallResult): string[] =>
  (res.body?.error?.details ?? []).map((d: { path: string }) => d.path);

describe('allocations GET of a month never set', () => {
  it('returns empty categories, zero totals, updatedAt null and an ETag', async () => {
    const res = await get(await newUser(), { month: '2031-02' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      month: '2031-02',
      currency: null,
      categories: [],
      totals: { budget: 0, actual: 0, difference: 0, utilization: null },
      onTrack: true,
      updatedAt: null,
    });
    expect(res.headers.get('etag')).toBe('"unset"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('defaults to the current UTC month', async () => {
    const before = new Date().toISOString().slice(0, 7);
    const res = await get(await newUser());
    const after = new Date().toISOString().slice(0, 7);
    expect([before, after]).toContain(res.body.month);
  });

  it.each([['1999-12'], ['2101-01'], ['2026-13'], ['2026-1'], ['202611'], ['']])(
    'rejects month=%j with 400',
    async (month) => {
      const res = await get(await newUser(), { month });
      expectError(res, 400, 'invalid_argument');
      expect(paths(res)).toContain('month');
    },
  );

  it('accepts the first and last month of the range', async () => {
    const user = await newUser();
    expect((await get(user, { month: '2000-01' })).status).toBe(200);
    expect((await get(user, { month: '2100-12' })).status).toBe(200);
  });

  it('rejects unknown query parameters', async () => {
    expectError(await get(await newUser(), { month: MONTH, uid: 'x' }), 400, 'invalid_argument');
  });
});

describe('allocations PUT', () => {
  it('replaces the month and answers the summary with its ETag; GET reads the same', async () => {
    const user = await newUser();
    const res = await put(user, validMonth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      month: MONTH,
      currency: 'SEK',
      categories: [
        {
          key: 'food',
          label: 'Food',
          targetPercent: 40,
          budget: 400_000,
          actual: 100_000,
          difference: 300_000,
          utilization: 0.25,
        },
        {
          key: 'rent',
          label: 'Rent',
          targetPercent: 60,
          budget: 600_000,
          actual: 0,
          difference: 600_000,
          utilization: 0,
        },
      ],
      totals: { budget: 1_000_000, actual: 100_000, difference: 900_000, utilization: 0.1 },
      onTrack: true,
      updatedAt: expect.stringMatching(ISO_MS),
    });
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const read = await get(user, { month: MONTH });
    expect(read.body).toEqual(res.body);
    expect(read.headers.get('etag')).toBe(etag);
    // Another month stays unset.
    expect((await get(user, { month: '2026-12' })).body.categories).toEqual([]);
  });

  it('replaces, not merges: categories left out are gone', async () => {
    const user = await newUser();
    await put(user, validMonth());
    const res = await put(user, validMonth({ categories: [{ key: 'fun', budget: 5 }] }));
    expect(res.body.categories).toEqual([
      {
        key: 'fun',
        label: 'fun',
        targetPercent: null,
        budget: 5,
        actual: 0,
        difference: 5,
        utilization: 0,
      },
    ]);
    expect((await get(user, { month: MONTH })).body.categories).toHaveLength(1);
  });

  it('accepts the limits: 50 categories at 10^12, 32-char keys, 64-char labels, percents adding to 100', async () => {
    const user = await newUser();
    const categories = Array.from({ length: 50 }, (_, i) => ({
      key: `${'k'.repeat(29)}-${String(i).padStart(2, '0')}`,
      label: 'L'.repeat(64),
      budget: 1_000_000_000_000,
      actual: 1_000_000_000_000 - (i === 0 ? 1 : 0),
      targetPercent: i < 2 ? 50 : 0,
    }));
    const res = await put(user, validMonth({ categories, currency: 'JPY' }));
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      budget: 50_000_000_000_000,
      actual: 49_999_999_999_999,
      difference: 1,
      utilization: 1,
    });
    // Exact through JSON, the emulator and back.
    expect(res.text).toContain('"budget":50000000000000');
    expect((await get(user, { month: MONTH })).body.totals.actual).toBe(49_999_999_999_999);
  });

  describe('validation: 400 with details paths, nothing stored', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await newUser();
    });

    const category = (overrides: Record<string, unknown>) => ({
      ...validMonth(),
      categories: [{ key: 'food', budget: 100, ...overrides }],
    });

    it.each([
      ['missing month', { currency: 'SEK', categories: [{ key: 'a', budget: 1 }] }, 'month'],
      ['month out of range', validMonth({ month: '1999-12' }), 'month'],
      ['month malformed', validMonth({ month: '2026-11-01' }), 'month'],
      ['missing currency', { month: MONTH, categories: [{ key: 'a', budget: 1 }] }, 'currency'],
      ['lower-case currency', validMonth({ currency: 'sek' }), 'currency'],
      ['made-up currency', validMonth({ currency: 'ABC' }), 'currency'],
      ['gold as currency', validMonth({ currency: 'XAU' }), 'currency'],
      ['SDR as currency', validMonth({ currency: 'XDR' }), 'currency'],
      ['currency not a string', validMonth({ currency: 752 }), 'currency'],
      ['no categories', validMonth({ categories: [] }), 'categories'],
      ['categories not an array', validMonth({ categories: {} }), 'categories'],
      [
        '51 categories',
        validMonth({
          categories: Array.from({ length: 51 }, (_, i) => ({ key: `c${i}`, budget: 1 })),
        }),
        'categories',
      ],
      [
        'duplicate keys',
        validMonth({
          categories: [
            { key: 'a', budget: 1 },
            { key: 'b', budget: 1 },
            { key: 'a', budget: 2 },
          ],
        }),
        'categories.2.key',
      ],
      [
        'target percents over 100',
        validMonth({
          categories: [
            { key: 'a', budget: 1, targetPercent: 60 },
            { key: 'b', budget: 1, targetPercent: 41 },
          ],
        }),
        'categories',
      ],
      ['empty key', category({ key: '' }), 'categories.0.key'],
      ['33-char key', category({ key: 'k'.repeat(33) }), 'categories.0.key'],
      ['upper-case key', category({ key: 'Food' }), 'categories.0.key'],
      ['key with a space', category({ key: 'eating out' }), 'categories.0.key'],
      ['key with a trailing hyphen', category({ key: 'food-' }), 'categories.0.key'],
      ['key not a string', category({ key: 7 }), 'categories.0.key'],
      ['empty label', category({ label: '   ' }), 'categories.0.label'],
      ['65-char label', category({ label: 'x'.repeat(65) }), 'categories.0.label'],
      ['missing budget', { ...validMonth(), categories: [{ key: 'a' }] }, 'categories.0.budget'],
      ['negative budget', category({ budget: -1 }), 'categories.0.budget'],
      ['fractional budget', category({ budget: 10.5 }), 'categories.0.budget'],
      ['budget as string', category({ budget: '100' }), 'categories.0.budget'],
      ['budget over 10^12', category({ budget: 1_000_000_000_001 }), 'categories.0.budget'],
      ['negative actual', category({ actual: -5 }), 'categories.0.actual'],
      ['fractional actual', category({ actual: 0.1 }), 'categories.0.actual'],
      ['actual over 10^12', category({ actual: 1e13 }), 'categories.0.actual'],
      ['targetPercent over 100', category({ targetPercent: 101 }), 'categories.0.targetPercent'],
      ['negative targetPercent', category({ targetPercent: -1 }), 'categories.0.targetPercent'],
      ['fractional targetPercent', category({ targetPercent: 12.5 }), 'categories.0.targetPercent'],
      ['unknown category field', category({ difference: 0 }), 'categories.0'],
      ['unknown field', validMonth({ userId: 'someone' }), ''],
    ])('rejects %s', async (_label, body, path) => {
      const res = await put(user, body);
      expectError(res, 400, 'invalid_argument');
      expect(paths(res)).toContain(path);
    });

    it('stored nothing for any of them', async () => {
      const res = await get(user, { month: MONTH });
      expect(res.body.categories).toEqual([]);
      expect(res.body.updatedAt).toBeNull();
    });
  });

  it('answers 415 for a non-JSON body and 400 for none', async () => {
    const user = await newUser();
    expectError(
      await put(user, 'month=2026-11', { 'Content-Type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    expectError(
      await callFunction('allocations', { method: 'PUT', token: user.token }),
      400,
      'invalid_argument',
    );
  });
});

describe('allocations PATCH', () => {
  it('adds to one category and answers the new summary with a new ETag', async () => {
    const user = await newUser();
    const first = await put(user, validMonth());
    const res = await patch(user, { month: MONTH, key: 'rent', actualDelta: 650_000 });
    expect(res.status).toBe(200);
    expect(res.body.categories[1]).toMatchObject({
      key: 'rent',
      actual: 650_000,
      difference: -50_000,
      utilization: 1.08,
    });
    expect(res.body.categories[0].actual).toBe(100_000);
    expect(res.body.onTrack).toBe(false);
    expect(res.body.totals.actual).toBe(750_000);
    expect(res.headers.get('etag')).not.toBe(first.headers.get('etag'));
    const back = await patch(user, { month: MONTH, key: 'rent', actualDelta: -650_000 });
    expect(back.body.categories[1].actual).toBe(0);
  });

  it('refuses a result below zero with 400 and changes nothing', async () => {
    const user = await newUser();
    const before = await put(user, validMonth());
    const res = await patch(user, { month: MONTH, key: 'food', actualDelta: -100_001 });
    expectError(res, 400, 'invalid_argument');
    expect(paths(res)).toEqual(['actualDelta']);
    const after = await get(user, { month: MONTH });
    expect(after.body).toEqual(before.body);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    // Exactly to zero is fine.
    const zero = await patch(user, { month: MONTH, key: 'food', actualDelta: -100_000 });
    expect(zero.body.categories[0].actual).toBe(0);
  });

  it('refuses a result above 10^12 with 400', async () => {
    const user = await newUser();
    await put(user, validMonth());
    const res = await patch(user, { month: MONTH, key: 'food', actualDelta: 999_999_999_999 });
    expectError(res, 400, 'invalid_argument');
    expect((await get(user, { month: MONTH })).body.categories[0].actual).toBe(100_000);
  });

  it('answers 404 for an unknown key and for a month never set', async () => {
    const user = await newUser();
    await put(user, validMonth());
    expectError(
      await patch(user, { month: MONTH, key: 'travel', actualDelta: 1 }),
      404,
      'not_found',
    );
    expectError(
      await patch(user, { month: '2026-10', key: 'food', actualDelta: 1 }),
      404,
      'not_found',
    );
    expect((await get(user, { month: '2026-10' })).body.updatedAt).toBeNull();
  });

  it.each([
    ['missing actualDelta', { month: MONTH, key: 'food' }, 'actualDelta'],
    ['fractional actualDelta', { month: MONTH, key: 'food', actualDelta: 1.5 }, 'actualDelta'],
    ['actualDelta as string', { month: MONTH, key: 'food', actualDelta: '1' }, 'actualDelta'],
    ['actualDelta over 10^12', { month: MONTH, key: 'food', actualDelta: 1e12 + 1 }, 'actualDelta'],
    ['missing key', { month: MONTH, actualDelta: 1 }, 'key'],
    ['malformed key', { month: MONTH, key: 'Food', actualDelta: 1 }, 'key'],
    ['missing month', { key: 'food', actualDelta: 1 }, 'month'],
    ['month out of range', { month: '2101-01', key: 'food', actualDelta: 1 }, 'month'],
    ['unknown field', { month: MONTH, key: 'food', actualDelta: 1, actual: 5 }, ''],
  ])('rejects %s with 400', async (_label, body, path) => {
    const res = await patch(await newUser(), body);
    expectError(res, 400, 'invalid_argument');
    expect(paths(res)).toContain(path);
  });
});

describe('ETag and If-Match', () => {
  it('a stale If-Match on PUT is 412 and changes nothing; the current one passes', async () => {
    const user = await newUser();
    const first = await put(user, validMonth());
    const stale = first.headers.get('etag') as string;
    const second = await patch(user, { month: MONTH, key: 'food', actualDelta: 1 });
    const current = second.headers.get('etag') as string;
    const res = await put(user, validMonth({ currency: 'EUR' }), { 'If-Match': stale });
    expectError(res, 412, 'failed_precondition');
    const read = await get(user, { month: MONTH });
    expect(read.body).toEqual(second.body);
    expect(read.headers.get('etag')).toBe(current);
    const ok = await put(user, validMonth({ currency: 'EUR' }), { 'If-Match': current });
    expect(ok.status).toBe(200);
    expect(ok.body.currency).toBe('EUR');
  });

  it('a stale If-Match on PATCH is 412 and changes nothing', async () => {
    const user = await newUser();
    const first = await put(user, validMonth());
    const stale = first.headers.get('etag') as string;
    const moved = await patch(user, { month: MONTH, key: 'food', actualDelta: 5 });
    const res = await patch(
      user,
      { month: MONTH, key: 'food', actualDelta: 100 },
      { 'If-Match': stale },
    );
    expectError(res, 412, 'failed_precondition');
    expect((await get(user, { month: MONTH })).body).toEqual(moved.body);
    const ok = await patch(
      user,
      { month: MONTH, key: 'food', actualDelta: 100 },
      { 'If-Match': moved.headers.get('etag') as string },
    );
    expect(ok.body.categories[0].actual).toBe(100_105);
  });

  it('two devices: the second PUT with the ETag both read is refused', async () => {
    const user = await newUser();
    const read = await get(user, { month: MONTH });
    const etag = read.headers.get('etag') as string;
    expect(etag).toBe('"unset"');
    const deviceA = await put(user, validMonth(), { 'If-Match': etag });
    expect(deviceA.status).toBe(200);
    const deviceB = await put(user, validMonth({ currency: 'NOK' }), { 'If-Match': etag });
    expectError(deviceB, 412, 'failed_precondition');
    expect((await get(user, { month: MONTH })).body.currency).toBe('SEK');
  });

  it('If-Match: * matches a month that was set, not one never set', async () => {
    const user = await newUser();
    expectError(await put(user, validMonth(), { 'If-Match': '*' }), 412, 'failed_precondition');
    expect((await put(user, validMonth())).status).toBe(200);
    expect((await put(user, validMonth(), { 'If-Match': '*' })).status).toBe(200);
    const res = await patch(
      user,
      { month: MONTH, key: 'food', actualDelta: 1 },
      { 'If-Match': '*' },
    );
    expect(res.status).toBe(200);
  });

  it('matches one of a list, never a weak tag, and reads an unquoted tag as quoted', async () => {
    const user = await newUser();
    const etag = (await put(user, validMonth())).headers.get('etag') as string;
    const body = { month: MONTH, key: 'food', actualDelta: 1 };
    expectError(await patch(user, body, { 'If-Match': `W/${etag}` }), 412, 'failed_precondition');
    const listed = await patch(user, body, { 'If-Match': `"nope", ${etag}` });
    expect(listed.status).toBe(200);
    const unquoted = (listed.headers.get('etag') as string).slice(1, -1);
    expect((await patch(user, body, { 'If-Match': unquoted })).status).toBe(200);
  });

  it('GET with a matching If-None-Match is 304 without a body, from cache too', async () => {
    const user = await newUser();
    const etag = (await put(user, validMonth())).headers.get('etag') as string;
    const miss = await get(user, { month: MONTH }, { 'If-None-Match': etag });
    expect(miss.status).toBe(304);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    expect(miss.headers.get('etag')).toBe(etag);
    expect(miss.text).toBe('');
    const hit = await get(user, { month: MONTH }, { 'If-None-Match': etag });
    expect(hit.status).toBe(304);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const other = await get(user, { month: MONTH }, { 'If-None-Match': '"old"' });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).toBe(etag);
  });
});

describe('idempotent PATCH', () => {
  it('a retried +100 with the same key is added once and replayed', async () => {
    const user = await newUser();
    const first = await put(user, validMonth());
    const key = `retry-${randomUUID()}`;
    const body = { month: MONTH, key: 'food', actualDelta: 100 };
    // The retry carries the same If-Match, stale after the first went through: still a replay.
    const headers = { 'Idempotency-Key': key, 'If-Match': first.headers.get('etag') as string };
    const once = await patch(user, body, headers);
    expect(once.status).toBe(200);
    expect(once.headers.get('idempotent-replayed')).toBeNull();
    const again = await patch(user, body, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(once.body);
    expect(again.headers.get('etag')).toBe(once.headers.get('etag'));
    expect((await get(user, { month: MONTH })).body.categories[0].actual).toBe(100_100);
  });

  it('20 concurrent retries with one key add once', async () => {
    const user = await newUser();
    await put(user, validMonth());
    const key = `burst-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        patch(user, { month: MONTH, key: 'food', actualDelta: 100 }, { 'Idempotency-Key': key }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.categories[0].actual))).toEqual(new Set([100_100]));
    expect((await get(user, { month: MONTH })).body.categories[0].actual).toBe(100_100);
  });

  it('the same key with another body is 409 and changes nothing', async () => {
    const user = await newUser();
    await put(user, validMonth());
    const key = `k-${randomUUID()}`;
    await patch(user, { month: MONTH, key: 'food', actualDelta: 100 }, { 'Idempotency-Key': key });
    const res = await patch(
      user,
      { month: MONTH, key: 'food', actualDelta: 200 },
      { 'Idempotency-Key': key },
    );
    expectError(res, 409, 'conflict');
    expect((await get(user, { month: MONTH })).body.categories[0].actual).toBe(100_100);
  });

  it('a refused patch keeps no record: the same key works once the month allows it', async () => {
    const user = await newUser();
    const key = `k-${randomUUID()}`;
    const body = { month: MONTH, key: 'food', actualDelta: 100 };
    expectError(await patch(user, body, { 'Idempotency-Key': key }), 404, 'not_found');
    await put(user, validMonth());
    const res = await patch(user, body, { 'Idempotency-Key': key });
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(res.body.categories[0].actual).toBe(100_100);
  });

  it('rejects a malformed key with 400', async () => {
    const user = await newUser();
    await put(user, validMonth());
    const res = await patch(
      user,
      { month: MONTH, key: 'food', actualDelta: 1 },
      { 'Idempotency-Key': 'has space' },
    );
    expectError(res, 400, 'invalid_argument');
    expect(paths(res)).toEqual(['Idempotency-Key']);
  });
});

describe('allocations cache', () => {
  it('serves a repeat from cache and every write makes the next read fresh', async () => {
    const user = await newUser();
    const written = await put(user, validMonth());
    const miss = await get(user, { month: MONTH });
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const hit = await get(user, { month: MONTH });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.body).toEqual(miss.body);
    expect(hit.headers.get('etag')).toBe(written.headers.get('etag'));

    const patched = await patch(user, { month: MONTH, key: 'food', actualDelta: 7 });
    const afterPatch = await get(user, { month: MONTH });
    expect(afterPatch.headers.get('x-cache')).toBe('MISS');
    expect(afterPatch.body.categories[0].actual).toBe(100_007);
    expect(afterPatch.headers.get('etag')).toBe(patched.headers.get('etag'));

    await get(user, { month: MONTH }); // cached again
    const replaced = await put(user, validMonth({ currency: 'EUR' }));
    const afterPut = await get(user, { month: MONTH });
    expect(afterPut.headers.get('x-cache')).toBe('MISS');
    expect(afterPut.body.currency).toBe('EUR');
    expect(afterPut.headers.get('etag')).toBe(replaced.headers.get('etag'));
  });

  it('caches per month, and the default month shares the explicit month’s entry', async () => {
    const user = await newUser();
    const current = new Date().toISOString().slice(0, 7);
    await get(user, { month: current });
    expect((await get(user, { month: '2025-01' })).headers.get('x-cache')).toBe('MISS');
    const byDefault = await get(user);
    // Unless the month turned between the two reads.
    if (byDefault.body.month === current) expect(byDefault.headers.get('x-cache')).toBe('HIT');
  });
});

describe('isolation', () => {
  it('never shows or changes one user’s month for another, with or without cache', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await put(a, validMonth());
    await get(b, { month: MONTH });
    expect((await get(b, { month: MONTH })).body.categories).toEqual([]);
    expectError(await patch(b, { month: MONTH, key: 'food', actualDelta: 1 }), 404, 'not_found');
    await put(b, validMonth({ currency: 'USD', categories: [{ key: 'food', budget: 1 }] }));
    const mine = await get(a, { month: MONTH });
    expect(mine.body.currency).toBe('SEK');
    expect(mine.body.categories[0].actual).toBe(100_000);
  });

  it('requires a token', async () => {
    const res = await callFunction('allocations', { query: { month: MONTH } });
    expectError(res, 401, 'unauthenticated');
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await callFunction('allocations', { method: 'DELETE' });
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, PUT, PATCH, OPTIONS');
  });
});

/** moodLog and moodGet over real HTTP: validation, idempotency, pagination, cache, isolation, safety. */
import { randomUUID } from 'node:crypto';
import { callFunction, expectError } from './support/api';
import { newUser, type TestUser } from './support/auth';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const log = (user: TestUser, body: unknown, headers: Record<string, string> = {}) =>
  callFunction('moodLog', { token: user.token, body, headers });
const list = (user: TestUser, query: Record<string, string | number | undefined> = {}) =>
  callFunction('moodGet', { token: user.token, query });

async function walk(
  user: TestUser,
  query: Record<string, string | number | undefined>,
): Promise<{ id: string; recordedAt: string }[]> {
  const seen: { id: string; recordedAt: string }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await list(user, { ...query, cursor });
    expect(res.status).toBe(200);
    seen.push(...res.body.moods);
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return seen;
  }
  throw new Error('pagination did not end');
}

describe('moodLog validation', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await newUser();
  });

  it.each([
    ['score 0', { score: 0 }, 'score'],
    ['score 11', { score: 11 }, 'score'],
    ['fractional score', { score: 7.5 }, 'score'],
    ['score as string', { score: '7' }, 'score'],
    ['missing score', {}, 'score'],
    ['null score', { score: null }, 'score'],
    ['note over 2000 chars', { score: 5, note: 'a'.repeat(2001) }, 'note'],
    ['note not a string', { score: 5, note: 42 }, 'note'],
    ['11 tags', { score: 5, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    ['empty tag', { score: 5, tags: ['ok', '  '] }, 'tags.1'],
    ['33-char tag', { score: 5, tags: ['x'.repeat(33)] }, 'tags.0'],
    ['duplicate tags after lower-casing', { score: 5, tags: ['Walk', 'walk'] }, 'tags.1'],
    ['tags not an array', { score: 5, tags: 'walk' }, 'tags'],
    ['recordedAt without offset', { score: 5, recordedAt: '2026-11-20T10:00:00' }, 'recordedAt'],
    ['recordedAt not a date', { score: 5, recordedAt: 'yesterday' }, 'recordedAt'],
    [
      'recordedAt 10 minutes ahead',
      { score: 5, recordedAt: new Date(Date.now() + 600_000).toISOString() },
      'recordedAt',
    ],
    ['unknown field', { score: 5, userId: 'someone' }, ''],
  ])('rejects %s with 400 and stores nothing', async (_label, body, path) => {
    const res = await log(user, body);
    expectError(res, 400, 'invalid_argument');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('stored nothing for any of the rejected requests', async () => {
    const res = await list(user);
    expect(res.body.moods).toEqual([]);
  });

  it('stores a valid entry, normalised, and answers 201 with it', async () => {
    const fresh = await newUser();
    const res = await log(fresh, {
      score: 7,
      note: '  A calm walk by the sea.  ',
      tags: ['Walk', 'SEA'],
      recordedAt: '2026-11-20T09:30:00.000+01:00',
    });
    expect(res.status).toBe(201);
    expect(res.body.mood).toEqual({
      id: expect.any(String),
      score: 7,
      note: 'A calm walk by the sea.',
      tags: ['walk', 'sea'],
      recordedAt: '2026-11-20T08:30:00.000Z',
      createdAt: expect.stringMatching(ISO_MS),
    });
    expect(res.body.safety).toEqual({ level: 'none', resources: [] });
    const listed = await list(fresh);
    expect(listed.body.moods).toEqual([res.body.mood]);
  });

  it('accepts the limits exactly: 2000-char note after trimming, 10 tags, 32-char tag, 4 minutes ahead', async () => {
    const fresh = await newUser();
    const res = await log(fresh, {
      score: 10,
      note: ` ${'b'.repeat(2000)} `,
      tags: [...Array.from({ length: 9 }, (_, i) => `t${i}`), 'y'.repeat(32)],
      recordedAt: new Date(Date.now() + 4 * 60_000).toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body.mood.note).toHaveLength(2000);
  });

  it('defaults recordedAt to now and stores an empty note as null', async () => {
    const fresh = await newUser();
    const before = Date.now();
    const res = await log(fresh, { score: 1, note: '   ' });
    expect(res.status).toBe(201);
    expect(res.body.mood.note).toBeNull();
    expect(res.body.mood.tags).toEqual([]);
    expect(Date.parse(res.body.mood.recordedAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(res.body.mood.recordedAt).toMatch(ISO_MS);
  });
});

describe('moodLog idempotency', () => {
  it('replays the same entry with 200 and Idempotent-Replayed for the same key and body', async () => {
    const user = await newUser();
    const key = `key-${randomUUID()}`;
    const first = await log(user, { score: 6, tags: ['work'] }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const again = await log(user, { score: 6, tags: ['work'] }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.mood).toEqual(first.body.mood);
    expect((await list(user)).body.moods).toHaveLength(1);
  });

  it('answers 409 for the same key with a different body, storing nothing new', async () => {
    const user = await newUser();
    const key = `key-${randomUUID()}`;
    expect((await log(user, { score: 6 }, { 'Idempotency-Key': key })).status).toBe(201);
    expectError(await log(user, { score: 7 }, { 'Idempotency-Key': key }), 409, 'conflict');
    expect((await list(user)).body.moods).toHaveLength(1);
  });

  it('keys are per user: the same key for two users makes two entries', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const key = `shared-${randomUUID()}`;
    expect((await log(a, { score: 2 }, { 'Idempotency-Key': key })).status).toBe(201);
    expect((await log(b, { score: 2 }, { 'Idempotency-Key': key })).status).toBe(201);
  });

  // The Functions emulator runs one request per worker process, so 10 concurrent requests are
  // 10 processes racing on Firestore's create(): the same race as 10 production instances.
  it('stores exactly one entry for 10 concurrent retries', async () => {
    const user = await newUser();
    const key = `burst-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        log(user, { score: 8, note: 'same' }, { 'Idempotency-Key': key }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.mood.id)).size).toBe(1);
    expect((await list(user)).body.moods).toHaveLength(1);
  });

  it.each([['x'.repeat(129)], ['has space'], ['semi;colon']])(
    'rejects the malformed key %j',
    async (key) => {
      const user = await newUser();
      expectError(
        await log(user, { score: 5 }, { 'Idempotency-Key': key }),
        400,
        'invalid_argument',
      );
      expect((await list(user)).body.moods).toEqual([]);
    },
  );
});

describe('moodGet pagination', () => {
  let user: TestUser;
  const sameInstant = '2026-11-18T12:00:00.000Z';
  const ids: string[] = [];

  beforeAll(async () => {
    user = await newUser();
    // 30 entries at one instant, 15 spread out, some tagged.
    const bodies = [
      ...Array.from({ length: 30 }, (_, i) => ({
        score: (i % 10) + 1,
        recordedAt: sameInstant,
        tags: i % 3 === 0 ? ['tie'] : [],
      })),
      ...Array.from({ length: 15 }, (_, i) => ({
        score: 5,
        recordedAt: new Date(Date.parse('2026-11-10T00:00:00Z') + i * 3_600_000 * 20).toISOString(),
        tags: i % 2 === 0 ? ['spread'] : [],
      })),
    ];
    for (let i = 0; i < bodies.length; i += 5) {
      const results = await Promise.all(bodies.slice(i, i + 5).map((body) => log(user, body)));
      for (const r of results) {
        expect(r.status).toBe(201);
        ids.push(r.body.mood.id);
      }
    }
  });

  it('returns every entry exactly once, newest first, ties by id descending', async () => {
    const seen = await walk(user, { limit: 7 });
    expect(seen.map((m) => m.id).sort()).toEqual([...ids].sort());
    for (let i = 1; i < seen.length; i++) {
      const [prev, cur] = [seen[i - 1]!, seen[i]!];
      const order =
        prev.recordedAt === cur.recordedAt ? prev.id > cur.id : prev.recordedAt > cur.recordedAt;
      expect(order).toBe(true);
    }
  });

  it('defaults to 20 per page and accepts limits 1 and 100', async () => {
    expect((await list(user)).body.moods).toHaveLength(20);
    expect((await list(user, { limit: 1 })).body.moods).toHaveLength(1);
    const all = await list(user, { limit: 100 });
    expect(all.body.moods).toHaveLength(45);
    expect(all.body.nextCursor).toBeNull();
  });

  it.each([['0'], ['101'], ['1.5'], ['abc'], ['1e2']])('rejects limit=%s', async (limit) => {
    expectError(await list(user, { limit }), 400, 'invalid_argument');
  });

  it('filters by tag, from (inclusive) and to (exclusive)', async () => {
    expect((await walk(user, { tag: 'tie', limit: 4 })).length).toBe(10);
    expect((await walk(user, { tag: 'SPREAD', limit: 3 })).length).toBe(8);
    const inRange = await walk(user, {
      from: sameInstant,
      to: '2026-11-18T12:00:00.001Z',
      limit: 8,
    });
    expect(inRange).toHaveLength(30);
    // The spread entries lie every 20 h from 2026-11-10: 11 before the shared instant, 4 after.
    expect(await walk(user, { from: '2026-11-18T12:00:00.001Z' })).toHaveLength(4);
    expect(await walk(user, { to: sameInstant, limit: 50 })).toHaveLength(11);
  });

  it('rejects from >= to and unknown parameters', async () => {
    expectError(await list(user, { from: sameInstant, to: sameInstant }), 400, 'invalid_argument');
    expectError(await list(user, { sort: 'asc' }), 400, 'invalid_argument');
  });

  it('rejects forged, truncated and foreign cursors', async () => {
    const page = await list(user, { limit: 5, tag: 'tie' });
    const cursor: string = page.body.nextCursor;
    expect(cursor).toBeTruthy();
    const [payload, mac] = cursor.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...decoded, a: decoded.a - 1 })).toString('base64url')}.${mac}`;
    for (const bad of [forged, cursor.slice(0, -3), `${cursor}x`, 'garbage', `${payload}.`]) {
      expectError(await list(user, { limit: 5, tag: 'tie', cursor: bad }), 400, 'invalid_argument');
    }
    // Reused with other filters, or by another user.
    expectError(await list(user, { limit: 5, cursor }), 400, 'invalid_argument');
    expectError(await list(user, { limit: 5, tag: 'spread', cursor }), 400, 'invalid_argument');
    const other = await newUser();
    expectError(await list(other, { limit: 5, tag: 'tie', cursor }), 400, 'invalid_argument');
    // A different limit is not a different filter.
    expect((await list(user, { limit: 9, tag: 'tie', cursor })).status).toBe(200);
  });

  it('serves every original entry exactly once when entries are added between pages', async () => {
    const fresh = await newUser();
    const original: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await log(fresh, {
        score: 5,
        recordedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
      });
      original.push(r.body.mood.id);
    }
    const first = await list(fresh, { limit: 5 });
    const seen: string[] = first.body.moods.map((m: { id: string }) => m.id);
    // Newer and older entries, and more at the cursor's own instant.
    await log(fresh, { score: 9 });
    await log(fresh, { score: 1, recordedAt: '2026-10-01T00:00:00Z' });
    await log(fresh, { score: 3, recordedAt: first.body.moods.at(-1).recordedAt });
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await list(fresh, { limit: 5, cursor });
      seen.push(...page.body.moods.map((m: { id: string }) => m.id));
      cursor = page.body.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen.filter((s) => s === id)).toHaveLength(1);
  });
});

describe('moodGet cache', () => {
  it('serves a repeat from cache and reflects the user’s own write on the very next read', async () => {
    const user = await newUser();
    expect((await log(user, { score: 4 })).status).toBe(201);
    const miss = await list(user);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const hit = await list(user);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.body).toEqual(miss.body);
    const added = await log(user, { score: 9 });
    const fresh = await list(user);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body.moods.map((m: { id: string }) => m.id)).toContain(added.body.mood.id);
    expect(fresh.headers.get('cache-control')).toBe('private, no-store');
  });

  it('caches per query', async () => {
    const user = await newUser();
    await list(user, { limit: 3 });
    expect((await list(user, { limit: 4 })).headers.get('x-cache')).toBe('MISS');
    expect((await list(user, { limit: 3 })).headers.get('x-cache')).toBe('HIT');
  });
});

describe('isolation', () => {
  it('never shows one user’s entries to another, with or without cache', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await log(a, { score: 2, note: 'only mine' });
    await list(b);
    expect((await list(b)).body.moods).toEqual([]);
    expect((await list(a)).body.moods).toHaveLength(1);
  });
});

describe('safety screen of notes', () => {
  it('flags a crisis note in English with resources', async () => {
    const res = await log(await newUser(), { score: 1, note: 'I want to kill myself tonight' });
    expect(res.status).toBe(201);
    expect(res.body.safety.level).toBe('crisis');
    expect(res.body.safety.resources.length).toBeGreaterThan(0);
  });

  it('flags a crisis note in Swedish with Swedish resources (112, 90101, 1177)', async () => {
    const res = await log(
      await newUser(),
      { score: 1, note: 'Jag vill inte leva längre, jag tänker ta livet av mig' },
      { 'Accept-Language': 'sv-SE,sv;q=0.9,en;q=0.5' },
    );
    expect(res.body.safety.level).toBe('crisis');
    const text = JSON.stringify(res.body.safety.resources);
    for (const number of ['112', '90101', '1177']) expect(text).toContain(number);
  });

  it.each([
    ['This traffic is killing me'],
    ["I'm dying to see the new film"],
    ['Jag dör av skratt'],
    ['dödstrött efter jobbet'],
  ])('does not flag the everyday phrase %j', async (note) => {
    const res = await log(await newUser(), { score: 6, note });
    expect(res.body.safety).toEqual({ level: 'none', resources: [] });
  });
});

describe('moderation model as a second opinion on notes', () => {
  const fakeOrigin = () => (process.env.FAKE_OPENAI_URL as string).replace(/\/v1$/, '');
  async function addRule(rule: unknown): Promise<string> {
    const res = await fetch(`${fakeOrigin()}/__rules`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(rule),
    });
    return ((await res.json()) as { id: string }).id;
  }
  const removeRule = (id: string) => fetch(`${fakeOrigin()}/__rules/${id}`, { method: 'DELETE' });

  it('raises a note the local screen misses to crisis when the moderation model flags intent', async () => {
    const marker = `m${randomUUID().slice(0, 8)}`;
    const id = await addRule({
      match: marker,
      endpoint: 'moderations',
      behavior: { flagged: true, categories: ['self-harm', 'self-harm/intent'] },
    });
    try {
      const res = await log(await newUser(), { score: 2, note: `Quiet evening ${marker}` });
      expect(res.status).toBe(201);
      expect(res.body.safety.level).toBe('crisis');
      expect(res.body.safety.resources.length).toBeGreaterThan(0);
    } finally {
      await removeRule(id);
    }
  });

  it('stores the entry on the local screen alone when the moderation model hangs', async () => {
    const marker = `h${randomUUID().slice(0, 8)}`;
    const id = await addRule({ match: marker, endpoint: 'moderations', behavior: { hang: true } });
    try {
      const started = Date.now();
      const res = await log(await newUser(), { score: 3, note: `I want to kill myself ${marker}` });
      expect(res.status).toBe(201);
      expect(res.body.safety.level).toBe('crisis');
      console.log(`moodLog with a hung moderation model: ${Date.now() - started} ms`);
    } finally {
      await removeRule(id);
    }
  });
});

describe('edges of the accepted ranges', () => {
  it('rejects dates outside Firestore’s range with 400, not 500', async () => {
    const user = await newUser();
    expectError(await list(user, { to: '9999-12-31T23:30:00-01:00' }), 400, 'invalid_argument');
    expectError(
      await log(user, { score: 5, recordedAt: '0000-06-01T00:00:00Z' }),
      400,
      'invalid_argument',
    );
  });

  it('answers application/merge-patch+json with 415', async () => {
    const res = await callFunction('moodLog', {
      token: (await newUser()).token,
      body: { score: 5 },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expectError(res, 415, 'unsupported_media_type');
  });
});

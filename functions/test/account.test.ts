/** account over real HTTP: the streamed export, the erase, and the erase on Auth deletion. */
import { randomUUID } from 'node:crypto';
import { callFunction, expectError, requireEnv } from './support/api';
import { newUser, type TestUser } from './support/auth';
import { adminDb, closeAdminDb, seedMoods } from './weekly-support';

afterAll(closeAdminDb);

const exportOf = (user: TestUser) => callFunction('account', { token: user.token });
const erase = (user: TestUser) => callFunction('account', { method: 'DELETE', token: user.token });
const logMood = (user: TestUser, body: unknown, headers: Record<string, string> = {}) =>
  callFunction('moodLog', { token: user.token, body, headers });
const moods = (user: TestUser) => callFunction('moodGet', { token: user.token });
const chat = (user: TestUser, body: unknown) => callFunction('aiChat', { token: user.token, body });

describe('account GET (export)', () => {
  it('serves an empty account as a JSON download', async () => {
    const user = await newUser();
    const res = await exportOf(user);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const day = new Date().toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="stilla-export-${user.uid}-${day}.json"`,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('ratelimit-limit')).toBe('20');
    expect(res.body).toMatchObject({ userId: user.uid, moods: [], chatSessions: [] });
    expect(Date.parse(res.body.exportedAt)).not.toBeNaN();
  });

  it('lists every mood oldest first, exactly as moodGet shows them', async () => {
    const user = await newUser();
    for (const [score, recordedAt] of [
      [5, '2026-11-03T10:00:00.000Z'],
      [2, '2026-11-01T10:00:00.000Z'],
      [9, '2026-11-02T10:00:00.000Z'],
    ] as const) {
      expect((await logMood(user, { score, recordedAt, note: `n${score}` })).status).toBe(201);
    }
    const exported = (await exportOf(user)).body;
    expect(exported.moods.map((m: { score: number }) => m.score)).toEqual([2, 9, 5]);
    const listed = (await moods(user)).body.moods;
    expect(exported.moods).toEqual([...listed].reverse());
  });

  it('lists chat sessions oldest first, each with all its messages in order', async () => {
    const user = await newUser();
    const first = await chat(user, { message: 'hello, first session' });
    expect(first.status).toBe(200);
    await chat(user, { message: 'and a second message', sessionId: first.body.sessionId });
    const second = await chat(user, { message: 'a new session' });
    expect(second.status).toBe(200);
    const exported = (await exportOf(user)).body;
    expect(exported.chatSessions.map((s: { id: string }) => s.id)).toEqual([
      first.body.sessionId,
      second.body.sessionId,
    ]);
    const [one, two] = exported.chatSessions;
    expect(one.messageCount).toBe(4);
    expect(one.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(one.messages[0].content).toBe('hello, first session');
    expect(one.messages[1].replyTo).toBe(one.messages[0].id);
    expect(two.messages).toHaveLength(2);
    const history = await callFunction('aiHistory', {
      token: user.token,
      query: { sessionId: first.body.sessionId },
    });
    expect(one.messages).toEqual(history.body.messages);
  });

  it('lists budget months oldest first, each as allocations GET shows it', async () => {
    const user = await newUser();
    for (const month of ['2026-03', '2025-12']) {
      const put = await callFunction('allocations', {
        method: 'PUT',
        token: user.token,
        body: { month, currency: 'SEK', categories: [{ key: 'food', budget: 1000, actual: 250 }] },
      });
      expect(put.status).toBe(200);
    }
    const exported = (await exportOf(user)).body;
    expect(exported.allocations.map((m: { month: string }) => m.month)).toEqual([
      '2025-12',
      '2026-03',
    ]);
    const read = await callFunction('allocations', {
      token: user.token,
      query: { month: '2026-03' },
    });
    expect(exported.allocations[1]).toEqual(read.body);
  });

  it('exports accounts larger than one page, every entry once, in order', async () => {
    const user = await newUser();
    const start = Date.parse('2025-01-01T00:00:00.000Z');
    // 1,234 entries: two full pages of 500 and a partial one; every tenth shares an instant.
    const seeded = Array.from({ length: 1234 }, (_, i) => ({
      score: (i % 10) + 1,
      recordedAt: new Date(start + Math.floor(i / 10) * 60_000).toISOString(),
    }));
    for (let i = 0; i < seeded.length; i += 400)
      await seedMoods(user.uid, seeded.slice(i, i + 400));
    const exported = (await exportOf(user)).body;
    expect(exported.moods).toHaveLength(1234);
    expect(new Set(exported.moods.map((m: { id: string }) => m.id)).size).toBe(1234);
    const times = exported.moods.map((m: { recordedAt: string }) => Date.parse(m.recordedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('shows nothing of another user', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await logMood(a, { score: 4, note: 'only mine' });
    const exported = (await exportOf(b)).body;
    expect(exported).toMatchObject({ userId: b.uid, moods: [] });
    expect(JSON.stringify(exported)).not.toContain('only mine');
  });

  it('needs a token', async () => {
    const res = await callFunction('account');
    expectError(res, 401, 'unauthenticated');
  });

  it('takes no query parameters and answers other methods with 405', async () => {
    const user = await newUser();
    expectError(
      await callFunction('account', { token: user.token, query: { userId: 'x' } }),
      400,
      'invalid_argument',
    );
    const post = await callFunction('account', { method: 'POST', token: user.token, body: {} });
    expectError(post, 405, 'method_not_allowed');
    expect(post.headers.get('allow')).toBe('GET, DELETE, HEAD, OPTIONS');
  });
});

describe('account DELETE (erase)', () => {
  it('erases every document under the user and answers 204, also when repeated', async () => {
    const user = await newUser();
    const key = `erase-${randomUUID()}`;
    expect((await logMood(user, { score: 6 }, { 'Idempotency-Key': key })).status).toBe(201);
    await adminDb()
      .doc(`users/${user.uid}/usage/${new Date().toISOString().slice(0, 10)}`)
      .set({ totalTokens: 10, calls: 1 });
    await adminDb().doc(`users/${user.uid}`).set({ profile: true });

    const first = await erase(user);
    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    const left = await adminDb().doc(`users/${user.uid}`).listCollections();
    const counts = await Promise.all(left.map(async (c) => (await c.get()).size));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(0);
    expect((await adminDb().doc(`users/${user.uid}`).get()).exists).toBe(false);

    expect((await erase(user)).status).toBe(204);
    // The idempotency record went too: the same key now creates a new entry.
    expect((await logMood(user, { score: 6 }, { 'Idempotency-Key': key })).status).toBe(201);
  });

  it('leaves no cached read behind: the next read is empty, even one cached just before', async () => {
    const user = await newUser();
    await logMood(user, { score: 3 });
    await moods(user);
    const cached = await moods(user);
    expect(cached.headers.get('x-cache')).toBe('HIT');
    expect(cached.body.moods).toHaveLength(1);

    expect((await erase(user)).status).toBe(204);
    const after = await moods(user);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.moods).toEqual([]);
    expect((await exportOf(user)).body.moods).toEqual([]);
  });

  it('leaves every other function showing an empty account', async () => {
    const user = await newUser();
    await logMood(user, { score: 4 });
    const sent = await chat(user, { message: 'remember this' });
    await callFunction('aiHistory', { token: user.token });
    expect((await erase(user)).status).toBe(204);
    expect((await moods(user)).body.moods).toEqual([]);
    expect((await callFunction('aiHistory', { token: user.token })).body.sessions).toEqual([]);
    expectError(
      await callFunction('aiHistory', {
        token: user.token,
        query: { sessionId: sent.body.sessionId },
      }),
      404,
      'not_found',
    );
    const week = await callFunction('weeklyAnalysis', { token: user.token });
    expect(week.body.stats.count).toBe(0);
    expect(await exportOf(user).then((r) => r.body)).toMatchObject({ moods: [], chatSessions: [] });
  });

  it('erases only the caller', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await logMood(a, { score: 5 });
    await logMood(b, { score: 7 });
    expect((await erase(a)).status).toBe(204);
    expect((await moods(b)).body.moods).toHaveLength(1);
  });
});

describe('erase on Firebase Auth deletion', () => {
  it('erases the data of a user deleted in the Auth emulator', async () => {
    const user = await newUser();
    expect((await logMood(user, { score: 8, note: 'before deletion' })).status).toBe(201);
    const host = requireEnv('FIREBASE_AUTH_EMULATOR_HOST');
    const res = await fetch(
      `http://${host}/identitytoolkit.googleapis.com/v1/accounts:delete?key=local`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ idToken: user.token }),
      },
    );
    expect(res.status).toBe(200);
    // The trigger runs asynchronously after the deletion.
    const deadline = Date.now() + 30_000;
    let remaining = 1;
    while (Date.now() < deadline) {
      remaining = (await adminDb().collection(`users/${user.uid}/moods`).get()).size;
      if (remaining === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(remaining).toBe(0);
  });
});

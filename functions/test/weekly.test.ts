/**
 * weeklyAnalysis over real HTTP against the local stack: exact statistics (DST included),
 * validation, caching and read-your-writes, and AI insights that never fail the request,
 * with the fake OpenAI server answering, hanging, failing or talking nonsense.
 */
import { performance } from 'node:perf_hooks';
import { callFunction, expectError } from './support/api';
import { recordFigures } from './support/figures';
import { newUser, type TestUser } from './support/auth';
import {
  addFakeRule,
  closeAdminDb,
  fakeRequests,
  removeFakeRules,
  seedMoods,
  setTokensUsedToday,
  tokensUsedToday,
  uniqueTag,
  weekly,
  type SeedMood,
} from './weekly-support';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The contract: a valid request is answered within a few seconds even when the model hangs. */
const HUNG_MODEL_BUDGET_MS = 5_000;

/** 2026-W47 in UTC: Monday 2026-11-16 to Monday 2026-11-23. `tag` marks this test's prompt. */
function week47(tag: string): SeedMood[] {
  return [
    { score: 4, recordedAt: '2026-11-16T08:00:00.000Z', tags: [tag, 'work'], note: 'Tired.' },
    { score: 5, recordedAt: '2026-11-16T20:00:00.000Z', tags: [tag] },
    { score: 6, recordedAt: '2026-11-18T12:00:00.000Z', tags: ['work'] },
    { score: 8, recordedAt: '2026-11-20T09:00:00.000Z', tags: [tag, 'walk'] },
    { score: 9, recordedAt: '2026-11-22T23:59:59.999Z', tags: ['walk'] },
    // 2026-W46, and the first instant of 2026-W48.
    { score: 3, recordedAt: '2026-11-10T10:00:00.000Z' },
    { score: 5, recordedAt: '2026-11-15T23:59:59.999Z' },
    { score: 1, recordedAt: '2026-11-23T00:00:00.000Z', tags: [tag] },
  ];
}

async function seededUser(moods: SeedMood[]): Promise<TestUser> {
  const user = await newUser();
  await seedMoods(user.uid, moods);
  return user;
}

afterEach(removeFakeRules);
afterAll(closeAdminDb);

describe('weeklyAnalysis statistics', () => {
  it('computes the contract statistics of a UTC week and the week before', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = res.body;
    expect(body.week).toBe('2026-W47');
    expect(body.timeZone).toBe('UTC');
    expect(body.language).toBe('en');
    expect(body.range).toEqual({
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
    });
    expect(body.stats).toMatchObject({
      count: 5,
      average: 6.4,
      min: 4,
      max: 9,
      // first two (4, 5) average 4.5, last two (8, 9) average 8.5
      trend: 'improving',
    });
    expect(body.stats.days).toEqual([
      { date: '2026-11-16', count: 2, average: 4.5 },
      { date: '2026-11-17', count: 0, average: null },
      { date: '2026-11-18', count: 1, average: 6 },
      { date: '2026-11-19', count: 0, average: null },
      { date: '2026-11-20', count: 1, average: 8 },
      { date: '2026-11-21', count: 0, average: null },
      { date: '2026-11-22', count: 1, average: 9 },
    ]);
    expect(body.stats.topTags[0]).toEqual({ tag, count: 3, average: 5.7 });
    expect(body.stats.topTags.slice(1)).toEqual(
      expect.arrayContaining([
        { tag: 'work', count: 2, average: 5 },
        { tag: 'walk', count: 2, average: 8.5 },
      ]),
    );
    expect(body.stats.topTags).toHaveLength(3);
    expect(body.previousWeek).toEqual({ count: 2, average: 4 });
    expect(body.generatedAt).toMatch(ISO_MS);
  });

  it('runs the week from local Monday midnight to Monday midnight across a DST change', async () => {
    // Stockholm leaves summer time on Sunday 2026-10-25: 2026-W43 is 169 hours long.
    const user = await seededUser([
      { score: 2, recordedAt: '2026-10-18T21:59:59.999Z' }, // Sun 23:59:59.999 CEST: W42
      { score: 4, recordedAt: '2026-10-18T22:00:00.000Z' }, // Mon 00:00 CEST
      { score: 6, recordedAt: '2026-10-25T00:30:00.000Z' }, // Sun 02:30 CEST
      { score: 8, recordedAt: '2026-10-25T01:30:00.000Z' }, // Sun 02:30 CET (the repeated hour)
      { score: 10, recordedAt: '2026-10-25T22:59:59.999Z' }, // Sun 23:59:59.999 CET
      { score: 1, recordedAt: '2026-10-25T23:00:00.000Z' }, // Mon 00:00 CET: W44
    ]);
    const res = await weekly(user, { week: '2026-W43', tz: 'Europe/Stockholm' });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Europe/Stockholm');
    expect(res.body.range).toEqual({
      start: '2026-10-18T22:00:00.000Z',
      end: '2026-10-25T23:00:00.000Z',
    });
    expect(res.body.stats).toMatchObject({
      count: 4,
      average: 7,
      min: 4,
      max: 10,
      trend: 'improving',
    });
    expect(res.body.stats.days.map((d) => d.date)).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
    ]);
    expect(res.body.stats.days[0]).toEqual({ date: '2026-10-19', count: 1, average: 4 });
    expect(res.body.stats.days[6]).toEqual({ date: '2026-10-25', count: 3, average: 8 });
    expect(res.body.previousWeek).toEqual({ count: 1, average: 2 });

    // In UTC the same instants fall into other weeks: Monday 00:00 CEST is still Sunday in
    // UTC (W42), Monday 00:00 CET too (W43).
    const utc = await weekly(user, { week: '2026-W43' });
    expect(utc.body.range.start).toBe('2026-10-19T00:00:00.000Z');
    expect(utc.body.stats.count).toBe(4);
    expect(utc.body.stats.days[6]?.count).toBe(4);
    expect(utc.body.previousWeek.count).toBe(2);
  });

  it('answers an empty week with zeroes and nulls', async () => {
    const user = await newUser();
    const res = await weekly(user, { week: '2026-W10', tz: 'America/New_York', lang: 'sv' });
    expect(res.status).toBe(200);
    expect(res.body.stats).toEqual({
      count: 0,
      average: null,
      min: null,
      max: null,
      trend: 'insufficient_data',
      days: expect.any(Array),
      topTags: [],
    });
    expect(res.body.stats.days).toHaveLength(7);
    expect(res.body.stats.days.every((d) => d.count === 0 && d.average === null)).toBe(true);
    expect(res.body.previousWeek).toEqual({ count: 0, average: null });
    expect(res.body.insights.suggestions.length).toBeGreaterThanOrEqual(1);
  });

  it('defaults to the current ISO week in the requested zone', async () => {
    const user = await newUser();
    const before = currentIsoWeek('Pacific/Kiritimati');
    const res = await weekly(user, { tz: 'Pacific/Kiritimati' });
    const after = currentIsoWeek('Pacific/Kiritimati');
    expect(res.status).toBe(200);
    expect([before, after]).toContain(res.body.week);
    expect(res.body.language).toBe('en');
  });
});

/** The ISO week of now in `timeZone`, computed independently of the code under test. */
function currentIsoWeek(timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number, number];
  const date = new Date(Date.UTC(local[0], local[1] - 1, local[2]));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

describe('weeklyAnalysis validation', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await newUser();
  });

  it.each([
    ['a week that does not exist (2027 has 52)', { week: '2027-W53' }, 'week'],
    ["a week past Firestore's range", { week: '9999-W52' }, 'week'],
    ["a week before Firestore's range", { week: '0001-W01' }, 'week'],
    ['week 0', { week: '2026-W00' }, 'week'],
    ['a week without the W', { week: '2026-47' }, 'week'],
    ['a one-digit week', { week: '2026-W7' }, 'week'],
    ['a lower-case w', { week: '2026-w47' }, 'week'],
    ['an unknown zone', { tz: 'Mars/Olympus_Mons' }, 'tz'],
    ['an offset instead of a zone', { tz: '+01:00' }, 'tz'],
    ['an empty zone', { tz: '' }, 'tz'],
    ['an unsupported language', { lang: 'de' }, 'lang'],
    ['an upper-case language', { lang: 'SV' }, 'lang'],
    ['an unknown parameter', { uid: 'someone-else' }, ''],
  ])('rejects %s with 400 and details', async (_label, query, path) => {
    const res = await weekly(user, query);
    expectError(res, 400, 'invalid_argument');
    expect(res.body.error.details?.map((d) => d.path)).toContain(path);
    expect(res.body.error.details?.every((d) => d.message.length > 0)).toBe(true);
  });

  it('accepts 2026-W53 (2026 has 53 ISO weeks)', async () => {
    const res = await weekly(user, { week: '2026-W53' });
    expect(res.status).toBe(200);
    expect(res.body.range).toEqual({
      start: '2026-12-28T00:00:00.000Z',
      end: '2027-01-04T00:00:00.000Z',
    });
  });

  it('rejects a repeated parameter', async () => {
    const res = await callFunction('weeklyAnalysis', {
      token: user.token,
      rawQuery: 'week=2026-W47&week=2026-W46',
    });
    expectError(res, 400, 'invalid_argument');
  });

  it('requires a token and allows only GET', async () => {
    expectError(await callFunction('weeklyAnalysis'), 401, 'unauthenticated');
    const post = await callFunction('weeklyAnalysis', { token: user.token, body: {} });
    expectError(post, 405, 'method_not_allowed');
  });
});

describe('weeklyAnalysis caching', () => {
  it('serves the second read from the cache, per week, zone and language', async () => {
    const user = await seededUser(week47(uniqueTag()));
    const first = await weekly(user, { week: '2026-W47' });
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await weekly(user, { week: '2026-W47' });
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect((await weekly(user, { week: '2026-W47', lang: 'sv' })).headers.get('x-cache')).toBe(
      'MISS',
    );
    expect(
      (await weekly(user, { week: '2026-W47', tz: 'Asia/Tokyo' })).headers.get('x-cache'),
    ).toBe('MISS');
    // Defaults are resolved before keying: an explicit `lang=en&tz=UTC` is the same entry.
    const explicit = await weekly(user, { week: '2026-W47', tz: 'UTC', lang: 'en' });
    expect(explicit.headers.get('x-cache')).toBe('HIT');
  });

  it('reflects a new mood in that week on the next read', async () => {
    const tag = uniqueTag();
    const user = await seededUser([
      { score: 4, recordedAt: '2026-11-03T10:00:00.000Z', tags: [tag] },
    ]);
    const before = await weekly(user, { week: '2026-W45' });
    expect(before.body.stats.count).toBe(1);
    expect((await weekly(user, { week: '2026-W45' })).headers.get('x-cache')).toBe('HIT');

    const logged = await callFunction('moodLog', {
      token: user.token,
      body: { score: 8, tags: [tag], recordedAt: '2026-11-05T10:00:00.000Z' },
    });
    expect(logged.status).toBe(201);
    const after = await weekly(user, { week: '2026-W45' });
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.stats).toMatchObject({ count: 2, average: 6, min: 4, max: 8 });
  });
});

describe('weeklyAnalysis insights', () => {
  it('uses the model: summary and suggestions come from it, marked ai', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    const answer = {
      summary: `Fake summary for ${tag}.`,
      suggestions: ['Take a short walk after lunch.', 'Note one good thing each evening.'],
    };
    await addFakeRule({
      match: tag,
      endpoint: 'chat',
      behavior: { content: JSON.stringify(answer) },
    });
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.status).toBe(200);
    expect(res.body.insights).toEqual({ ...answer, source: 'ai' });
    expect(await tokensUsedToday(user.uid)).toBeGreaterThan(0);
  });

  it('sends aggregates and tags in a strict structured-output request, never the notes', async () => {
    const tag = uniqueTag();
    const secret = `secret-note-${uniqueTag()}`;
    const moods = week47(tag).map((mood) => ({ ...mood, note: `${secret} ${mood.score}` }));
    const user = await seededUser(moods);
    const res = await weekly(user, { week: '2026-W47', lang: 'sv' });
    expect(res.status).toBe(200);
    expect(res.body.insights.source).toBe('ai');

    const requests = await fakeRequests(tag);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.body?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { strict: true },
    });
    expect(request!.rawBody).not.toContain(secret);
    expect(request!.rawBody).not.toContain(user.uid);
    expect(request!.rawBody).toContain('6.4');
    expect((await fakeRequests(secret)).length).toBe(0);
  });

  it('answers within the deadline with fallback insights when the model hangs', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { hang: true } });
    const started = performance.now();
    const res = await weekly(user, { week: '2026-W47' });
    const latencyMs = Math.round(performance.now() - started);
    console.log(`weeklyAnalysis with a hung model answered in ${latencyMs} ms`);
    recordFigures('faults', {
      fault: 'model hung (weeklyAnalysis)',
      answeredMs: { weeklyAnalysis: latencyMs },
      requestsLost: 0,
    });
    expect(res.status).toBe(200);
    expect(res.body.insights.source).toBe('fallback');
    expect(res.body.insights.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(res.body.stats.count).toBe(5);
    expect(latencyMs).toBeLessThan(HUNG_MODEL_BUDGET_MS);
    expect((await fakeRequests(tag)).length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['429', 429],
    ['500', 500],
    ['503', 503],
  ])('retries a %s, then falls back', async (_label, status) => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { status } });
    const started = performance.now();
    const res = await weekly(user, { week: '2026-W47' });
    const latencyMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.insights.source).toBe('fallback');
    expect((await fakeRequests(tag)).length).toBe(3);
    expect(latencyMs).toBeLessThan(HUNG_MODEL_BUDGET_MS);
  });

  it('succeeds when a retry after a 429 gets an answer', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await addFakeRule({
      match: tag,
      endpoint: 'chat',
      times: 1,
      behavior: { status: 429, retryAfter: 0.1 },
    });
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.body.insights.source).toBe('ai');
    expect((await fakeRequests(tag)).length).toBe(2);
  });

  it.each([
    ['cut-off JSON', { malformed: 'invalid-json' as const }],
    ['a body that is not JSON', { malformed: 'body' as const }],
    ['valid JSON of the wrong shape', { malformed: 'wrong-shape' as const }],
    [
      'an answer cut off at the token limit',
      { content: '{"summary": "A', finishReason: 'length' as const },
    ],
  ])('falls back on %s', async (_label, behavior) => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await addFakeRule({ match: tag, endpoint: 'chat', behavior });
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.status).toBe(200);
    expect(res.body.insights.source).toBe('fallback');
  });

  it('asks again after one answer of the wrong shape, and falls back after two', async () => {
    const once = uniqueTag();
    const first = await seededUser(week47(once));
    await addFakeRule({
      match: once,
      endpoint: 'chat',
      times: 1,
      behavior: { malformed: 'wrong-shape' },
    });
    const recovered = await weekly(first, { week: '2026-W47' });
    expect(recovered.body.insights.source).toBe('ai');
    expect((await fakeRequests(once)).length).toBe(2);

    const twice = uniqueTag();
    const second = await seededUser(week47(twice));
    await addFakeRule({
      match: twice,
      endpoint: 'chat',
      times: 2,
      behavior: { malformed: 'wrong-shape' },
    });
    const failed = await weekly(second, { week: '2026-W47' });
    expect(failed.body.insights.source).toBe('fallback');
    expect((await fakeRequests(twice)).length).toBe(2);
  });

  it('falls back on an answer with more than five suggestions', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    const content = JSON.stringify({
      summary: 'Six is too many.',
      suggestions: ['a', 'b', 'c', 'd', 'e', 'f'],
    });
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { content } });
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.body.insights.source).toBe('fallback');
  });

  it('falls back without calling the model once the daily token budget is spent', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await setTokensUsedToday(user.uid, 10_000_000);
    const res = await weekly(user, { week: '2026-W47' });
    expect(res.status).toBe(200);
    expect(res.body.insights.source).toBe('fallback');
    expect(await fakeRequests(tag)).toEqual([]);
  });

  it('falls back in Swedish when lang=sv and the model fails', async () => {
    const tag = uniqueTag();
    const user = await seededUser(week47(tag));
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { status: 400 } });
    const sv = await weekly(user, { week: '2026-W47', lang: 'sv' });
    const en = await weekly(user, { week: '2026-W47', lang: 'en' });
    expect(sv.body.language).toBe('sv');
    expect(sv.body.insights.source).toBe('fallback');
    expect(en.body.insights.source).toBe('fallback');
    expect(sv.body.insights.summary).not.toBe(en.body.insights.summary);
    expect(`${sv.body.insights.summary} ${sv.body.insights.suggestions.join(' ')}`).toMatch(
      /[åäö]|vecka|humör/i,
    );
  });
});

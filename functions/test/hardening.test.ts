/** Hostile and odd input found by hand: each is a clear 4xx (or now accepted), never a 500. */
import { callFunction, expectError, functionsUrl } from './support/api';
import { newUser, type TestUser } from './support/auth';

let user: TestUser;
beforeAll(async () => {
  user = await newUser();
});

const logRaw = (json: string) =>
  callFunction('moodLog', { token: user.token, body: json, headers: {} });
const list = (query: Record<string, string> = {}) =>
  callFunction('moodGet', { token: user.token, query });

describe('user text', () => {
  it.each([
    ['a lone high surrogate in a note', '{"score":5,"note":"\\ud800"}', 'note'],
    ['a lone low surrogate in a tag', '{"score":5,"tags":["a\\udc00"]}', 'tags.0'],
    ['a NUL in a note', '{"score":5,"note":"hi\\u0000there"}', 'note'],
    ['an escape character in a note', '{"score":5,"note":"\\u001b[31mred"}', 'note'],
    ['a C1 control in a note', '{"score":5,"note":"x\\u0085y"}', 'note'],
    ['a line separator in a note', '{"score":5,"note":"x\\u2028y"}', 'note'],
    ['a newline in a tag', '{"score":5,"tags":["a\\nb"]}', 'tags.0'],
    ['a tab in a tag', '{"score":5,"tags":["a\\tb"]}', 'tags.0'],
  ])('rejects %s with 400 and stores nothing', async (_what, json, path) => {
    const before = (await list()).body.moods.length;
    const res = await logRaw(json);
    expectError(res, 400, 'invalid_argument');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect((await list()).body.moods).toHaveLength(before);
  });

  it('keeps newlines and tabs in a note, with \\r\\n as \\n, and a surrogate pair intact', async () => {
    const res = await logRaw('{"score":5,"note":"line 1\\r\\n\\tline 2 \\ud83d\\ude00"}');
    expect(res.status).toBe(201);
    expect(res.body.mood.note).toBe('line 1\n\tline 2 😀');
  });
});

describe('recordedAt bounds', () => {
  it.each([['0001-01-01T00:00:00Z'], ['1970-01-01T00:00:00Z'], ['1999-12-31T23:59:59Z']])(
    'rejects %s with 400',
    async (recordedAt) => {
      const res = await callFunction('moodLog', {
        token: user.token,
        body: { score: 5, recordedAt },
      });
      expectError(res, 400, 'invalid_argument');
      expect(res.body.error.details[0].path).toBe('recordedAt');
    },
  );

  it('accepts 2000-01-01T00:00:00Z', async () => {
    const res = await callFunction('moodLog', {
      token: user.token,
      body: { score: 5, recordedAt: '2000-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(201);
  });
});

describe('query strings without a prototype', () => {
  it.each([['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty']])(
    'rejects ?%s=1 as an unknown parameter',
    async (name) => {
      expectError(await list({ [name]: '1' }), 400, 'invalid_argument');
    },
  );

  it('rejects __proto__ in a JSON body as an unknown field', async () => {
    expectError(await logRaw('{"score":5,"__proto__":{"admin":true}}'), 400, 'invalid_argument');
  });
});

describe('Authorization header forms', () => {
  it.each([
    ['lower-case scheme', (t: string) => `bearer ${t}`],
    ['upper-case scheme', (t: string) => `BEARER ${t}`],
    ['two spaces', (t: string) => `Bearer  ${t}`],
  ])('accepts the %s', async (_what, header) => {
    const res = await callFunction('moodGet', { headers: { Authorization: header(user.token) } });
    expect(res.status).toBe(200);
  });

  it.each([
    ['another scheme', (t: string) => `Basic ${t}`],
    ['no space', (t: string) => `Bearer${t}`],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
  ])('rejects %s with 401', async (_what, header) => {
    const res = await callFunction('moodGet', { headers: { Authorization: header(user.token) } });
    expectError(res, 401, 'unauthenticated');
  });
});

describe('HEAD', () => {
  it('answers HEAD on health like GET, without a body', async () => {
    const res = await fetch(`${functionsUrl()}/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers HEAD on an authenticated read, and lists HEAD in Allow', async () => {
    const res = await fetch(`${functionsUrl()}/moodGet`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${user.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const post = await callFunction('moodGet', { method: 'PUT', token: user.token, body: {} });
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('is not allowed where there is no GET', async () => {
    const res = await fetch(`${functionsUrl()}/moodLog`, { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('security headers', () => {
  it.each([
    ['a 200', () => callFunction('health')],
    ['a 401', () => callFunction('moodGet')],
    ['a 400', () => callFunction('moodGet', { token: user.token, query: { limit: 'x' } })],
    ['a preflight', () => callFunction('moodGet', { method: 'OPTIONS' })],
  ])('are on %s', async (_what, call) => {
    const res = await call();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });
});

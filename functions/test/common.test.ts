/**
 * The contract's rules that hold for every function, exercised over real HTTP against the
 * Functions and Auth emulators, with moodLog/moodGet standing in for "any function".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { callFunction, expectError } from './support/api';
import {
  newUser,
  signedToken,
  signingKey,
  unsignedToken,
  validClaims,
  projectId,
} from './support/auth';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

describe('health', () => {
  it('answers 200 without a token, with every check and no secret', async () => {
    const res = await callFunction('health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      checks: {
        firestore: { status: 'ok', latencyMs: expect.any(Number) },
        redis: { status: 'ok', latencyMs: expect.any(Number) },
        openai: { status: 'configured' },
      },
    });
    expect(res.text).not.toContain('test-openai-key');
    expect(res.text).not.toContain('stilla-local-redis-token');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('never rate-limits a 1 request/s probe (generous per-IP limit)', async () => {
    const results: Awaited<ReturnType<typeof callFunction>>[] = [];
    for (let i = 0; i < 30; i++) results.push(await callFunction('health'));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(Number(results[0]!.headers.get('ratelimit-limit'))).toBeGreaterThanOrEqual(60);
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await callFunction('health', { method: 'POST', body: {} });
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('request ids', () => {
  it('keeps a well-formed client id, in the header and in the error body', async () => {
    const id = `client-${randomUUID()}`;
    const res = await callFunction('moodGet', { headers: { 'X-Request-Id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(res.body.error.requestId).toBe(id);
  });

  it.each([['x'.repeat(65)], ['has space'], ['semi;colon'], ['']])(
    'replaces the malformed id %j',
    async (id) => {
      const res = await callFunction('health', { headers: { 'X-Request-Id': id } });
      const echoed = res.headers.get('x-request-id');
      expect(echoed).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      expect(echoed).not.toBe(id);
    },
  );
});

describe('authentication', () => {
  const expect401 = async (authorization: string | undefined) => {
    const res = await callFunction(
      'moodGet',
      authorization ? { headers: { Authorization: authorization } } : {},
    );
    expectError(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  };

  it('rejects a missing token', () => expect401(undefined));
  it('rejects a non-Bearer scheme', () => expect401('Basic dXNlcjpwYXNz'));
  it('rejects garbage', () => expect401('Bearer not-a-jwt'));

  it('accepts an Auth emulator token (alg none, only inside the emulator)', async () => {
    const user = await newUser();
    const res = await callFunction('moodGet', { token: user.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('accepts a valid RS256 token from the key set', async () => {
    const res = await callFunction('moodGet', { token: await signedToken() });
    expect(res.status).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['expired', { exp: now() - 60, iat: now() - 3700 }],
    ['issued in the future', { iat: now() + 600 }],
    ['wrong issuer', { iss: 'https://securetoken.google.com/someone-else' }],
    ['wrong audience', { aud: 'someone-else' }],
    ['missing sub', { sub: undefined }],
    ['empty sub', { sub: '' }],
    ['over-long sub', { sub: 'u'.repeat(129) }],
    ['sub with a slash', { sub: 'a/b' }],
    ['auth_time in the future', { auth_time: now() + 600 }],
  ])('rejects a signed token: %s', async (_label, overrides) => {
    await expect401(`Bearer ${await signedToken(validClaims(overrides))}`);
  });

  it('rejects a token signed with an unknown key id', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const token = await signedToken(validClaims(), {
      kid: `unknown-${randomUUID()}`,
      key: await exportJWK(privateKey),
    });
    await expect401(`Bearer ${token}`);
  });

  it('rejects a token signed with a known kid but another key', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    await expect401(
      `Bearer ${await signedToken(validClaims(), { key: await exportJWK(privateKey) })}`,
    );
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const publicJwk = signingKey().publicJwk;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'HS256', kid: signingKey().kid })
      .sign(secret);
    await expect401(`Bearer ${token}`);
  });

  it('checks the claims of unsigned emulator tokens too', async () => {
    const base = validClaims();
    await expect401(`Bearer ${unsignedToken({ ...base, aud: 'other-project' })}`);
    await expect401(
      `Bearer ${unsignedToken({ ...base, iss: 'https://securetoken.google.com/other' })}`,
    );
    await expect401(
      `Bearer ${unsignedToken({ ...base, exp: Math.floor(Date.now() / 1000) - 10 })}`,
    );
    await expect401(`Bearer ${unsignedToken({ ...base, sub: undefined })}`);
    expect(projectId()).toBe('demo-stilla-test');
  });

  it('takes the user id from the token only, never from the body or query', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const logged = await callFunction('moodLog', { token: alice.token, body: { score: 5 } });
    expect(logged.status).toBe(201);
    const spoof = await callFunction('moodGet', { token: bob.token, query: { uid: alice.uid } });
    expectError(spoof, 400, 'invalid_argument');
    const bobs = await callFunction('moodGet', { token: bob.token });
    expect(bobs.body.moods).toEqual([]);
  });
});

describe('bodies', () => {
  it('answers malformed JSON with the contract body, not the runtime HTML page', async () => {
    const user = await newUser();
    const res = await callFunction('moodLog', { token: user.token, body: '{"score": 5,' });
    expectError(res, 400, 'invalid_argument');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers a non-JSON body with 415', async () => {
    const user = await newUser();
    const res = await callFunction('moodLog', {
      token: user.token,
      body: 'score=5',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectError(res, 415, 'unsupported_media_type');
  });

  it('answers a body over 64 KiB with 413 and stores nothing', async () => {
    const user = await newUser();
    const res = await callFunction('moodLog', {
      token: user.token,
      body: { score: 5, note: 'x'.repeat(70 * 1024) },
    });
    expectError(res, 413, 'payload_too_large');
    const list = await callFunction('moodGet', { token: user.token });
    expect(list.body.moods).toEqual([]);
  });

  it('answers a JSON array or scalar body with 400', async () => {
    const user = await newUser();
    for (const body of ['[1,2]', '"text"', '42']) {
      const res = await callFunction('moodLog', { token: user.token, body });
      expectError(res, 400, 'invalid_argument');
    }
  });

  it('lists every failed field in details', async () => {
    const user = await newUser();
    const res = await callFunction('moodLog', {
      token: user.token,
      body: { score: '7', tags: ['ok', 'x'.repeat(33)], extra: true },
    });
    expectError(res, 400, 'invalid_argument');
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['score', 'tags.1']));
    expect(JSON.stringify(res.body.error.details)).toMatch(/extra/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    callFunction('moodLog', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });

  it.each(['http://localhost:3000', 'http://127.0.0.1:8081', 'https://app.stilla.test'])(
    'answers a preflight from %s with 204 and no token',
    async (origin) => {
      const res = await preflight(origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = res.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
      for (const header of ['authorization', 'content-type', 'idempotency-key', 'x-request-id']) {
        expect(allowed).toContain(header);
      }
      expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(res.headers.get('vary')).toMatch(/Origin/);
    },
  );

  it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await callFunction('health', { headers: { Origin: 'https://evil.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows the origin on actual responses, errors included', async () => {
    const res = await callFunction('moodGet', { headers: { Origin: 'https://app.stilla.test' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.stilla.test');
  });
});

describe('rate limits', () => {
  it('sends RateLimit-* on authenticated responses and 429 with Retry-After past the limit', async () => {
    const user = await newUser();
    const first = await callFunction('moodGet', { token: user.token });
    const limit = Number(first.headers.get('ratelimit-limit'));
    expect(limit).toBe(500);
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(limit - 1);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(0);
    // Use up the window, a few at a time (cached reads: fast, and few emulator workers).
    let remaining = limit - 1;
    while (remaining > 0) {
      const batch = Math.min(4, remaining);
      const results = await Promise.all(
        Array.from({ length: batch }, () => callFunction('moodGet', { token: user.token })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      remaining -= batch;
    }
    const limited = await callFunction('moodGet', { token: user.token });
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    // Per user and per function: another function and another user are unaffected.
    expect((await callFunction('moodLog', { token: user.token, body: { score: 3 } })).status).toBe(
      201,
    );
    expect((await callFunction('moodGet', { token: (await newUser()).token })).status).toBe(200);
  });
});

describe('failed authentication', () => {
  it('is limited per client IP: 429 with Retry-After past the limit, other IPs unaffected', async () => {
    // The right-most X-Forwarded-For entry is the client IP (Google's front end appends it);
    // a unique one gives this test its own bucket.
    const ip = '198.51.100.7, 203.0.113.77';
    const bad = () =>
      callFunction('moodGet', { headers: { Authorization: 'Bearer nope', 'X-Forwarded-For': ip } });
    const first = await bad();
    expectError(first, 401, 'unauthenticated');
    let limited: Awaited<ReturnType<typeof bad>> | undefined;
    for (let i = 0; i < 400 && !limited; i += 4) {
      const batch = await Promise.all([bad(), bad(), bad(), bad()]);
      limited = batch.find((r) => r.status === 429);
    }
    expect(limited).toBeDefined();
    expectError(limited!, 429, 'rate_limited');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    // A valid token from elsewhere still works.
    const user = await newUser();
    expect((await callFunction('moodGet', { token: user.token })).status).toBe(200);
  });
});

describe('logs', () => {
  it('never contain tokens or note text', async () => {
    const user = await newUser();
    const secretNote = `private-note-${randomUUID()}`;
    const res = await callFunction('moodLog', {
      token: user.token,
      body: { score: 4, note: secretNote },
    });
    expect(res.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const log = readFileSync(process.env.STILLA_EMULATOR_LOG as string, 'utf8');
    expect(log).toContain(res.headers.get('x-request-id'));
    expect(log).not.toContain(secretNote);
    expect(log).not.toContain(user.token.split('.')[1]);
  });
});

/**
 * Attacks on authentication beyond the contract's rejections (issue 14; the rejections
 * themselves are in common.test.ts): oversized tokens, header injection, duplicated
 * Authorization headers sent on a raw socket, another project's tokens, an erased user's token.
 * Every failed sign-in comes from its own client IP, so the per-IP failure window of the other
 * suites stays untouched.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { callFunction, expectError, functionsUrl } from './support/api';
import { newUser, signedToken, unsignedToken, validClaims } from './support/auth';
import { freshIp } from './support/fuzz';
import { recordFigures } from './support/figures';

let attacks = 0;
afterAll(() => recordFigures('auth', { cases: attacks }));

async function expect401(headers: Record<string, string>): Promise<void> {
  attacks += 1;
  const res = await callFunction('moodGet', {
    headers: { 'X-Forwarded-For': freshIp(), ...headers },
  });
  expectError(res, 401, 'unauthenticated');
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="stilla"');
}

/** A GET with headers exactly as given (repeats included), on a raw node:http request. */
function rawGet(
  name: string,
  headers: [string, string][],
): Promise<{ status: number; body: string }> {
  const url = new URL(`${functionsUrl()}/${name}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: headers.flat() }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes sent as they are on a socket (for what node:http refuses to send); the status line back. */
function rawBytes(text: string): Promise<string> {
  const url = new URL(functionsUrl());
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('token size', () => {
  it('rejects a well-formed but oversized token (8 KiB of claims) with 401', async () => {
    const token = await signedToken(validClaims({ padding: 'x'.repeat(8 * 1024) }));
    await expect401({ Authorization: `Bearer ${token}` });
  });

  it('rejects a garbage token of 6 KiB with 401', async () => {
    await expect401({ Authorization: `Bearer ${'a'.repeat(6 * 1024)}` });
  });

  it('answers a header block over the runtime limit (16 KiB) with a 4xx, never a 5xx', async () => {
    attacks += 1;
    const path = new URL(functionsUrl()).pathname;
    const status = await rawBytes(
      `GET ${path}/moodGet HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${'a'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 4\d\d/);
  });
});

describe('header injection', () => {
  it('refuses a CR LF inside the Authorization header (request smuggling) with a 4xx', async () => {
    attacks += 1;
    const user = await newUser();
    const path = new URL(functionsUrl()).pathname;
    const status = await rawBytes(
      `GET ${path}/moodGet HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${user.token}\rX-Injected: 1\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 4\d\d/);
  });

  it.each([
    ['a token with a space inside', (t: string) => `Bearer ${t.slice(0, 20)} ${t.slice(20)}`],
    ['a token followed by a comma and another', (t: string) => `Bearer ${t}, Bearer ${t}`],
    ['a token in quotes', (t: string) => `Bearer "${t}"`],
    ['the token in a second scheme', (t: string) => `Basic x, Bearer ${t}`],
  ])('rejects %s with 401', async (_what, header) => {
    const user = await newUser();
    await expect401({ Authorization: header(user.token) });
  });
});

describe('duplicated Authorization headers (raw request)', () => {
  it.each([
    ['garbage, then a valid token', (t: string) => ['Bearer x', `Bearer ${t}`]],
    ['a valid token, then garbage', (t: string) => [`Bearer ${t}`, 'Bearer x']],
    [
      'two valid tokens of different users',
      (t: string, u: string) => [`Bearer ${t}`, `Bearer ${u}`],
    ],
  ])('refuses %s with a 4xx', async (_what, headers) => {
    attacks += 1;
    const alice = await newUser();
    const bob = await newUser();
    const res = await rawGet('moodGet', [
      ['X-Forwarded-For', freshIp()],
      ...headers(alice.token, bob.token).map((h): [string, string] => ['Authorization', h]),
    ]);
    // Refused before our code by the emulator's front (400) or by ours (401): never served.
    expect({ status: res.status, body: res.body.slice(0, 300) }).toEqual({
      status: expect.any(Number),
      body: expect.not.stringContaining('"moods"'),
    });
    expect([400, 401]).toContain(res.status);
    console.log(`duplicated Authorization: ${res.status} ${res.body.slice(0, 200)}`);
  });
});

describe('tokens of another project', () => {
  it.each([
    [
      'signed, for another project',
      () =>
        signedToken(
          validClaims({ aud: 'demo-other', iss: 'https://securetoken.google.com/demo-other' }),
        ),
    ],
    [
      'unsigned, for another project',
      async () =>
        unsignedToken(
          validClaims({ aud: 'demo-other', iss: 'https://securetoken.google.com/demo-other' }),
        ),
    ],
    [
      'unsigned, right audience, another issuer',
      async () => unsignedToken(validClaims({ iss: 'https://accounts.google.com' })),
    ],
    ['alg none with a signature part', async () => `${unsignedToken(validClaims())}c2lnbmF0dXJl`],
    [
      'alg NONE (case)',
      async () => {
        const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${encode({ alg: 'NONE', typ: 'JWT' })}.${encode(validClaims())}.`;
      },
    ],
  ])('rejects a token %s with 401', async (_what, token) => {
    await expect401({ Authorization: `Bearer ${await token()}` });
  });
});

describe('a token whose user was erased', () => {
  it('stays valid until it expires, and the account it opens is empty', async () => {
    attacks += 1;
    const user = await newUser();
    expect(
      (await callFunction('moodLog', { token: user.token, body: { score: 5, note: 'x' } })).status,
    ).toBe(201);
    expect((await callFunction('account', { method: 'DELETE', token: user.token })).status).toBe(
      204,
    );
    const moods = await callFunction('moodGet', { token: user.token });
    expect(moods.status).toBe(200);
    expect(moods.body.moods).toEqual([]);
    const sessions = await callFunction('aiHistory', { token: user.token });
    expect(sessions.body.sessions).toEqual([]);
    const exported = await callFunction('account', { token: user.token });
    expect({ moods: exported.body.moods, chat: exported.body.chatSessions }).toEqual({
      moods: [],
      chat: [],
    });
  });
});

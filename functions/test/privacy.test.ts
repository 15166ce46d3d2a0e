/**
 * Health data and credentials stay out of logs and error reports. This file sends them where a
 * careless backend would log them (bodies that fail validation, a crisis message, a model
 * failure, an unexpected error) and reads the error report the real Sentry SDK sent for a `500`
 * from the fake ingest endpoint of the stack. The whole suite's log and every report are
 * searched for everything the tests sent after the suite (dev/privacy-check.ts).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { callFunction, expectError, requireEnv } from './support/api';
import { rememberSensitive } from './support/privacy';
import { chat, streamChat } from './chat-support';
import { addFakeRule, adminDb, removeFakeRules, uniqueTag } from './weekly-support';

interface EmailUser {
  uid: string;
  token: string;
  email: string;
}

/** A password user of the Auth emulator: its ID token carries the e-mail address. */
async function newEmailUser(): Promise<EmailUser> {
  const email = `privacy-${randomUUID()}@example.test`;
  const res = await fetch(
    `http://${requireEnv('FIREBASE_AUTH_EMULATOR_HOST')}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: `pw-${randomUUID()}`, returnSecureToken: true }),
    },
  );
  const body = (await res.json()) as { idToken: string; localId: string };
  rememberSensitive(email, body.idToken);
  return { uid: body.localId, token: body.idToken, email };
}

/** Envelopes the functions sent to the fake Sentry endpoint. */
async function sentryEnvelopes(): Promise<string[]> {
  const origin = new URL(requireEnv('STILLA_SENTRY_DSN').replace('public@', '')).origin;
  const res = await fetch(`${origin}/__events`);
  return ((await res.json()) as { body: string }[]).map((envelope) => envelope.body);
}

afterAll(() => removeFakeRules());

describe('health data and credentials stay out of logs and error reports', () => {
  it('sends private text down every path that might log it', async () => {
    const user = await newEmailUser();
    const secret = () => `private-${randomUUID()} my sister does not know`;
    const accepted = await callFunction('moodLog', {
      token: user.token,
      body: { score: 4, note: secret(), tags: ['family'] },
    });
    expect(accepted.status).toBe(201);
    expectError(
      await callFunction('moodLog', { token: user.token, body: { score: 99, note: secret() } }),
      400,
      'invalid_argument',
    );
    expectError(
      await callFunction('moodLog', {
        token: user.token,
        body: `{"score": 5, "note": "${secret()}", "extra": true}`,
      }),
      400,
      'invalid_argument',
    );
    expect((await chat(user, { message: `${secret()} and I want to die tonight` })).status).toBe(
      200,
    );
    const tag = uniqueTag();
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { status: 500 } });
    const failedModel = await streamChat(user, { message: `${secret()} ${tag}` });
    expect(failedModel.events.at(-1)?.data.source).toBe('fallback');
    expect((await callFunction('account', { token: user.token })).status).toBe(200);
  });

  it('reports an unexpected error to Sentry without the note, the token or the e-mail', async () => {
    const user = await newEmailUser();
    const note = `corrupted-${randomUUID()} nobody may read this`;
    rememberSensitive(note);
    // A stored entry the code cannot read (a broken migration, a manual edit): a real 500.
    await adminDb()
      .doc(`users/${user.uid}/moods/${randomUUID()}`)
      .set({ score: 5, note, tags: [], recordedAt: 'not a timestamp', createdAt: 'nor this' });
    const res = await callFunction('moodGet', { token: user.token, query: { limit: 5 } });
    expectError(res, 500, 'internal');
    expect(res.text).not.toContain(note);
    const requestId = res.headers.get('x-request-id') as string;
    let report: string | undefined;
    for (let i = 0; i < 40 && !report; i++) {
      report = (await sentryEnvelopes()).find((body) => body.includes(requestId));
      if (!report) await sleep(250);
    }
    expect(report).toBeDefined();
    expect(report).toContain('moodGet');
    for (const secret of [note, user.token, user.email]) expect(report).not.toContain(secret);
  });
});

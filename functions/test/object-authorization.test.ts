/**
 * Object-level authorization (OWASP API1), issue 14: for every function and method that takes
 * an id or a cursor, Bob using Alice's is `404` (an id) or `400` (a cursor, bound to its user),
 * and Alice's data is exactly as it was afterwards (her export before and after).
 */
import { callFunction, expectError, type CallResult } from './support/api';
import { newUser, type TestUser } from './support/auth';
import { recordFigures } from './support/figures';

let alice: TestUser;
let bob: TestUser;
let aliceSession: string;
let aliceMessagesCursor: string;
let aliceMoodsCursor: string;
let cases = 0;

/** Alice's export without its own timestamp: what must not change. */
async function aliceData(): Promise<unknown> {
  const res = await callFunction('account', { token: alice.token });
  expect(res.status).toBe(200);
  return { ...res.body, exportedAt: undefined };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([newUser(), newUser()]);
  for (const score of [3, 4, 5]) {
    expect(
      (
        await callFunction('moodLog', {
          token: alice.token,
          body: { score, note: `alice ${score}` },
        })
      ).status,
    ).toBe(201);
  }
  aliceMoodsCursor = (await callFunction('moodGet', { token: alice.token, query: { limit: 1 } }))
    .body.nextCursor;
  const first = await callFunction('aiChat', {
    token: alice.token,
    body: { message: 'Hello from Alice' },
  });
  expect(first.status).toBe(200);
  aliceSession = first.body.sessionId;
  expect(
    (
      await callFunction('aiChat', {
        token: alice.token,
        body: { message: 'Again', sessionId: aliceSession },
      })
    ).status,
  ).toBe(200);
  aliceMessagesCursor = (
    await callFunction('aiHistory', {
      token: alice.token,
      query: { sessionId: aliceSession, limit: 1 },
    })
  ).body.nextCursor;
  expect(aliceMoodsCursor).toEqual(expect.any(String));
  expect(aliceMessagesCursor).toEqual(expect.any(String));
});

afterAll(() => recordFigures('object-authorization', { cases }));

const attempts: [string, () => Promise<CallResult>, number, string][] = [
  [
    'aiChat POST to her session',
    () =>
      callFunction('aiChat', {
        token: bob.token,
        body: { message: 'hi', sessionId: aliceSession },
      }),
    404,
    'not_found',
  ],
  [
    'aiChat POST to her session, streamed',
    () =>
      callFunction('aiChat', {
        token: bob.token,
        body: { message: 'hi', sessionId: aliceSession },
        headers: { Accept: 'text/event-stream' },
      }),
    404,
    'not_found',
  ],
  [
    'aiHistory GET of her session',
    () => callFunction('aiHistory', { token: bob.token, query: { sessionId: aliceSession } }),
    404,
    'not_found',
  ],
  [
    'aiHistory DELETE of her session',
    () =>
      callFunction('aiHistory', {
        method: 'DELETE',
        token: bob.token,
        query: { sessionId: aliceSession },
      }),
    404,
    'not_found',
  ],
  [
    'aiHistory GET with her message cursor',
    () =>
      callFunction('aiHistory', {
        token: bob.token,
        query: { sessionId: aliceSession, cursor: aliceMessagesCursor },
      }),
    400,
    'invalid_argument',
  ],
  [
    'moodGet with her cursor',
    () => callFunction('moodGet', { token: bob.token, query: { cursor: aliceMoodsCursor } }),
    400,
    'invalid_argument',
  ],
];

describe("another user's ids and cursors", () => {
  it.each(attempts)(
    "Bob's %s is refused and changes nothing of Alice's",
    async (_what, attempt, status, code) => {
      cases += 1;
      const before = await aliceData();
      expectError(await attempt(), status, code);
      expect(await aliceData()).toEqual(before);
    },
  );

  it("Bob's own reads show nothing of Alice's", async () => {
    cases += 1;
    const [moods, sessions, exported] = await Promise.all([
      callFunction('moodGet', { token: bob.token }),
      callFunction('aiHistory', { token: bob.token }),
      callFunction('account', { token: bob.token }),
    ]);
    expect(moods.body.moods).toEqual([]);
    expect(sessions.body.sessions).toEqual([]);
    expect({ moods: exported.body.moods, chat: exported.body.chatSessions }).toEqual({
      moods: [],
      chat: [],
    });
  });

  it("Bob's erase does not touch Alice", async () => {
    cases += 1;
    const before = await aliceData();
    expect((await callFunction('account', { method: 'DELETE', token: bob.token })).status).toBe(
      204,
    );
    expect(await aliceData()).toEqual(before);
  });
});

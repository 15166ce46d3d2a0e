/**
 * aiChat and aiHistory over real HTTP against the local stack, with the fake OpenAI server as
 * the model: sessions nobody else can open, messages nobody loses, streaming (read with a real
 * SSE client library), safety, the token budget, idempotency, paging and caching.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { newUser, type TestUser } from './support/auth';
import { callFunction, expectError } from './support/api';
import { recordFigures } from './support/figures';
import {
  addFakeRule,
  adminDb,
  closeAdminDb,
  fakeRequests,
  removeFakeRules,
  setTokensUsedToday,
  tokensUsedToday,
  uniqueTag,
} from './weekly-support';
import {
  allMessages,
  chat,
  deleteSession,
  history,
  streamChat,
  streamedText,
  type Exchange,
  type Message,
} from './chat-support';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

afterEach(removeFakeRules);
afterAll(closeAdminDb);

/** Chat-model requests the fake received for a tag (moderation requests left out). */
async function modelCalls(tag: string) {
  return (await fakeRequests(tag)).filter((r) => r.path.includes('chat/completions'));
}

/** A model reply of many words, streamed slowly enough to be interrupted. */
function longReply(tag: string, words = 12): string {
  return Array.from({ length: words }, (_, i) => `word${i}`).join(' ') + ` ${tag}.`;
}

/** Polls the session until `done` holds for its messages (the reply of a gone client lands later). */
async function waitForMessages(
  user: TestUser,
  sessionId: string,
  done: (messages: Message[]) => boolean,
): Promise<Message[][]> {
  const seen: Message[][] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    // A new session exists once its exchange (or the part kept on a disconnect) is stored.
    const stored = (await history(user, { sessionId, limit: 1 })).status === 200;
    const messages = stored ? await allMessages(user, sessionId) : [];
    seen.push(messages);
    if (done(messages)) return seen;
    await sleep(100);
  }
  throw new Error(`session ${sessionId} never reached the expected state`);
}

describe('aiChat: a first exchange', () => {
  it('answers in a new session, and stores both messages and a consistent session', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({ match: tag, behavior: { content: `Hello ${tag}, I hear you.` } });
    const res = await chat(user, { message: `  Rough   day at work ${tag}\n ` });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const { sessionId, userMessage, reply } = res.body;
    expect(res.body).toMatchObject({ source: 'ai', safety: { level: 'none', resources: [] } });
    expect(userMessage).toEqual({
      id: expect.any(String),
      role: 'user',
      content: `Rough   day at work ${tag}`,
      createdAt: expect.stringMatching(ISO_MS),
    });
    expect(reply).toEqual({
      id: expect.any(String),
      role: 'assistant',
      content: `Hello ${tag}, I hear you.`,
      createdAt: expect.stringMatching(ISO_MS),
      replyTo: userMessage.id,
    });
    expect(await allMessages(user, sessionId)).toEqual([userMessage, reply]);

    const sessions = await history(user);
    expect(sessions.status).toBe(200);
    expect(sessions.body).toEqual({
      sessions: [
        {
          id: sessionId,
          title: `Rough day at work ${tag}`,
          createdAt: userMessage.createdAt,
          updatedAt: reply.createdAt,
          messageCount: 2,
          lastMessagePreview: `Hello ${tag}, I hear you.`,
        },
      ],
      nextCursor: null,
    });

    // The model was asked with the system prompt and the message, streamed, with usage.
    const [call] = await modelCalls(tag);
    expect(call?.body?.messages?.[0]?.role).toBe('system');
    expect(call?.body?.messages?.at(-1)).toEqual({
      role: 'user',
      content: `Rough   day at work ${tag}`,
    });
    expect(JSON.parse(call!.rawBody)).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('answers in Swedish when asked to, by lang or by Accept-Language', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({ match: tag, behavior: { status: 500 } });
    const byBody = await chat(user, { message: `Hej ${tag}`, lang: 'sv' });
    expect(byBody.body).toMatchObject({ source: 'fallback' });
    expect(byBody.body.reply.content).toMatch(/Förlåt/);
    const byHeader = await chat(
      user,
      { message: `Hej igen ${tag}` },
      { 'Accept-Language': 'sv-SE' },
    );
    expect(byHeader.body.reply.content).toMatch(/Förlåt/);
    const english = await chat(user, { message: `Hi ${tag}` });
    expect(english.body.reply.content).toMatch(/sorry/i);
  });
});

describe('aiChat: messages nobody loses', () => {
  it('keeps five messages sent one after another as ten, in order, with the context sent to the model', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    let sessionId: string | undefined;
    const exchanges: Exchange[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await chat(user, {
        message: `message ${i} ${tag}`,
        ...(sessionId ? { sessionId } : {}),
      });
      expect(res.status).toBe(200);
      sessionId = res.body.sessionId;
      exchanges.push(res.body);
    }
    const messages = await allMessages(user, sessionId!);
    expect(messages).toEqual(exchanges.flatMap((e) => [e.userMessage, e.reply]));
    expect(messages.map((m) => m.role)).toEqual(Array(5).fill(['user', 'assistant']).flat());
    const times = messages.map((m) => Date.parse(m.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const calls = await modelCalls(`message 5 ${tag}`);
    const sent = calls[0]?.body?.messages?.map((m) => m.content) ?? [];
    expect(sent).toEqual(expect.arrayContaining([`message 1 ${tag}`, `message 4 ${tag}`]));
    const list = await history(user);
    expect(list.body.sessions[0]).toMatchObject({
      id: sessionId,
      messageCount: 10,
      title: `message 1 ${tag}`,
    });
  });

  it('loses nothing when twenty messages are sent to one session in parallel', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    const first = await chat(user, { message: `start ${tag}` });
    const sessionId = first.body.sessionId;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        chat(user, { message: `parallel ${i} ${tag}`, sessionId }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const messages = await allMessages(user, sessionId);
    expect(messages).toHaveLength(42);
    expect(new Set(messages.map((m) => m.id)).size).toBe(42);
    const users = messages.filter((m) => m.role === 'user');
    const replies = messages.filter((m) => m.role === 'assistant');
    expect(users.map((m) => m.content).sort()).toEqual(
      [`start ${tag}`, ...Array.from({ length: 20 }, (_, i) => `parallel ${i} ${tag}`)].sort(),
    );
    // Every user message has exactly one reply, stored after it.
    for (const message of users) {
      const answers = replies.filter((r) => r.replyTo === message.id);
      expect(answers).toHaveLength(1);
      expect(messages.indexOf(answers[0]!)).toBeGreaterThan(messages.indexOf(message));
    }
    for (const result of results) {
      expect(messages).toContainEqual(result.body.userMessage);
      expect(messages).toContainEqual(result.body.reply);
    }
    const list = await history(user);
    expect(list.body.sessions[0]).toMatchObject({
      id: sessionId,
      messageCount: 42,
      updatedAt: messages.at(-1)!.createdAt,
    });
  }, 180_000); // 20 concurrent requests start 20 emulator workers: slow on a loaded machine
});

describe('aiChat and aiHistory: nobody else opens a session', () => {
  it('answers 404 to another user for chat, history and delete, and changes nothing', async () => {
    const owner = await newUser();
    const other = await newUser();
    const tag = uniqueTag();
    const created = await chat(owner, { message: `private ${tag}` });
    const sessionId = created.body.sessionId;
    expectError(await chat(other, { message: 'let me in', sessionId }), 404, 'not_found');
    const streamed = await streamChat(other, { message: 'let me in', sessionId });
    expect(streamed.status).toBe(404);
    expect(streamed.body.error.code).toBe('not_found');
    expectError(await history(other, { sessionId }), 404, 'not_found');
    expectError(await history(other, { sessionId, limit: 1 }), 404, 'not_found');
    expectError(await deleteSession(other, sessionId), 404, 'not_found');
    expect((await history(other)).body).toEqual({ sessions: [], nextCursor: null });
    expect(await allMessages(owner, sessionId)).toEqual([
      created.body.userMessage,
      created.body.reply,
    ]);
    // An unknown id is the same 404.
    expectError(await chat(owner, { message: 'hi', sessionId: 'doesNotExist' }), 404, 'not_found');
    expectError(await deleteSession(owner, 'doesNotExist'), 404, 'not_found');
  });
});

describe('aiChat: validation', () => {
  it('rejects bad bodies, methods and tokens with the contract error, storing nothing', async () => {
    const user = await newUser();
    expectError(await chat(user, { message: '   ' }), 400, 'invalid_argument');
    expectError(await chat(user, { message: 'x'.repeat(4001) }), 400, 'invalid_argument');
    expect((await chat(user, { message: ` ${'x'.repeat(4000)} ` })).status).toBe(200);
    expectError(await chat(user, { message: 'hi', lang: 'de' } as never), 400, 'invalid_argument');
    expectError(await chat(user, { message: 'hi', sessionId: 'a/b' }), 400, 'invalid_argument');
    expectError(await chat(user, { message: 'bad \ud800 text' }), 400, 'invalid_argument');
    expectError(await chat(user, { message: 'bell \u0007' }), 400, 'invalid_argument');
    expectError(await chat(user, { message: 'hi', extra: 1 } as never), 400, 'invalid_argument');
    expectError(await chat(user, '{"message":'), 400, 'invalid_argument');
    expectError(
      await chat(user, { message: 'hi' }, { 'Idempotency-Key': 'bad key' }),
      400,
      'invalid_argument',
    );
    const get = await callFunction('aiChat', { token: user.token });
    expectError(get, 405, 'method_not_allowed');
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expectError(await callFunction('aiChat', { body: { message: 'hi' } }), 401, 'unauthenticated');
    expectError(await callFunction('aiHistory', {}), 401, 'unauthenticated');
    expectError(
      await callFunction('aiHistory', { method: 'DELETE', query: { sessionId: 'x' } }),
      401,
      'unauthenticated',
    );
    const put = await callFunction('aiHistory', { token: user.token, method: 'PUT', body: {} });
    expectError(put, 405, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('GET, DELETE, HEAD, OPTIONS');
    expectError(
      await callFunction('aiHistory', { token: user.token, method: 'DELETE' }),
      400,
      'invalid_argument',
    );
    expectError(await history(user, { limit: 0 }), 400, 'invalid_argument');
    expectError(await history(user, { limit: 101 }), 400, 'invalid_argument');
    expectError(await history(user, { other: 1 }), 400, 'invalid_argument');
    // Only the one valid 4000-character message was stored.
    expect((await history(user)).body.sessions).toHaveLength(1);
  });
});

describe('aiChat: streaming', () => {
  it('streams session, deltas as they come, and done; the deltas are the stored reply', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    const content = longReply(tag, 6);
    await addFakeRule({ match: tag, behavior: { content, deltaDelayMs: 400 } });
    const stream = await streamChat(user, { message: `Hi ${tag}` });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('private, no-store');
    const names = stream.events.map((e) => e.event);
    expect(names[0]).toBe('session');
    expect(names.at(-1)).toBe('done');
    expect(names.slice(1, -1).every((n) => n === 'delta')).toBe(true);
    expect(names.length).toBeGreaterThan(4);
    const [session, firstDelta] = stream.events;
    const done = stream.events.at(-1)!;
    expect(session!.data.userMessage.content).toBe(`Hi ${tag}`);
    expect(streamedText(stream)).toBe(content);
    expect(done.data).toEqual({
      reply: expect.objectContaining({
        content,
        role: 'assistant',
        replyTo: session!.data.userMessage.id,
      }),
      source: 'ai',
      safety: { level: 'none', resources: [] },
    });
    // Each delta was flushed as it came: the first one arrived while the model (400 ms a
    // delta) was still writing the others, not all at once at the end.
    expect(done.at - firstDelta!.at).toBeGreaterThan(1_000);
    expect(await allMessages(user, session!.data.sessionId)).toEqual([
      session!.data.userMessage,
      done.data.reply,
    ]);
  });

  it('ends with the fallback when the model breaks off mid-stream, and stores that once', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    // The fake streams three deltas of its default answer (an echo), then drops the connection.
    await addFakeRule({ match: tag, behavior: { streamBreak: true, afterDeltas: 3 } });
    const stream = await streamChat(user, { message: `Hi ${tag}` });
    const done = stream.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data.source).toBe('fallback');
    expect(streamedText(stream)).toBe(done.data.reply.content);
    const deltas = stream.events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(done.data.reply.content.indexOf('…')).toBeGreaterThan(0);
    expect(done.data.reply.content).toMatch(/lost my train of thought/);
    const messages = await allMessages(user, stream.events[0]!.data.sessionId);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual(done.data.reply);
  });

  it('keeps a hung model from hanging the answer, streamed (with heartbeats) or not', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({ match: tag, endpoint: 'chat', behavior: { hang: true } });
    const started = performance.now();
    const [stream, json] = await Promise.all([
      streamChat(user, { message: `stream ${tag}`, lang: 'sv' }),
      chat(user, { message: `json ${tag}` }).then((res) => {
        recordFigures('faults', {
          fault: 'model hung (aiChat)',
          answeredMs: { 'aiChat JSON': performance.now() - started },
          requestsLost: 0,
        });
        return res;
      }),
    ]);
    expect(stream.comments).toBeGreaterThan(0);
    const done = stream.events.at(-1)!;
    expect(done.data).toMatchObject({ source: 'fallback' });
    expect(done.data.reply.content).toMatch(/Förlåt/);
    expect(streamedText(stream)).toBe(done.data.reply.content);
    expect(json.status).toBe(200);
    expect(json.body.source).toBe('fallback');
  });

  it('answers a failing or nonsensical model with the fallback, never a 500', async () => {
    const user = await newUser();
    const answeredMs: Record<string, number> = {};
    for (const behavior of [
      { status: 500 },
      { status: 429 },
      { malformed: 'body' as const },
      { status: 400 },
    ]) {
      const tag = uniqueTag();
      await addFakeRule({ match: tag, endpoint: 'chat', behavior });
      const started = performance.now();
      const res = await chat(user, { message: `Hi ${tag}` });
      answeredMs[`aiChat, model ${JSON.stringify(behavior).replace(/[{}"]/g, '')}`] =
        performance.now() - started;
      expect({ behavior, status: res.status, source: res.body.source }).toEqual({
        behavior,
        status: 200,
        source: 'fallback',
      });
    }
    recordFigures('faults', { fault: 'model failing (aiChat)', answeredMs, requestsLost: 0 });
  });

  it('keeps the reply of a client that disconnects: stored interrupted at once, then whole', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    const content = longReply(tag, 14);
    await addFakeRule({ match: tag, behavior: { content, deltaDelayMs: 300 } });
    const stream = await streamChat(
      user,
      { message: `Hi ${tag}` },
      {
        disconnectAfter: (event) => event.event === 'delta',
      },
    );
    expect(stream.disconnected).toBe(true);
    const sessionId = stream.events[0]!.data.sessionId as string;
    const seen = await waitForMessages(
      user,
      sessionId,
      (messages) => messages[1] !== undefined && messages[1].interrupted === undefined,
    );
    const interrupted = seen.find((messages) => messages[1]?.interrupted)?.[1];
    expect(interrupted).toBeDefined();
    expect(content.startsWith(interrupted!.content)).toBe(true);
    expect(interrupted!.content.length).toBeLessThan(content.length);
    const final = seen.at(-1)!;
    expect(final).toHaveLength(2);
    expect(final[1]).toMatchObject({ id: interrupted!.id, content, replyTo: final[0]!.id });
    expect((await history(user)).body.sessions[0]).toMatchObject({
      messageCount: 2,
      lastMessagePreview: content,
    });
    expect((await modelCalls(tag)).length).toBe(1);
  });
});

describe('aiChat: safety', () => {
  it.each([
    ['en', 'I want to kill myself tonight', /988|Samaritans/],
    ['sv', 'Jag vill inte leva längre, jag vill ta livet av mig', /90101/],
  ] as const)(
    'answers a crisis in %s without the chat model, with resources',
    async (lang, text, resource) => {
      const user = await newUser();
      const tag = uniqueTag();
      const res = await chat(user, { message: `${text} ${tag}`, lang });
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('safety');
      expect(res.body.safety.level).toBe('crisis');
      expect(JSON.stringify(res.body.safety.resources)).toMatch(resource);
      expect(res.body.reply.content).toMatch(resource);
      if (lang === 'sv') {
        const phones = res.body.safety.resources.map((r) => r.phone);
        expect(phones).toEqual(expect.arrayContaining(['112', '90101', '1177']));
      }
      expect(await fakeRequests(tag)).toEqual([]);
      expect(await allMessages(user, res.body.sessionId)).toEqual([
        res.body.userMessage,
        res.body.reply,
      ]);
      // Streamed, the same: session, the supportive text, done.
      const stream = await streamChat(user, {
        message: `${text} ${tag}`,
        lang,
        sessionId: res.body.sessionId,
      });
      expect(stream.events.map((e) => e.event)).toEqual(['session', 'delta', 'done']);
      expect(stream.events[2]!.data).toMatchObject({
        source: 'safety',
        safety: { level: 'crisis' },
      });
      expect(await fakeRequests(tag)).toEqual([]);
    },
  );

  it('takes the moderation model as a second opinion: intent is a crisis, self-harm elevated', async () => {
    const user = await newUser();
    const crisisTag = uniqueTag();
    await addFakeRule({
      match: crisisTag,
      behavior: { flagged: true, categories: ['self-harm/intent'] },
    });
    const crisis = await chat(user, { message: `an ordinary sentence ${crisisTag}` });
    expect(crisis.body).toMatchObject({ source: 'safety', safety: { level: 'crisis' } });
    expect(await modelCalls(crisisTag)).toEqual([]);

    const elevatedTag = uniqueTag();
    await addFakeRule({
      match: elevatedTag,
      behavior: { flagged: true, categories: ['self-harm'] },
    });
    const elevated = await chat(user, { message: `another sentence ${elevatedTag}` });
    expect(elevated.body.source).toBe('ai');
    expect(elevated.body.safety.level).toBe('elevated');
    expect(elevated.body.safety.resources.length).toBeGreaterThan(0);
    const [call] = await modelCalls(elevatedTag);
    expect(String(call?.body?.messages?.[0]?.content)).toMatch(/strong distress/);
  });
});

describe('aiChat: the daily token budget', () => {
  it('counts the tokens a streamed reply reports', async () => {
    const user = await newUser();
    const before = await tokensUsedToday(user.uid);
    await chat(user, { message: `count me ${uniqueTag()}` });
    expect(await tokensUsedToday(user.uid)).toBeGreaterThan(before);
  });

  it('answers 429 quota_exceeded until 00:00 UTC past the budget, storing nothing; a crisis is still answered', async () => {
    const user = await newUser();
    await setTokensUsedToday(user.uid, 100_000);
    const tag = uniqueTag();
    const res = await chat(user, { message: `hello ${tag}` });
    expectError(res, 429, 'quota_exceeded');
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(retryAfter - (midnight - now.getTime()) / 1000)).toBeLessThan(120);
    const streamed = await streamChat(user, { message: `hello ${tag}` });
    expect(streamed.status).toBe(429);
    expect(streamed.body.error.code).toBe('quota_exceeded');
    expect(await modelCalls(tag)).toEqual([]);
    expect((await history(user)).body.sessions).toEqual([]);
    const crisis = await chat(user, { message: 'I want to end my life' });
    expect(crisis.status).toBe(200);
    expect(crisis.body.source).toBe('safety');
  });
});

describe('aiChat: Idempotency-Key', () => {
  it('replays a retried send: same exchange, no second message, no second model call', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    const key = `k-${randomUUID()}`;
    const first = await chat(user, { message: `once ${tag}` }, { 'Idempotency-Key': key });
    const again = await chat(user, { message: `once ${tag}` }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    // Streamed, the replay is the stored exchange as events.
    const streamed = await streamChat(
      user,
      { message: `once ${tag}` },
      { headers: { 'Idempotency-Key': key } },
    );
    expect(streamed.headers.get('idempotent-replayed')).toBe('true');
    expect(streamed.events.map((e) => e.event)).toEqual(['session', 'delta', 'done']);
    expect(streamed.events[2]!.data.reply).toEqual(first.body.reply);
    expect(await modelCalls(tag)).toHaveLength(1);
    expect(await allMessages(user, first.body.sessionId)).toHaveLength(2);
    expectError(
      await chat(user, { message: `other ${tag}` }, { 'Idempotency-Key': key }),
      409,
      'conflict',
    );
  });

  it('does the work once for concurrent retries', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({ match: tag, behavior: { content: longReply(tag, 4), deltaDelayMs: 200 } });
    const start = await chat(user, { message: `start ${uniqueTag()}` });
    const key = `k-${randomUUID()}`;
    const body = { message: `together ${tag}`, sessionId: start.body.sessionId };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => chat(user, body, { 'Idempotency-Key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    for (const result of results) expect(result.body).toEqual(results[0]!.body);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await modelCalls(tag)).toHaveLength(1);
    expect(await allMessages(user, start.body.sessionId)).toHaveLength(4);
  });
});

describe('aiHistory', () => {
  it('pages messages backwards from the newest, each page in order, and rejects bad cursors', async () => {
    const user = await newUser();
    let sessionId: string | undefined;
    for (let i = 1; i <= 5; i++) {
      const res = await chat(user, { message: `m${i}`, ...(sessionId ? { sessionId } : {}) });
      sessionId = res.body.sessionId;
    }
    const pages: Message[][] = [];
    let cursor: string | undefined;
    do {
      const res = await history(user, { sessionId, limit: 3, cursor });
      expect(res.status).toBe(200);
      expect(res.body.sessionId).toBe(sessionId);
      pages.push(res.body.messages);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages[0]!.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(pages[3]![0]!.content).toBe('m1');
    const all = pages.reverse().flat();
    expect(all.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
    expect((await history(user, { sessionId })).body.messages).toEqual(all);

    const firstPage = await history(user, { sessionId, limit: 3 });
    const good = firstPage.body.nextCursor as string;
    const other = await chat(user, { message: 'another session' });
    expectError(
      await history(user, { sessionId: other.body.sessionId, cursor: good }),
      400,
      'invalid_argument',
    );
    expectError(await history(user, { cursor: good }), 400, 'invalid_argument');
    const tampered = `${good.slice(0, -2)}${good.endsWith('A') ? 'B' : 'A'}A`;
    expectError(await history(user, { sessionId, cursor: tampered }), 400, 'invalid_argument');
    const stranger = await newUser();
    // Another user's cursor is not theirs to use (and the session is not theirs either).
    expectError(await history(stranger, { sessionId, cursor: good }), 400, 'invalid_argument');
    expectError(await history(stranger, { sessionId }), 404, 'not_found');
  });

  it('lists sessions most recently updated first, paged', async () => {
    const user = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await chat(user, { message: `session ${i}` })).body.sessionId);
    // Writing to the oldest moves it to the top.
    await chat(user, { message: 'back again', sessionId: ids[0] });
    const first = await history(user, { limit: 2 });
    expect(first.body.sessions.map((s: { id: string }) => s.id)).toEqual([ids[0], ids[2]]);
    const second = await history(user, { limit: 2, cursor: first.body.nextCursor });
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.sessions.map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    expect(first.body.sessions[0]).toMatchObject({ title: 'session 0', messageCount: 4 });
    expectError(await history(user, { cursor: 'nonsense' }), 400, 'invalid_argument');
  });

  it('deletes a session and every message in it', async () => {
    const user = await newUser();
    const kept = await chat(user, { message: 'keep me' });
    const gone = await chat(user, { message: 'delete me' });
    await chat(user, { message: 'and me', sessionId: gone.body.sessionId });
    const res = await deleteSession(user, gone.body.sessionId);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await history(user, { sessionId: gone.body.sessionId }), 404, 'not_found');
    expectError(await deleteSession(user, gone.body.sessionId), 404, 'not_found');
    expectError(
      await chat(user, { message: 'still there?', sessionId: gone.body.sessionId }),
      404,
      'not_found',
    );
    const stored = await adminDb()
      .collection(`users/${user.uid}/chatSessions/${gone.body.sessionId}/messages`)
      .get();
    expect(stored.size).toBe(0);
    expect((await history(user)).body.sessions.map((s: { id: string }) => s.id)).toEqual([
      kept.body.sessionId,
    ]);
    expect(await allMessages(user, kept.body.sessionId)).toHaveLength(2);
  });

  it('serves reads from the cache, and every send or delete makes the next read fresh', async () => {
    const user = await newUser();
    const first = await chat(user, { message: 'one' });
    const sessionId = first.body.sessionId;
    expect((await history(user, { sessionId })).headers.get('x-cache')).toBe('MISS');
    const hit = await history(user, { sessionId });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.body.messages).toHaveLength(2);
    expect((await history(user)).headers.get('x-cache')).toBe('MISS');
    expect((await history(user)).headers.get('x-cache')).toBe('HIT');

    await chat(user, { message: 'two', sessionId });
    const afterSend = await history(user, { sessionId });
    expect(afterSend.headers.get('x-cache')).toBe('MISS');
    expect(afterSend.body.messages).toHaveLength(4);
    expect((await history(user)).body.sessions[0].messageCount).toBe(4);

    const streamed = await streamChat(user, { message: 'three', sessionId });
    expect(streamed.events.at(-1)!.event).toBe('done');
    expect((await history(user, { sessionId })).body.messages).toHaveLength(6);

    expect((await deleteSession(user, sessionId)).status).toBe(204);
    const afterDelete = await history(user);
    expect(afterDelete.headers.get('x-cache')).toBe('MISS');
    expect(afterDelete.body.sessions).toEqual([]);
  });
});

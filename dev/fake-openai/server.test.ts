import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { RuleError, splitDeltas, startFakeOpenAI } from './server.ts';
import type { FakeOpenAI, RecordedRequest } from './server.ts';
import { validateAgainstSchema } from './schema.ts';

/** A unique marker for one test's prompts, so its rules never touch another test's requests. */
function token(): string {
  return `tok-${randomUUID()}`;
}

function sdk(fake: FakeOpenAI, options: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: fake.url,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 10_000,
  });
}

function ask(text: string): { model: string; messages: { role: 'user'; content: string }[] } {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] };
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function contentOf(chunks: ChatCompletionChunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
}

/** Resolves with the error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

/** A non-trivial structured-output schema: nesting, bounds, enums, nullables, a $ref. */
const reflectionSchema = {
  type: 'object',
  $defs: {
    step: {
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 3, maxLength: 30 },
        minutes: { type: 'integer', minimum: 1, maximum: 15 },
      },
      required: ['title', 'minutes'],
      additionalProperties: false,
    },
  },
  properties: {
    mood_score: { type: 'integer', minimum: 1, maximum: 10 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    themes: {
      type: 'array',
      items: { type: 'string', enum: ['sleep', 'work', 'family', 'health'] },
      minItems: 1,
      maxItems: 3,
    },
    reflection: { type: 'string', minLength: 30, maxLength: 200 },
    crisis: { type: 'boolean' },
    note: { type: ['string', 'null'], maxLength: 10 },
    next_steps: { type: 'array', items: { $ref: '#/$defs/step' }, minItems: 2, maxItems: 4 },
    follow_up: {
      anyOf: [
        {
          type: 'object',
          properties: { when: { type: 'string', enum: ['tomorrow', 'next_week'] } },
          required: ['when'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
  },
  required: [
    'mood_score',
    'confidence',
    'themes',
    'reflection',
    'crisis',
    'note',
    'next_steps',
    'follow_up',
  ],
  additionalProperties: false,
};

describe('fake OpenAI with the real SDK', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  before(async () => {
    fake = await startFakeOpenAI();
    client = sdk(fake);
  });
  after(async () => {
    await fake.stop();
  });

  test('url is the /v1 base URL', () => {
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(fake.url, `${fake.controlUrl}/v1`);
  });

  test('non-streamed completion with usage', async () => {
    const t = token();
    const { data, response } = await client.chat.completions
      .create(ask(`Hello ${t}`))
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.equal(data.choices.length, 1);
    const choice = data.choices[0];
    assert.equal(choice?.finish_reason, 'stop');
    assert.equal(choice?.message.role, 'assistant');
    assert.match(choice?.message.content ?? '', /fake reply/);
    // The reply echoes a little of the prompt, which makes test failures easier to read.
    assert.match(choice?.message.content ?? '', new RegExp(`Hello ${t.slice(0, 20)}`));
    assert.ok(data.usage);
    assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0);
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
    assert.match(response.headers.get('x-request-id') ?? '', /^req_fake_/);
  });

  test('streamed completion: several deltas, finish_reason, usage chunk, [DONE]', async () => {
    const t = token();
    const stream = await client.chat.completions.create({
      ...ask(`Stream please ${t}`),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    assert.ok(contentChunks.length >= 3, `only ${contentChunks.length} content deltas`);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    assert.equal(finish?.choices[0]?.finish_reason, 'stop');
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.ok(
      last?.usage &&
        last.usage.completion_tokens > 0 &&
        last.usage.total_tokens === last.usage.prompt_tokens + last.usage.completion_tokens,
    );
    assert.match(contentOf(chunks), /fake reply/);

    const plain = await collect(await client.chat.completions.create({ ...ask(t), stream: true }));
    assert.ok(
      plain.every((c) => c.usage === undefined),
      'no usage without stream_options.include_usage',
    );
  });

  test('the SDK stream helper assembles the final completion', async () => {
    const t = token();
    fake.addRule({ match: t, behavior: { content: 'Take a slow breath. You are doing fine.' } });
    const runner = client.chat.completions.stream(ask(`helper ${t}`));
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0]?.message.content, 'Take a slow breath. You are doing fine.');
    assert.equal(final.choices[0]?.finish_reason, 'stop');
  });

  test('content rule: exact content, split into several stream deltas', async () => {
    const t = token();
    const content = 'Exactly this text, nothing else.';
    fake.addRule({ match: t, behavior: { content } });
    const completion = await client.chat.completions.create(ask(t));
    assert.equal(completion.choices[0]?.message.content, content);
    const chunks = await collect(await client.chat.completions.create({ ...ask(t), stream: true }));
    const deltas = chunks.map((c) => c.choices[0]?.delta.content).filter((d) => d);
    assert.ok(deltas.length >= 3);
    assert.equal(deltas.join(''), content);
  });

  test('splitDeltas keeps the text exact and yields several pieces', () => {
    for (const text of [
      'ok',
      'one two three',
      '{"a":"a long json value without spaces"}',
      '  lead and trail  ',
      'ünïcødé 😀 text',
    ]) {
      const pieces = splitDeltas(text);
      assert.equal(pieces.join(''), text);
      assert.ok(pieces.length >= 2, text);
    }
    assert.deepEqual(splitDeltas(''), []);
  });

  test('json_schema: the default reply validates against the schema', async () => {
    const t = token();
    const completion = await client.chat.completions.create({
      ...ask(`Reflect ${t}`),
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'reflection', strict: true, schema: reflectionSchema },
      },
    });
    const document: unknown = JSON.parse(completion.choices[0]?.message.content ?? '');
    assert.deepEqual(validateAgainstSchema(reflectionSchema, document), []);
    // And by hand, independently of the validator:
    const doc = document as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), [...reflectionSchema.required].sort());
    assert.ok(
      Number.isInteger(doc['mood_score']) &&
        Number(doc['mood_score']) >= 1 &&
        Number(doc['mood_score']) <= 10,
    );
    const steps = doc['next_steps'] as { title: string; minutes: number }[];
    assert.ok(steps.length >= 2 && steps.length <= 4);
    for (const step of steps) {
      assert.deepEqual(Object.keys(step).sort(), ['minutes', 'title']);
      assert.ok(
        step.title.length >= 3 &&
          step.title.length <= 30 &&
          step.minutes >= 1 &&
          step.minutes <= 15,
      );
    }
    const reflection = doc['reflection'] as string;
    assert.ok(reflection.length >= 30 && reflection.length <= 200);
    assert.ok(
      (doc['themes'] as string[]).every((theme) =>
        ['sleep', 'work', 'family', 'health'].includes(theme),
      ),
    );

    // The SDK's parse() helper accepts it too, and streaming yields the same document.
    const parsed = await client.chat.completions.parse({
      ...ask(`Reflect ${t}`),
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'reflection', strict: true, schema: reflectionSchema },
      },
    });
    assert.deepEqual(parsed.choices[0]?.message.parsed, document);
    const streamed = await collect(
      await client.chat.completions.create({
        ...ask(`Reflect ${t}`),
        stream: true,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'reflection', schema: reflectionSchema },
        },
      }),
    );
    assert.deepEqual(JSON.parse(contentOf(streamed)), document);
  });

  test('json_schema via zodResponseFormat: parse() returns a zod-valid object', async (t) => {
    // zod is a dependency of functions/ and an optional peer of openai; the root copy is transitive.
    let zodModule: typeof import('zod');
    let helpers: typeof import('openai/helpers/zod');
    try {
      zodModule = await import('zod');
      helpers = await import('openai/helpers/zod');
    } catch {
      t.skip('zod is not installed in the root node_modules');
      return;
    }
    const { z } = zodModule;
    const CheckIn = z.object({
      mood: z.number().int().min(1).max(10),
      label: z.enum(['low', 'okay', 'good']),
      summary: z.string().min(10).max(80),
      triggers: z.array(z.string().max(20)).min(1).max(3),
      contact: z.string().email().nullable(),
      id: z.string().uuid(),
      at: z.string().datetime(),
    });
    const completion = await client.chat.completions.parse({
      ...ask(token()),
      response_format: helpers.zodResponseFormat(CheckIn, 'check_in'),
    });
    const parsed = completion.choices[0]?.message.parsed;
    assert.ok(parsed);
    assert.deepEqual(CheckIn.parse(parsed), parsed);
  });

  test('json_object returns parseable JSON; a plain request returns text', async () => {
    const completion = await client.chat.completions.create({
      ...ask(token()),
      response_format: { type: 'json_object' },
    });
    assert.equal(typeof JSON.parse(completion.choices[0]?.message.content ?? 'x'), 'object');
  });

  test('429 raises RateLimitError carrying retry-after and the OpenAI error body', async () => {
    const t = token();
    fake.addRule({ match: t, behavior: { status: 429, retryAfter: 7 } });
    const error = await rejection(client.chat.completions.create(ask(t)));
    assert.ok(error instanceof RateLimitError, String(error));
    assert.equal(error.status, 429);
    assert.equal(error.headers.get('retry-after'), '7');
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.type, 'requests');
    assert.match(error.message, /^429 Rate limit reached/);
  });

  test('429 with a short retry-after is retried by the SDK after that delay', async () => {
    const t = token();
    fake.addRule({ match: t, times: 1, behavior: { status: 429, retryAfter: 0.2 } });
    const started = Date.now();
    const completion = await sdk(fake, { maxRetries: 1 }).chat.completions.create(ask(t));
    assert.match(completion.choices[0]?.message.content ?? '', /fake reply/);
    assert.ok(Date.now() - started >= 190, 'the SDK honoured retry-after');
    const attempts = fake.requests(t);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[1]?.ruleId, null);
  });

  test('500 with times: 1 is retried by the SDK and then succeeds', async () => {
    const t = token();
    const id = fake.addRule({ match: t, times: 1, behavior: { status: 500 } });
    const completion = await sdk(fake, { maxRetries: 2 }).chat.completions.create(ask(t));
    assert.match(completion.choices[0]?.message.content ?? '', /fake reply/);
    assert.deepEqual(
      fake.requests(t).map((r) => r.ruleId),
      [id, null],
    );
    assert.equal(fake.removeRule(id), false, 'a used-up rule is gone');
  });

  test('500 and 503 raise InternalServerError; 400 raises BadRequestError and is not retried', async () => {
    const t = token();
    fake.addRule({ match: `${t}-500`, behavior: { status: 500 } });
    fake.addRule({ match: `${t}-503`, behavior: { status: 503, message: 'overloaded' } });
    fake.addRule({
      match: `${t}-400`,
      behavior: { status: 400, message: 'bad prompt', code: 'invalid_value' },
    });
    const e500 = await rejection(client.chat.completions.create(ask(`${t}-500`)));
    assert.ok(
      e500 instanceof InternalServerError && e500.status === 500 && e500.type === 'server_error',
    );
    const e503 = await rejection(client.chat.completions.create(ask(`${t}-503`)));
    assert.ok(
      e503 instanceof InternalServerError &&
        e503.status === 503 &&
        e503.message === '503 overloaded',
    );
    const e400 = await rejection(
      sdk(fake, { maxRetries: 2 }).chat.completions.create(ask(`${t}-400`)),
    );
    assert.ok(e400 instanceof BadRequestError && e400.code === 'invalid_value');
    assert.equal(fake.requests(`${t}-400`).length, 1);
  });

  test('hang: the SDK timeout raises APIConnectionTimeoutError quickly', async () => {
    const t = token();
    fake.addRule({ match: t, behavior: { hang: true } });
    const started = Date.now();
    const error = await rejection(sdk(fake, { timeout: 300 }).chat.completions.create(ask(t)));
    const elapsed = Date.now() - started;
    assert.ok(error instanceof APIConnectionTimeoutError, String(error));
    assert.ok(elapsed >= 280 && elapsed < 2000, `took ${elapsed} ms`);
    // Streaming requests hang the same way (no status line is ever sent).
    const streamError = await rejection(
      sdk(fake, { timeout: 300 }).chat.completions.create({ ...ask(t), stream: true }),
    );
    assert.ok(streamError instanceof APIConnectionTimeoutError, String(streamError));
  });

  test('latencyMs delays the answer, and combines with other behaviours', async () => {
    const t = token();
    fake.addRule({ match: `${t}-slow`, behavior: { latencyMs: 250 } });
    fake.addRule({ match: `${t}-slow-error`, behavior: { status: 503, latencyMs: 200 } });
    let started = Date.now();
    await client.chat.completions.create(ask(`${t}-slow`));
    assert.ok(Date.now() - started >= 240);
    started = Date.now();
    const error = await rejection(client.chat.completions.create(ask(`${t}-slow-error`)));
    assert.ok(error instanceof InternalServerError && Date.now() - started >= 190);
    const timeout = await rejection(
      sdk(fake, { timeout: 100 }).chat.completions.create(ask(`${t}-slow`)),
    );
    assert.ok(timeout instanceof APIConnectionTimeoutError);
  });

  test('deltaDelayMs spaces out stream events', async () => {
    const t = token();
    fake.addRule({ match: t, behavior: { content: 'one two three four', deltaDelayMs: 40 } });
    const started = Date.now();
    const chunks = await collect(await client.chat.completions.create({ ...ask(t), stream: true }));
    assert.equal(contentOf(chunks), 'one two three four');
    assert.ok(Date.now() - started >= 200, 'role + 4 deltas + finish, 40 ms apart');
  });

  test('malformed: content that is not JSON, JSON of the wrong shape, a body that is not JSON', async () => {
    const t = token();
    const responseFormat = {
      type: 'json_schema' as const,
      json_schema: { name: 'reflection', schema: reflectionSchema },
    };
    fake.addRule({ match: `${t}-default`, behavior: { malformed: true } });
    fake.addRule({ match: `${t}-shape`, behavior: { malformed: 'wrong-shape' } });
    fake.addRule({ match: `${t}-body`, behavior: { malformed: 'body' } });

    const cut = await client.chat.completions.create({
      ...ask(`${t}-default`),
      response_format: responseFormat,
    });
    assert.throws(() => JSON.parse(cut.choices[0]?.message.content ?? ''), SyntaxError);
    const parseError = await rejection(
      client.chat.completions.parse({ ...ask(`${t}-default`), response_format: responseFormat }),
    );
    assert.ok(parseError instanceof SyntaxError, String(parseError));

    const shape = await client.chat.completions.create({
      ...ask(`${t}-shape`),
      response_format: responseFormat,
    });
    const wrong: unknown = JSON.parse(shape.choices[0]?.message.content ?? '');
    assert.notDeepEqual(validateAgainstSchema(reflectionSchema, wrong), []);

    const bodyError = await rejection(client.chat.completions.create(ask(`${t}-body`)));
    assert.ok(bodyError instanceof SyntaxError, String(bodyError));
    const streamBodyError = await rejection(
      collect(await client.chat.completions.create({ ...ask(`${t}-body`), stream: true })),
    );
    assert.ok(streamBodyError instanceof SyntaxError, String(streamBodyError));
  });

  test('finishReason length makes parse() raise LengthFinishReasonError', async () => {
    const t = token();
    fake.addRule({
      match: t,
      behavior: { content: '{"mood_score": 4, "confi', finishReason: 'length' },
    });
    const error = await rejection(
      client.chat.completions.parse({
        ...ask(t),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'r', schema: reflectionSchema },
        },
      }),
    );
    assert.equal((error as Error).constructor.name, 'LengthFinishReasonError');
  });

  test('streamBreak: deltas arrive, then the iterator throws (stream) / the call fails (non-stream)', async () => {
    const t = token();
    fake.addRule({ match: t, behavior: { streamBreak: true, afterDeltas: 3 } });
    const stream = await client.chat.completions.create({
      ...ask(`${t} this reply will be cut short`),
      stream: true,
    });
    const received: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    assert.ok(error instanceof Error, String(error));
    assert.equal(received.filter((d) => d).length, 3, 'the deltas before the break were delivered');
    const nonStream = await rejection(client.chat.completions.create(ask(t)));
    assert.ok(nonStream instanceof Error);
  });

  test('moderation: not flagged by default; flagged categories by rule', async () => {
    const t = token();
    const clean = await client.moderations.create({
      model: 'omni-moderation-latest',
      input: `I had a nice walk ${t}`,
    });
    assert.equal(clean.results.length, 1);
    const result = clean.results[0];
    assert.equal(result?.flagged, false);
    assert.equal(result?.categories['self-harm'], false);
    assert.equal(result?.categories['self-harm/intent'], false);
    assert.equal(result?.categories['self-harm/instructions'], false);
    assert.equal(typeof result?.category_scores['self-harm/intent'], 'number');

    fake.addRule({
      match: `${t}-risk`,
      behavior: { flagged: true, categories: ['self-harm', 'self-harm/intent'] },
    });
    const risky = await client.moderations.create({
      input: [`I want to disappear ${t}-risk`, 'second input'],
    });
    assert.equal(risky.results.length, 2, 'one result per input string');
    const flagged = risky.results[0];
    assert.equal(flagged?.flagged, true);
    assert.equal(flagged?.categories['self-harm'], true);
    assert.equal(flagged?.categories['self-harm/intent'], true);
    assert.equal(flagged?.categories['self-harm/instructions'], false);
    assert.ok((flagged?.category_scores['self-harm/intent'] ?? 0) > 0.5);
    assert.ok((flagged?.category_scores['self-harm/instructions'] ?? 1) < 0.1);

    // A flagged rule does not affect chat requests that contain the same text.
    const chat = await client.chat.completions.create(ask(`${t}-risk`));
    assert.match(chat.choices[0]?.message.content ?? '', /fake reply/);
    fake.addRule({ match: `${t}-default`, behavior: { flagged: true } });
    const byDefault = await client.moderations.create({ input: `${t}-default` });
    assert.equal(byDefault.results[0]?.categories['self-harm'], true);
  });

  test('models list', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    assert.ok(models.includes('gpt-4o-mini'));
  });

  test('a missing API key gets 401 in OpenAI error format; unknown paths 404', async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask('no key')),
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as {
      error: { message: string; type: string; code: unknown };
    };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /API key/);
    assert.ok('code' in body.error);
    const error = await rejection(
      new OpenAI({ apiKey: ' ', baseURL: fake.url, maxRetries: 0 }).models.list(),
    );
    assert.ok(error instanceof AuthenticationError, String(error));
    const missing = await fetch(`${fake.url}/embeddings`, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: '{}',
    });
    assert.equal(missing.status, 404);
    assert.match(
      ((await missing.json()) as { error: { message: string } }).error.message,
      /Invalid URL/,
    );
  });

  test('invalid requests get 400 like the real API', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }),
    );
    assert.ok(error instanceof BadRequestError);
    const unsatisfiable = await rejection(
      client.chat.completions.create({
        ...ask(token()),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'string', minLength: 3, maxLength: 1 } },
        },
      }),
    );
    assert.ok(
      unsatisfiable instanceof BadRequestError &&
        /fake-openai cannot produce/.test(unsatisfiable.message),
    );
  });

  test('addRule rejects bad rules', () => {
    assert.throws(() => fake.addRule({ behavior: { status: 200 } }), RuleError);
  });

  test('two concurrent clients with their own rules do not interfere', async () => {
    const a = token();
    const b = token();
    fake.addRule({ match: a, behavior: { content: 'reply for A', latencyMs: 20 } });
    fake.addRule({ match: b, behavior: { status: 429, retryAfter: 1 } });
    const clientA = sdk(fake);
    const clientB = sdk(fake);
    const calls: Promise<string>[] = [];
    for (let i = 0; i < 10; i++) {
      calls.push(
        clientA.chat.completions
          .create(ask(`${a} #${i}`))
          .then((c) => `A:${c.choices[0]?.message.content}`),
      );
      calls.push(
        clientB.chat.completions.create(ask(`${b} #${i}`)).then(
          () => 'B:ok',
          (error: unknown) => (error instanceof RateLimitError ? 'B:429' : `B:${String(error)}`),
        ),
      );
      calls.push(
        clientA.chat.completions
          .create(ask(`neither ${i}`))
          .then((c) =>
            /fake reply/.test(c.choices[0]?.message.content ?? '') ? 'none:default' : 'none:?',
          ),
      );
    }
    const results = await Promise.all(calls);
    assert.equal(results.filter((r) => r === 'A:reply for A').length, 10);
    assert.equal(results.filter((r) => r === 'B:429').length, 10);
    assert.equal(results.filter((r) => r === 'none:default').length, 10);
    assert.equal(fake.requests(a).length, 10);
    assert.equal(fake.requests(b).length, 10);
  });

  test('times is exact under concurrency', async () => {
    const t = token();
    fake.addRule({ match: t, times: 3, behavior: { status: 503 } });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.chat.completions.create(ask(`${t} ${i}`)).then(
          () => 'ok',
          () => 'failed',
        ),
      ),
    );
    assert.equal(outcomes.filter((o) => o === 'failed').length, 3);
  });

  test('requests are recorded without the authorization header', async () => {
    const t = token();
    await client.chat.completions.create(ask(t));
    const [entry] = fake.requests(t) as [RecordedRequest];
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, '/v1/chat/completions');
    assert.equal((entry.body as { model: string }).model, 'gpt-4o-mini');
    assert.equal(entry.headers['authorization'], undefined);
    assert.equal(entry.headers['content-type'], 'application/json');
    assert.ok(entry.time > 0 && entry.rawBody.includes(t));
    assert.equal(fake.clearRequests(t), 1);
    assert.deepEqual(fake.requests(t), []);
  });

  test('control endpoints over HTTP from a plain fetch', async () => {
    const t = token();
    const added = await fetch(`${fake.controlUrl}/__rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        match: t,
        endpoint: 'chat',
        times: 5,
        behavior: { content: 'driven over HTTP' },
      }),
    });
    assert.equal(added.status, 201);
    const { id } = (await added.json()) as { id: string };
    assert.match(id, /^rule_\d+$/);

    const completion = await client.chat.completions.create(ask(t));
    assert.equal(completion.choices[0]?.message.content, 'driven over HTTP');

    const listed = (await (await fetch(`${fake.controlUrl}/__rules`)).json()) as {
      id: string;
      remaining: number;
      hits: number;
    }[];
    assert.deepEqual(
      listed.filter((r) => r.id === id).map((r) => [r.remaining, r.hits]),
      [[4, 1]],
    );

    const recorded = (await (
      await fetch(`${fake.controlUrl}/__requests?match=${encodeURIComponent(t)}`)
    ).json()) as RecordedRequest[];
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]?.ruleId, id);
    assert.equal(recorded[0]?.headers['authorization'], undefined);
    assert.deepEqual((recorded[0]?.body as { messages: unknown }).messages, [
      { role: 'user', content: t },
    ]);

    const bad = await fetch(`${fake.controlUrl}/__rules`, {
      method: 'POST',
      body: JSON.stringify({ behavior: { status: 429, retry_after: 1 } }),
    });
    assert.equal(bad.status, 400);
    assert.match(
      ((await bad.json()) as { error: { message: string } }).error.message,
      /retry_after/,
    );

    // The same endpoints answer under /v1 too, for callers that only know the SDK base URL.
    const viaV1 = await fetch(`${fake.url}/__rules/${id}`, { method: 'DELETE' });
    assert.equal(viaV1.status, 200);
    assert.deepEqual(await viaV1.json(), { removed: true });
    const again = await fetch(`${fake.controlUrl}/__rules/${id}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
    const after = await client.chat.completions.create(ask(t));
    assert.match(after.choices[0]?.message.content ?? '', /fake reply/);

    const cleared = await fetch(`${fake.controlUrl}/__requests?match=${encodeURIComponent(t)}`, {
      method: 'DELETE',
    });
    assert.deepEqual(await cleared.json(), { cleared: 2 });
    assert.deepEqual(
      await (await fetch(`${fake.controlUrl}/__requests?match=${encodeURIComponent(t)}`)).json(),
      [],
    );
    const health = await fetch(`${fake.controlUrl}/__health`);
    assert.equal(health.status, 200);
  });
});

describe('server lifecycle', () => {
  test('DELETE /__rules and DELETE /__requests clear everything', async () => {
    const fake = await startFakeOpenAI();
    try {
      fake.addRule({ behavior: { status: 500 } });
      fake.addRule({ behavior: { hang: true } });
      await fetch(`${fake.url}/models`, { headers: { authorization: 'Bearer k' } });
      const rules = await fetch(`${fake.controlUrl}/__rules`, { method: 'DELETE' });
      assert.deepEqual(await rules.json(), { cleared: 2 });
      assert.deepEqual(fake.rules(), []);
      const requests = await fetch(`${fake.controlUrl}/__requests`, { method: 'DELETE' });
      assert.deepEqual(await requests.json(), { cleared: 1 });
      assert.deepEqual(fake.requests(), []);
    } finally {
      await fake.stop();
    }
  });

  test('stop() ends hung connections promptly', async () => {
    const fake = await startFakeOpenAI();
    fake.addRule({ behavior: { hang: true } });
    // A raw request with no client-side timeout: only the server can end it.
    const outcome = new Promise<string>((resolve) => {
      const req = httpRequest(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      });
      req.on('response', () => resolve('answered'));
      req.on('error', (error) => resolve(`error: ${error.message}`));
      req.end(JSON.stringify(ask('hang forever')));
    });
    const sdkCall = rejection(
      sdk(fake, { timeout: 60_000 }).chat.completions.create({ ...ask('hang too'), stream: true }),
    );
    while (fake.requests().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await fake.stop();
    assert.ok(Date.now() - started < 1000, 'stop() did not wait for the hung requests');
    assert.match(await outcome, /^error: socket hang up/);
    assert.ok((await sdkCall) instanceof APIConnectionError);
    await fake.stop(); // idempotent
  });

  test('stop() cancels pending latency timers so the process can exit', async () => {
    const fake = await startFakeOpenAI();
    fake.addRule({ behavior: { latencyMs: 60_000 } });
    const call = rejection(sdk(fake).chat.completions.create(ask('slow')));
    while (fake.requests().length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await fake.stop();
    assert.ok((await call) instanceof APIConnectionError);
    // node:test reports a failure if a 60 s timer kept the event loop busy after the tests.
  });

  test('a busy port makes startFakeOpenAI reject', async () => {
    const first = await startFakeOpenAI();
    try {
      await assert.rejects(startFakeOpenAI({ port: first.port }), /EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});

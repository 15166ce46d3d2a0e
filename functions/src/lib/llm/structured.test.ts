/**
 * completeStructured against the real openai SDK and a tiny in-process HTTP server, so that
 * deadlines, retries and the mapping of failures are tested as they happen on the wire.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { LlmClient } from './client';
import { completeStructured, type LlmDependencies, type StructuredRequest } from './structured';
import { evaluateTokenBudget } from './usage';
import { logger } from '../log/logger';

jest.mock('../log/logger', () => ({
  logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
}));

type Answer =
  | { kind: 'content'; content: string; tokens?: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'html' };

const schema = z.strictObject({
  summary: z.string().min(1),
  suggestions: z.array(z.string()).min(1),
});
const jsonSchema = z.toJSONSchema(schema) as Record<string, unknown>;
const GOOD = '{"summary":"A steady week.","suggestions":["Keep walking."]}';

let server: Server;
let baseURL: string;
/** Answers for the next requests, in order; when empty, a good answer. */
let script: Answer[] = [];
let bodies: Record<string, unknown>[] = [];
const hung = new Set<ServerResponse>();

function respond(req: IncomingMessage, res: ServerResponse, raw: string): void {
  bodies.push(JSON.parse(raw) as Record<string, unknown>);
  const answer: Answer = script.shift() ?? { kind: 'content', content: GOOD };
  if (answer.kind === 'hang') {
    hung.add(res);
    res.on('close', () => hung.delete(res));
    return;
  }
  if (answer.kind === 'html') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('<html>502</html>');
    return;
  }
  if (answer.kind === 'status') {
    res
      .writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}),
      })
      .end(JSON.stringify({ error: { message: 'injected', type: 'x', code: null } }));
    return;
  }
  const tokens = answer.tokens ?? 30;
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          logprobs: null,
          message: { role: 'assistant', content: answer.content, refusal: null },
        },
      ],
      usage: { prompt_tokens: tokens - 10, completion_tokens: 10, total_tokens: tokens },
    }),
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => respond(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let recorded: number[];
let budgetUsed: number;
let deps: LlmDependencies;

beforeEach(async () => {
  script = [];
  bodies = [];
  recorded = [];
  budgetUsed = 0;
  const sdk = await import('openai');
  const client: LlmClient = { sdk, openai: new sdk.OpenAI({ apiKey: 'k', baseURL }) };
  deps = {
    client: async () => client,
    model: () => 'test-model',
    budget: async () => evaluateTokenBudget(budgetUsed, 1000),
    recordUsage: async (_uid, tokens) => recorded.push(tokens),
  };
});

function request(overrides: Partial<StructuredRequest<z.infer<typeof schema>>> = {}) {
  return {
    uid: 'u1',
    purpose: 'test',
    messages: [{ role: 'user' as const, content: 'hello' }],
    schema,
    jsonSchema,
    schemaName: 'insights',
    deadlineMs: 2_500,
    ...overrides,
  };
}

describe('completeStructured', () => {
  it('returns the validated answer and counts its tokens', async () => {
    script = [{ kind: 'content', content: GOOD, tokens: 42 }];
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({
      ok: true,
      value: { summary: 'A steady week.', suggestions: ['Keep walking.'] },
      usage: { totalTokens: 42 },
      rounds: 1,
    });
    expect(recorded).toEqual([42]);
  });

  it('logs one line of facts, without prompt or answer text', async () => {
    jest.mocked(logger.info).mockClear();
    await completeStructured(request(), deps);
    expect(logger.info).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(jest.mocked(logger.info).mock.calls);
    expect(logged).toContain('"purpose":"test"');
    expect(logged).not.toMatch(/hello|steady|walking/i);
  });

  it('asks for strict structured output with the given schema and model', async () => {
    await completeStructured(request({ maxOutputTokens: 321 }), deps);
    expect(bodies[0]).toMatchObject({
      model: 'test-model',
      max_completion_tokens: 321,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'insights', strict: true, schema: jsonSchema },
      },
    });
    expect(bodies[0]).not.toHaveProperty('temperature');
  });

  it('gives up on a hung model at the deadline', async () => {
    script = [{ kind: 'hang' }];
    const started = performance.now();
    const result = await completeStructured(request({ deadlineMs: 300 }), deps);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
    expect(recorded).toEqual([]);
  });

  it('retries a 429 inside the deadline and succeeds', async () => {
    script = [{ kind: 'status', status: 429, retryAfter: '0.05' }];
    const result = await completeStructured(request(), deps);
    expect(result.ok).toBe(true);
    expect(bodies).toHaveLength(2);
  });

  it('reports rate_limited after every retry got 429', async () => {
    script = Array.from({ length: 3 }, () => ({ kind: 'status', status: 429, retryAfter: '0.05' }));
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(bodies).toHaveLength(3);
  });

  it('reports server_error after every retry got 500', async () => {
    script = Array.from({ length: 3 }, () => ({ kind: 'status', status: 500, retryAfter: '0' }));
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: false, reason: 'server_error', detail: 'HTTP 500' });
    expect(bodies).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    script = [{ kind: 'status', status: 400 }];
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: false, reason: 'error' });
    expect(bodies).toHaveLength(1);
  });

  it('keeps retries inside the deadline even when Retry-After asks for more', async () => {
    script = [{ kind: 'status', status: 429, retryAfter: '30' }];
    const started = performance.now();
    const result = await completeStructured(request({ deadlineMs: 400 }), deps);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('asks once more after a malformed answer, and counts both answers', async () => {
    script = [{ kind: 'content', content: '{"summary":"x","suggestions":[]}', tokens: 20 }];
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: true, rounds: 2, usage: { totalTokens: 50 } });
    expect(recorded).toEqual([50]);
  });

  it('fails as malformed after two answers that do not fit', async () => {
    script = [
      { kind: 'content', content: '{"summary": "cut of' },
      { kind: 'content', content: '{"summary":"x","suggestions":[],"extra":1}' },
    ];
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: false, reason: 'malformed', rounds: 2 });
    expect(recorded).toEqual([60]);
  });

  it('treats a body that is not JSON as malformed', async () => {
    script = [{ kind: 'html' }];
    const result = await completeStructured(request({ malformedRetries: 0 }), deps);
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('is not_configured without a client, and calls nothing', async () => {
    const result = await completeStructured(request(), { ...deps, client: async () => undefined });
    expect(result).toMatchObject({ ok: false, reason: 'not_configured', rounds: 0 });
    expect(bodies).toHaveLength(0);
  });

  it('is budget_exhausted past the daily budget, and calls nothing', async () => {
    budgetUsed = 1000;
    const result = await completeStructured(request(), deps);
    expect(result).toMatchObject({ ok: false, reason: 'budget_exhausted' });
    expect(bodies).toHaveLength(0);
  });

  it('skips the budget check when asked to', async () => {
    budgetUsed = 1000;
    const result = await completeStructured(request({ checkBudget: false }), deps);
    expect(result.ok).toBe(true);
  });

  it('is an error, not an exception, when the budget cannot be read', async () => {
    const result = await completeStructured(request(), {
      ...deps,
      budget: async () => {
        throw new Error('firestore down');
      },
    });
    expect(result).toMatchObject({ ok: false, reason: 'error' });
  });

  it('is cancelled at once when the caller aborts', async () => {
    script = [{ kind: 'hang' }];
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const started = performance.now();
    const result = await completeStructured(request({ signal: caller.signal }), deps);
    expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('never throws when recording usage fails', async () => {
    const result = await completeStructured(request(), {
      ...deps,
      recordUsage: async () => {
        throw new Error('firestore down');
      },
    });
    expect(result.ok).toBe(true);
  });
});

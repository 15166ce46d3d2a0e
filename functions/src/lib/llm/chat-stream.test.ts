/**
 * streamChatCompletion against the real openai SDK and a tiny in-process SSE server, so that
 * deadlines, broken streams and usage counting are tested as they happen on the wire.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmClient } from './client';
import { streamChatCompletion, type ChatStreamDependencies, type ChatStreamRequest } from './chat-stream';

jest.mock('../log/logger', () => ({
  logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
}));

type Script =
  | { kind: 'stream'; pieces: string[]; usage?: number; finish?: string; refusal?: boolean }
  | { kind: 'hang' }
  | { kind: 'silent-after'; pieces: string[] }
  | { kind: 'break-after'; pieces: string[] }
  | { kind: 'status'; status: number };

let server: Server;
let baseURL: string;
let script: Script[] = [];
let bodies: Record<string, unknown>[] = [];
const open = new Set<ServerResponse>();

function chunk(delta: Record<string, unknown>, finish: string | null = null, usage: unknown = null) {
  return `data: ${JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage,
  })}\n\n`;
}

function respond(_req: IncomingMessage, res: ServerResponse, raw: string): void {
  bodies.push(JSON.parse(raw) as Record<string, unknown>);
  const answer: Script = script.shift() ?? { kind: 'stream', pieces: ['Hi', ' there'], usage: 12 };
  open.add(res);
  res.on('close', () => open.delete(res));
  if (answer.kind === 'hang') return;
  if (answer.kind === 'status') {
    res
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: 'injected', type: 'x', code: null } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk({ role: 'assistant', content: '' }));
  for (const piece of answer.pieces) res.write(chunk({ content: piece }));
  if (answer.kind === 'silent-after') return;
  if (answer.kind === 'break-after') {
    res.write('', () => setTimeout(() => res.destroy(), 20));
    return;
  }
  if (answer.refusal) res.write(chunk({ refusal: 'I cannot.' }));
  res.write(chunk({}, answer.finish ?? 'stop'));
  if (answer.usage) {
    res.write(
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [], usage: { prompt_tokens: 2, completion_tokens: answer.usage - 2, total_tokens: answer.usage } })}\n\n`,
    );
  }
  res.end('data: [DONE]\n\n');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (data: Buffer) => (raw += data.toString()));
    req.on('end', () => respond(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let recorded: number[];
let deps: ChatStreamDependencies;
beforeEach(async () => {
  script = [];
  bodies = [];
  recorded = [];
  const sdk = await import('openai');
  const client: LlmClient = { sdk, openai: new sdk.OpenAI({ apiKey: 'k', baseURL }) };
  deps = {
    client: async () => client,
    model: () => 'test-model',
    recordUsage: async (_uid, tokens) => recorded.push(tokens),
  };
});

function request(overrides: Partial<ChatStreamRequest> = {}): ChatStreamRequest {
  return {
    uid: 'u1',
    purpose: 'test',
    messages: [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'hello there, how are you' },
    ],
    firstDeltaTimeoutMs: 2_000,
    idleTimeoutMs: 2_000,
    deadlineMs: 5_000,
    maxOutputTokens: 100,
    maxRetries: 0,
    ...overrides,
  };
}

async function run(overrides: Partial<ChatStreamRequest> = {}) {
  const pieces: string[] = [];
  const result = await streamChatCompletion(request(overrides), (piece) => pieces.push(piece), deps);
  return { result, pieces };
}

describe('streamChatCompletion', () => {
  it('hands over each delta, returns the whole text and counts the reported usage', async () => {
    script = [{ kind: 'stream', pieces: ['Hej', ' du', '!'], usage: 42 }];
    const { result, pieces } = await run();
    expect(pieces).toEqual(['Hej', ' du', '!']);
    expect(result).toMatchObject({ ok: true, value: 'Hej du!', usage: { totalTokens: 42 } });
    expect(recorded).toEqual([42]);
    expect(bodies[0]).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 100,
    });
  });

  it('accepts an answer cut at the token limit', async () => {
    script = [{ kind: 'stream', pieces: ['Long'], finish: 'length', usage: 5 }];
    expect((await run()).result).toMatchObject({ ok: true, finishReason: 'length' });
  });

  it('times out a model that never answers, and counts nothing', async () => {
    script = [{ kind: 'hang' }];
    const { result } = await run({ firstDeltaTimeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, reason: 'timeout', partial: '' });
    expect(recorded).toEqual([]);
  });

  it('times out a model that falls silent mid-answer, keeping the text and an estimate of its cost', async () => {
    script = [{ kind: 'silent-after', pieces: ['I think', ' that'] }];
    const { result, pieces } = await run({ idleTimeoutMs: 300 });
    expect(pieces).toEqual(['I think', ' that']);
    expect(result).toMatchObject({ ok: false, reason: 'timeout', partial: 'I think that' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toBeGreaterThan(0);
  });

  it('calls a stream that breaks off a server error, with the partial text', async () => {
    script = [{ kind: 'break-after', pieces: ['Part', 'ial'] }];
    const { result } = await run();
    expect(result).toMatchObject({ ok: false, reason: 'server_error', partial: 'Partial' });
    expect(recorded[0]).toBeGreaterThan(0);
  });

  it('treats a refusal and a content-filter stop as malformed', async () => {
    script = [
      { kind: 'stream', pieces: [], refusal: true, usage: 3 },
      { kind: 'stream', pieces: ['x'], finish: 'content_filter', usage: 3 },
      { kind: 'stream', pieces: ['  '], usage: 3 },
    ];
    expect((await run()).result).toMatchObject({ ok: false, reason: 'malformed' });
    expect((await run()).result).toMatchObject({ ok: false, reason: 'malformed' });
    expect((await run()).result).toMatchObject({ ok: false, reason: 'malformed', detail: 'empty answer' });
  });

  it('maps provider errors', async () => {
    script = [{ kind: 'status', status: 429 }];
    expect((await run()).result).toMatchObject({ ok: false, reason: 'rate_limited' });
    script = [{ kind: 'status', status: 503 }];
    expect((await run()).result).toMatchObject({ ok: false, reason: 'server_error' });
  });

  it('is not_configured without a client, and cancelled when the caller aborts', async () => {
    const none = await streamChatCompletion(request(), () => undefined, {
      ...deps,
      client: async () => undefined,
    });
    expect(none).toMatchObject({ ok: false, reason: 'not_configured' });
    script = [{ kind: 'hang' }];
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    expect((await run({ signal: caller.signal })).result).toMatchObject({
      ok: false,
      reason: 'cancelled',
    });
  });
});

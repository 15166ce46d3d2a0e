/**
 * A local OpenAI-compatible HTTP server with controllable behaviour, so tests run the real
 * `openai` SDK against it: chat completions (plain, streamed, structured output), moderations,
 * models, OpenAI-format errors, and rules that inject latency, hangs, errors, broken payloads
 * and broken streams. Control endpoints let a test in another process drive it.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { breakDocument, generateFromSchema, SchemaError } from './schema.ts';
import type { JsonValue } from './schema.ts';
import { MODERATION_CATEGORIES, RuleBook, RuleError } from './rules.ts';
import type {
  Behavior,
  Endpoint,
  MalformedKind,
  ModerationCategory,
  Rule,
  RuleInfo,
} from './rules.ts';

export { MODERATION_CATEGORIES, parseRule, RuleError } from './rules.ts';
export type {
  Behavior,
  ContentBehavior,
  Endpoint,
  ErrorBehavior,
  FlaggedBehavior,
  HangBehavior,
  LatencyBehavior,
  MalformedBehavior,
  MalformedKind,
  ModerationCategory,
  Rule,
  RuleInfo,
  StreamBreakBehavior,
  Timing,
} from './rules.ts';

/** A request the server received under `/v1`, as returned by `requests()` and `GET /__requests`. */
export interface RecordedRequest {
  /** Sequence number, increasing across the life of the server. */
  seq: number;
  /** Epoch milliseconds when the request body had been read. */
  time: number;
  method: string;
  /** Path including any query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Request headers (lower-case names) without `authorization`. */
  headers: Record<string, string>;
  /** The JSON body, or the raw text when it is not JSON, or null when empty. */
  body: unknown;
  rawBody: string;
  /** Id of the rule that decided the answer, or null for the default behaviour. */
  ruleId: string | null;
}

/** Options for `startFakeOpenAI`. */
export interface FakeOpenAIOptions {
  /** TCP port; default 0 (any free port). The local stack uses 8078. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Oldest recorded requests are dropped beyond this many; default 5000. */
  maxRecorded?: number;
}

/** A running fake server. */
export interface FakeOpenAI {
  /** Base URL for the SDK's `baseURL`, ending in `/v1`. */
  readonly url: string;
  /** Server root (no `/v1`), where the control endpoints live (they also answer under `/v1`). */
  readonly controlUrl: string;
  readonly port: number;
  /** Adds a rule (validated; throws `RuleError` if bad) and returns its id. */
  addRule(rule: Rule): string;
  /** Removes one rule; false when it had already gone (e.g. used up by `times`). */
  removeRule(id: string): boolean;
  /** Current rules, newest last. */
  rules(): RuleInfo[];
  /** Removes every rule, including other tests' rules: prefer `removeRule` on a shared server. */
  clearRules(): void;
  /** Recorded requests, oldest first; with `match`, only those whose raw body contains it. */
  requests(match?: string): RecordedRequest[];
  /** Forgets recorded requests (only those whose raw body contains `match`, if given); returns how many. */
  clearRequests(match?: string): number;
  /** Closes the server, ending every connection, hung ones included. */
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const MODEL_IDS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-5-mini', 'omni-moderation-latest'];

type Json = JsonValue;

interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Aborted when the response closes (finished, client gone, or server stopping). */
  readonly signal: AbortSignal;
  readonly requestId: string;
}

/** Rough token count: OpenAI's rule of thumb of ~4 characters per token. */
function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a chat message's content, which is a string or an array of typed parts. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : ''))
      .join(' ');
  }
  return '';
}

/**
 * Splits content into stream deltas the way a tokenizer roughly would: word by word, long runs
 * (such as JSON without spaces) in 12-character pieces, and never fewer than two deltas for
 * content of two or more characters. Concatenating the deltas gives the content back exactly.
 */
export function splitDeltas(content: string): string[] {
  if (content === '') return [];
  const pieces: string[] = [];
  for (const word of content.split(/(?<=\s)(?=\S)/)) {
    const points = Array.from(word);
    for (let i = 0; i < points.length; i += 12) pieces.push(points.slice(i, i + 12).join(''));
  }
  if (pieces.length === 1) {
    const points = Array.from(content);
    if (points.length >= 2) {
      const half = Math.floor(points.length / 2);
      return [points.slice(0, half).join(''), points.slice(half).join('')];
    }
  }
  return pieces;
}

function defaultErrorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function defaultErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return 'fake-openai: bad request (injected by a rule).';
    case 401:
      return 'Incorrect API key provided.';
    case 403:
      return 'You are not allowed to sample from this model.';
    case 404:
      return 'The model does not exist or you do not have access to it.';
    case 429:
      return 'Rate limit reached for requests. Please try again later.';
    case 500:
      return 'The server had an error while processing your request. Sorry about that!';
    case 502:
      return 'Bad gateway.';
    case 503:
      return 'The server is overloaded or not ready yet.';
    default:
      return `fake-openai: error ${status} (injected by a rule).`;
  }
}

/** Starts the fake server. Resolves once it is listening; rejects if it cannot bind. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const { port = 0, host = '127.0.0.1', maxRecorded = 5000 } = options;
  const ruleBook = new RuleBook();
  let recorded: RecordedRequest[] = [];
  let seq = 0;
  let requestCounter = 0;
  let stopped = false;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must show up as a loud 500, not as a hung test.
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, {
          error: {
            message: `fake-openai internal error: ${String(error)}`,
            type: 'server_error',
            param: null,
            code: null,
          },
        });
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const controlUrl = `http://${hostForUrl}:${address.port}`;

  function record(req: IncomingMessage, rawBody: string, body: unknown): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const entry: RecordedRequest = {
      seq: ++seq,
      time: Date.now(),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers,
      body,
      rawBody,
      ruleId: null,
    };
    recorded.push(entry);
    if (recorded.length > maxRecorded) recorded = recorded.slice(recorded.length - maxRecorded);
    return entry;
  }

  async function readBody(req: IncomingMessage): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const ctx: RequestContext = {
      req,
      res,
      signal: controller.signal,
      requestId: `req_fake_${++requestCounter}`,
    };
    res.setHeader('x-request-id', ctx.requestId);

    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      sendError(res, 413, 'Request body too large for fake-openai.', 'invalid_request_error', null);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    let path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/v1/__')) path = path.slice(3);
    if (path.startsWith('/__')) {
      handleControl(req, res, path, url.searchParams, rawBody);
      return;
    }
    if (path !== '/v1' && !path.startsWith('/v1/')) {
      sendError(
        res,
        404,
        `Invalid URL (${req.method ?? 'GET'} ${url.pathname}); the API is under /v1`,
        'invalid_request_error',
        null,
      );
      return;
    }

    let body: unknown = null;
    let parseFailed = false;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
        parseFailed = true;
      }
    }
    const entry = record(req, rawBody, body);

    const auth = req.headers.authorization ?? '';
    const key = /^Bearer\s+(\S.*)$/i.exec(auth)?.[1]?.trim();
    if (!key) {
      sendError(
        res,
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      );
      return;
    }

    const method = req.method ?? 'GET';
    let endpoint: Endpoint | undefined;
    if (method === 'POST' && path === '/v1/chat/completions') endpoint = 'chat';
    else if (method === 'POST' && path === '/v1/moderations') endpoint = 'moderations';
    else if (method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: MODEL_IDS.map(modelObject) });
      return;
    } else if (method === 'GET' && path.startsWith('/v1/models/')) {
      sendJson(res, 200, modelObject(decodeURIComponent(path.slice('/v1/models/'.length))));
      return;
    } else {
      sendError(res, 404, `Invalid URL (${method} ${url.pathname})`, 'invalid_request_error', null);
      return;
    }

    if (parseFailed || !isRecord(body)) {
      sendError(
        res,
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        'invalid_request_error',
        null,
      );
      return;
    }

    const taken = ruleBook.take(endpoint, rawBody);
    entry.ruleId = taken?.id ?? null;
    const behavior: Behavior = taken?.behavior ?? { latencyMs: 0 };
    if (behavior.latencyMs) {
      try {
        await sleepTimer(behavior.latencyMs, undefined, { signal: ctx.signal });
      } catch {
        return; // the client went away or the server is stopping
      }
    }

    if ('hang' in behavior) {
      // Nothing is written; the response closes when the client aborts or stop() destroys the socket.
      return;
    }
    if ('status' in behavior) {
      const headers: Record<string, string> = {};
      if (behavior.retryAfter !== undefined) headers['retry-after'] = String(behavior.retryAfter);
      sendError(
        res,
        behavior.status,
        behavior.message ?? defaultErrorMessage(behavior.status),
        behavior.type ?? defaultErrorType(behavior.status),
        behavior.code !== undefined
          ? behavior.code
          : behavior.status === 429
            ? 'rate_limit_exceeded'
            : null,
        headers,
      );
      return;
    }
    if (endpoint === 'chat') await chatCompletion(ctx, body, behavior);
    else moderation(ctx, body, behavior);
  }

  function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
    rawBody: string,
  ): void {
    const method = req.method ?? 'GET';
    const match = query.get('match') ?? undefined;
    if (path === '/__health' && method === 'GET') {
      sendJson(res, 200, { ok: true, url: `${controlUrl}/v1` });
    } else if (path === '/__rules' && method === 'POST') {
      let input: unknown;
      try {
        input = JSON.parse(rawBody);
      } catch {
        sendJson(res, 400, { error: { message: 'rule body is not JSON' } });
        return;
      }
      try {
        sendJson(res, 201, { id: ruleBook.add(input) });
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        sendJson(res, 400, { error: { message: error.message } });
      }
    } else if (path === '/__rules' && method === 'GET') {
      sendJson(res, 200, ruleBook.list());
    } else if (path === '/__rules' && method === 'DELETE') {
      sendJson(res, 200, { cleared: ruleBook.clear() });
    } else if (path.startsWith('/__rules/') && method === 'DELETE') {
      const removed = ruleBook.remove(decodeURIComponent(path.slice('/__rules/'.length)));
      sendJson(res, removed ? 200 : 404, { removed });
    } else if (path === '/__requests' && method === 'GET') {
      sendJson(res, 200, filterRequests(match));
    } else if (path === '/__requests' && method === 'DELETE') {
      sendJson(res, 200, { cleared: clearRequests(match) });
    } else {
      sendJson(res, 404, { error: { message: `no control endpoint ${method} ${path}` } });
    }
  }

  function filterRequests(match: string | undefined): RecordedRequest[] {
    const selected =
      match === undefined ? recorded : recorded.filter((r) => r.rawBody.includes(match));
    return structuredClone(selected);
  }

  function clearRequests(match: string | undefined): number {
    const before = recorded.length;
    recorded = match === undefined ? [] : recorded.filter((r) => !r.rawBody.includes(match));
    return before - recorded.length;
  }

  return {
    url: `${controlUrl}/v1`,
    controlUrl,
    port: address.port,
    addRule: (rule) => ruleBook.add(rule),
    removeRule: (id) => ruleBook.remove(id),
    rules: () => ruleBook.list(),
    clearRules: () => {
      ruleBook.clear();
    },
    requests: (match) => filterRequests(match),
    clearRequests: (match) => clearRequests(match),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hung, streaming and keep-alive connections would keep close() waiting forever.
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function modelObject(id: string): Json {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'fake-openai' };
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

// ---------------------------------------------------------------------------------------------
// Chat completions

interface ChatReply {
  content: string;
  finishReason: 'stop' | 'length' | 'content_filter';
}

function malformedKind(behavior: Behavior): MalformedKind | undefined {
  if (!('malformed' in behavior)) return undefined;
  return behavior.malformed === true ? 'invalid-json' : behavior.malformed;
}

/** Decides the assistant content for a chat request; throws SchemaError for an unusable schema. */
function chatReply(body: Record<string, unknown>, behavior: Behavior): ChatReply {
  if ('content' in behavior)
    return { content: behavior.content, finishReason: behavior.finishReason ?? 'stop' };
  const format = isRecord(body['response_format']) ? body['response_format'] : undefined;
  const jsonSchema =
    format?.['type'] === 'json_schema' && isRecord(format['json_schema'])
      ? format['json_schema']
      : undefined;
  const kind = malformedKind(behavior);
  if (kind === 'invalid-json') {
    return {
      content: '{"reply": "this JSON document was cut off in the midd',
      finishReason: 'stop',
    };
  }
  if (kind === 'wrong-shape') {
    return {
      content: JSON.stringify(
        jsonSchema ? breakDocument(jsonSchema['schema'] ?? {}) : ['not', 'an', 'object'],
      ),
      finishReason: 'stop',
    };
  }
  if (jsonSchema)
    return {
      content: JSON.stringify(generateFromSchema(jsonSchema['schema'] ?? {})),
      finishReason: 'stop',
    };
  if (format?.['type'] === 'json_object') return { content: '{}', finishReason: 'stop' };

  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m['role'] === 'user');
  const said = messageText(isRecord(lastUser) ? lastUser['content'] : undefined)
    .replace(/\s+/g, ' ')
    .trim();
  const snippet =
    Array.from(said).length > 40 ? `${Array.from(said).slice(0, 40).join('')}…` : said;
  return {
    content: snippet
      ? `This is a fake reply from the local OpenAI stand-in. You said: "${snippet}"`
      : 'This is a fake reply from the local OpenAI stand-in.',
    finishReason: 'stop',
  };
}

function promptTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  let text = '';
  for (const message of messages) if (isRecord(message)) text += messageText(message['content']);
  // A schema or tool list is part of the prompt the real API counts too.
  if (isRecord(body['response_format'])) text += JSON.stringify(body['response_format']);
  if (Array.isArray(body['tools'])) text += JSON.stringify(body['tools']);
  // ~3 tokens of per-message framing, as in OpenAI's counting guide.
  return estimateTokens(text) + 3 * messages.length;
}

function usage(prompt: number, completion: number): Json {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

async function chatCompletion(
  ctx: RequestContext,
  body: Record<string, unknown>,
  behavior: Behavior,
): Promise<void> {
  const { res } = ctx;
  if (typeof body['model'] !== 'string' || body['model'] === '') {
    sendError(res, 400, 'you must provide a model parameter', 'invalid_request_error', null);
    return;
  }
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) {
    sendError(
      res,
      400,
      "Missing required parameter: 'messages'.",
      'invalid_request_error',
      'missing_required_parameter',
    );
    return;
  }
  let reply: ChatReply;
  try {
    reply = chatReply(body, behavior);
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    sendError(
      res,
      400,
      `fake-openai cannot produce a document for response_format.json_schema: ${error.message}`,
      'invalid_request_error',
      null,
    );
    return;
  }
  const n =
    typeof body['n'] === 'number' && Number.isInteger(body['n'])
      ? Math.min(Math.max(body['n'], 1), 8)
      : 1;
  const model = body['model'];
  const id = `chatcmpl-fake${ctx.requestId.slice('req_fake'.length)}`;
  const created = Math.floor(Date.now() / 1000);
  const prompt = promptTokens(body);
  const completion = estimateTokens(reply.content) * n;

  if (body['stream'] === true) {
    const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
    await streamChat(ctx, behavior, reply, {
      id,
      created,
      model,
      n,
      usage: streamOptions['include_usage'] === true ? usage(prompt, completion) : undefined,
    });
    return;
  }

  const completionBody = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: 'assistant', content: reply.content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: reply.finishReason,
    })),
    usage: usage(prompt, completion),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
  const kind = malformedKind(behavior);
  if (kind === 'body') {
    // Looks like a proxy's error page served with a JSON content type: the SDK cannot parse it.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('<html><body>502 Bad Gateway</body></html>');
    return;
  }
  if ('streamBreak' in behavior) {
    // Non-streamed request: announce the full length, send half, and cut the connection.
    const text = JSON.stringify(completionBody);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
    return;
  }
  sendJson(res, 200, completionBody);
}

interface StreamMeta {
  id: string;
  created: number;
  model: string;
  n: number;
  usage: Json | undefined;
}

async function streamChat(
  ctx: RequestContext,
  behavior: Behavior,
  reply: ChatReply,
  meta: StreamMeta,
): Promise<void> {
  const { res, signal } = ctx;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  const delay = behavior.deltaDelayMs ?? 0;
  const base = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
  // With include_usage, every chunk carries `usage: null` and a final chunk has the totals.
  const usageField = meta.usage === undefined ? {} : { usage: null };
  const send = async (payload: string): Promise<boolean> => {
    if (signal.aborted) return false;
    res.write(`data: ${payload}\n\n`);
    if (delay > 0) {
      try {
        await sleepTimer(delay, undefined, { signal });
      } catch {
        return false;
      }
    }
    return !signal.aborted;
  };
  const chunk = (index: number, delta: Json, finishReason: string | null) =>
    JSON.stringify({
      ...base,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
      ...usageField,
    });

  if (malformedKind(behavior) === 'body') {
    if (await send(chunk(0, { role: 'assistant', content: '', refusal: null }, null))) {
      res.end('data: {"id": "chatcmpl-broken", "choices": [{"delta": \n\n');
    }
    return;
  }

  const deltas = splitDeltas(reply.content);
  if ('streamBreak' in behavior) {
    const before = Math.min(behavior.afterDeltas ?? 2, Math.max(deltas.length - 1, 0));
    if (!(await send(chunk(0, { role: 'assistant', content: '', refusal: null }, null)))) return;
    for (const piece of deltas.slice(0, before))
      if (!(await send(chunk(0, { content: piece }, null)))) return;
    // Let the written deltas reach the client first, then cut the connection without the final
    // chunked-encoding terminator, as a dropped upstream connection would.
    res.write('', () => setTimeout(() => res.destroy(), 20));
    return;
  }

  for (let index = 0; index < meta.n; index++) {
    if (!(await send(chunk(index, { role: 'assistant', content: '', refusal: null }, null))))
      return;
    for (const piece of deltas) if (!(await send(chunk(index, { content: piece }, null)))) return;
    if (!(await send(chunk(index, {}, reply.finishReason)))) return;
  }
  if (
    meta.usage !== undefined &&
    !(await send(JSON.stringify({ ...base, choices: [], usage: meta.usage })))
  )
    return;
  res.end('data: [DONE]\n\n');
}

// ---------------------------------------------------------------------------------------------
// Moderations

function moderation(ctx: RequestContext, body: Record<string, unknown>, behavior: Behavior): void {
  const { res } = ctx;
  const input = body['input'];
  let count: number;
  if (typeof input === 'string') count = 1;
  else if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every((item) => typeof item === 'string')
  )
    count = input.length;
  else if (Array.isArray(input) && input.length > 0 && input.every(isRecord))
    count = 1; // one multi-modal input
  else {
    sendError(
      res,
      400,
      "Missing required parameter: 'input'.",
      'invalid_request_error',
      'missing_required_parameter',
    );
    return;
  }
  const model = typeof body['model'] === 'string' ? body['model'] : 'omni-moderation-latest';
  const id = `modr-fake${ctx.requestId.slice('req_fake'.length)}`;
  const kind = malformedKind(behavior);
  if (kind === 'wrong-shape') {
    sendJson(res, 200, { id, model, results: [] });
    return;
  }
  if (kind !== undefined) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('<html><body>502 Bad Gateway</body></html>');
    return;
  }
  const flagged: readonly ModerationCategory[] =
    'flagged' in behavior ? (behavior.categories ?? ['self-harm']) : [];
  const result = {
    flagged: flagged.length > 0,
    categories: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, flagged.includes(c)])),
    category_scores: Object.fromEntries(
      MODERATION_CATEGORIES.map((c) => [c, flagged.includes(c) ? 0.97 : 0.0001]),
    ),
    category_applied_input_types: Object.fromEntries(
      MODERATION_CATEGORIES.map((c) => [c, ['text']]),
    ),
  };
  sendJson(res, 200, {
    id,
    model,
    results: Array.from({ length: count }, () => structuredClone(result)),
  });
}

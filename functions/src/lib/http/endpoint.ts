/**
 * One definition per Cloud Function — methods, auth, rate limit, zod schemas, cache
 * policy and handler — becomes an `onRequest` function that does everything the contract's
 * common rules ask, once, in this order:
 *
 *  1. request id, CORS, preflight (`204`, no token needed), `405` with `Allow`;
 *  2. `413` on a declared over-size body;
 *  3. authentication (`401`/`503`); failures are counted per client IP (`429` past the limit);
 *  4. query and body validation (computed now, thrown after the rate limit so that invalid
 *     requests are counted too);
 *  5. the rate limit and, for cacheable reads, the cache lookup: one Redis round trip;
 *  6. the handler; a `200` of a cacheable read is stored with its headers; a `GET` whose `ETag`
 *     matches the request's `If-None-Match` is answered `304` without a body (cache hits too);
 *  7. one structured log line; a `500` goes to Sentry.
 *
 * Each stage is a small function in ./pipeline/ (route, authenticate, parse, admit, reply, log)
 * with its unit test beside it; {@link handle} runs them in this order.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'firebase-functions/v2/https';
import { onRequest, type HttpsFunction } from 'firebase-functions/v2/https';
import type { IntParam, SecretParam } from 'firebase-functions/params';
import { z } from 'zod';
import { SENTRY_DSN, UPSTASH_REDIS_REST_TOKEN } from '../config/params';
import type { CacheScope } from '../cache/response-cache';
import { runWithLogContext } from '../log/logger';
import type { ErrorCode } from './errors';
import { admit } from './pipeline/admit';
import { authenticateCaller, clientIp } from './pipeline/authenticate';
import { DEFAULT_DEPS, type PipelineDeps } from './pipeline/deps';
import { logRequest, newRequestState, recordError } from './pipeline/log';
import { parseInput } from './pipeline/parse';
import { sendCacheHit, sendError, sendReply } from './pipeline/reply';
import {
  allowHeaderOf,
  answerPreflight,
  resolveMethod,
  setCommonHeaders,
} from './pipeline/route';
import { resolveRequestId } from './request-id';
import { installRuntimeErrorHandler } from './runtime-errors';
import type { SseWriter } from './sse';
import { assertContentLength } from './validation';

export { allowHeaderOf };

installRuntimeErrorHandler();

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where every function is deployed (the contract's URLs). */
export const REGION = 'europe-west1';

export interface RequestContext<Query, Body> {
  requestId: string;
  method: HttpMethod;
  /** The verified user id (the token's `sub`); empty for functions without auth. */
  uid: string;
  query: Query;
  body: Body;
  headers: IncomingHttpHeaders;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Adds fields to this request's log line (infrastructure facts only, never user text). */
  annotate(fields: Record<string, unknown>): void;
}

export interface JsonReply {
  status?: number;
  body?: unknown;
  /** Response headers; a cacheable read's are stored with the entry and sent again on a HIT. */
  headers?: Record<string, string>;
  /** For a cacheable read: store this answer for this many seconds instead of the policy's TTL (0: not at all). */
  cacheTtlSeconds?: number;
}

export interface StreamReply {
  headers?: Record<string, string>;
  /** Writes the events; errors thrown here are sent as an `error` event. */
  stream(events: SseWriter): Promise<void>;
}

/** A body written in pieces (a large download), never held whole in memory. */
export interface BodyStreamReply {
  status?: number;
  headers?: Record<string, string>;
  contentType: string;
  /**
   * Writes the body through `out`, which waits for the client to drain (backpressure). A throw
   * after the first byte aborts the connection, so a client never takes a truncated body for a
   * whole one.
   */
  body(out: BodyWriter): Promise<void>;
}

/** Writes pieces of a {@link BodyStreamReply}. */
export interface BodyWriter {
  /** Resolves once the piece is handed to the socket, or the client's buffer has drained. */
  write(chunk: string): Promise<void>;
  /** Whether the client is still connected. */
  readonly open: boolean;
}

export type Reply = JsonReply | StreamReply | BodyStreamReply;

export interface CachePolicy<Query> {
  scope: CacheScope;
  ttlSeconds: number;
  /** The cache field of a request: everything the response depends on besides the user. */
  key(query: Query): string;
}

/** A request or response header as docs/openapi.json declares it. */
export interface HeaderDoc {
  description: string;
  schema: z.ZodType;
  /** Default: `false` for request headers, `true` for response headers. */
  required?: boolean;
}

/**
 * One response of a method as docs/openapi.json declares it; the integration tests check every
 * response they receive against that document. The error responses every function shares
 * (400, 401, 405, 413, 415, 429, 500, 503) are added by the generator (src/openapi).
 */
export interface ResponseDoc {
  description: string;
  /** The JSON body (its output side is documented), or a server-sent event stream. */
  body?: z.ZodType | 'event-stream';
  /** The same answer is also served as server-sent events (with `Accept: text/event-stream`). */
  alsoEventStream?: boolean;
  /** Headers beyond the shared ones (request id, CORS, rate limit, cache). */
  headers?: Record<string, HeaderDoc>;
  example?: unknown;
}

/** What docs/openapi.json says about a method besides its schemas. */
export interface MethodDocs {
  summary: string;
  description: string;
  /** Request headers the method reads (validated by the handler). */
  headers?: Record<string, HeaderDoc>;
  /** Successful (and method-specific) responses by status. */
  responses: Record<number, ResponseDoc>;
  /** Error codes this method sends beyond the shared ones, e.g. `conflict`. */
  errors?: ErrorCode[];
}

export interface MethodSpec<Query, Body> {
  query: z.ZodType<Query>;
  body: z.ZodType<Body> | undefined;
  cache: CachePolicy<Query> | undefined;
  handler(ctx: RequestContext<Query, Body>): Promise<Reply>;
  docs: MethodDocs;
}

const NO_QUERY = z.strictObject({});

/**
 * Declares one method of a function. Without `query`, any query parameter is a `400`;
 * without `body`, the body is ignored.
 */
export function method<
  QuerySchema extends z.ZodType = typeof NO_QUERY,
  BodySchema extends z.ZodType | undefined = undefined,
>(spec: {
  query?: QuerySchema;
  body?: BodySchema;
  cache?: CachePolicy<z.output<QuerySchema>>;
  docs: MethodDocs;
  handler(
    ctx: RequestContext<
      z.output<QuerySchema>,
      BodySchema extends z.ZodType ? z.output<BodySchema> : undefined
    >,
  ): Promise<Reply>;
}): MethodSpec<unknown, unknown> {
  return {
    query: spec.query ?? NO_QUERY,
    body: spec.body,
    cache: spec.cache,
    handler: spec.handler,
    docs: spec.docs,
  } as MethodSpec<unknown, unknown>;
}

/**
 * A function's request limit: per user (`auth: 'user'`) or per client IP (`auth: 'none'`), one
 * sliding window per function. The limit is a firebase-functions param declared in the
 * function's own file, e.g. `defineInt('RATE_LIMIT_MOODLOG_PER_HOUR', { default: 300 })`.
 */
export interface RateLimitSpec {
  limit: IntParam;
  window: 'hour' | 'minute';
}

export interface EndpointSpec {
  /** The function's exported name. */
  name: string;
  /** The group of the API reference (docs/openapi.json `tags`). */
  tag: string;
  /** `user`: a Firebase ID token is required. `none`: public (health only). */
  auth: 'user' | 'none';
  /** Its request limit (the counter is named after the function). */
  rateLimit: RateLimitSpec;
  methods: Partial<Record<HttpMethod, MethodSpec<unknown, unknown>>>;
  /** Secrets this function reads beyond the shared ones (Redis token, Sentry DSN). */
  secrets?: SecretParam[];
  /** Request timeout of the function, in seconds (default 60). */
  timeoutSeconds?: number;
  memory?: '256MiB' | '512MiB' | '1GiB';
}

/** A Cloud Function with the definition it was built from (read by the OpenAPI generator). */
export type Endpoint = HttpsFunction & { readonly endpoint: EndpointSpec };

/** Builds the Cloud Function of a definition. */
export function defineEndpoint(spec: EndpointSpec): Endpoint {
  const allowed = Object.keys(spec.methods) as HttpMethod[];
  const allowHeader = allowHeaderOf(allowed);
  const fn = onRequest(
    {
      region: REGION,
      secrets: [UPSTASH_REDIS_REST_TOKEN, SENTRY_DSN, ...(spec.secrets ?? [])],
      timeoutSeconds: spec.timeoutSeconds ?? 60,
      memory: spec.memory ?? '256MiB',
      concurrency: 80,
      cors: false,
      invoker: 'public',
    },
    (req, res) => handle(spec, allowed, allowHeader, req, res),
  );
  return Object.assign(fn, { endpoint: spec });
}

/**
 * One request through the pipeline's named steps (lib/http/pipeline/, each with its tests):
 * route, authenticate, parse, admit, the handler, reply; the log line in any case.
 */
export async function handle(
  spec: EndpointSpec,
  allowed: HttpMethod[],
  allowHeader: string,
  req: Request,
  res: Response,
  deps: PipelineDeps = DEFAULT_DEPS,
): Promise<void> {
  const state = newRequestState(resolveRequestId(req.headers['x-request-id']), req.method);
  const abort = new AbortController();
  // 'close' on the response fires on completion too; only an unfinished one is a disconnect.
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });

  await runWithLogContext({ requestId: state.requestId, function: spec.name }, async () => {
    setCommonHeaders(req, res, state.requestId);
    try {
      if (req.method === 'OPTIONS') {
        state.status = answerPreflight(req, res, allowed, allowHeader);
        return;
      }
      const { method, methodSpec } = resolveMethod(spec, req, allowHeader);
      assertContentLength(req.headers);
      const uid = await authenticateCaller(spec, req, deps);
      if (spec.auth === 'user') state.logFields.uid = uid;
      const input = parseInput(methodSpec, req);
      const caller = { uid, ip: clientIp(req) };
      const admission = await admit(spec, methodSpec, caller, input, res, state, deps);
      if (uid) res.setHeader('Cache-Control', 'private, no-store');
      if (sendCacheHit(req, res, admission.lookup, state)) return;

      const reply = await methodSpec.handler({
        requestId: state.requestId,
        method,
        uid,
        query: input.query,
        body: input.body,
        headers: req.headers,
        signal: abort.signal,
        annotate: (fields) => Object.assign(state.logFields, fields),
      });
      await sendReply(req, res, reply, caller, admission, state, deps);
    } catch (thrown) {
      const error = await recordError(thrown, state, { function: spec.name, method: req.method }, deps);
      sendError(res, error, state);
    } finally {
      logRequest(state);
    }
  });
}

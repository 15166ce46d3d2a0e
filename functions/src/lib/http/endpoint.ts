/**
 * One definition per Cloud Function — methods, auth, rate-limit bucket, zod schemas, cache
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
 */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Request, Response } from 'firebase-functions/v2/https';
import { onRequest, type HttpsFunction } from 'firebase-functions/v2/https';
import type { IntParam, SecretParam } from 'firebase-functions/params';
import { z } from 'zod';
import { authenticate, singleAuthorization } from '../auth/authenticate';
import {
  AUTH_FAILURE_RATE_LIMIT_PER_HOUR,
  SENTRY_DSN,
  UPSTASH_REDIS_REST_TOKEN,
} from '../config/params';
import { readCache, storeCache, type CacheLookup, type CacheScope } from '../cache/response-cache';
import { describeError } from '../log/describe-error';
import { logger, runWithLogContext } from '../log/logger';
import { reportError } from '../monitoring/sentry';
import {
  checkRateLimit,
  rateLimitHeaders,
  secondsUntilReset,
  type RateLimitOutcome,
  type RateLimitRule,
} from '../ratelimit/limiter';
import { ifNoneMatchMatches } from './conditional';
import { corsHeaders, preflightHeaders } from './cors';
import { ApiError, errorBody, toApiError, type ErrorCode } from './errors';
import { resolveRequestId } from './request-id';
import { installRuntimeErrorHandler } from './runtime-errors';
import { SseWriter } from './sse';
import { assertContentLength, jsonBody, queryParams, validate } from './validation';

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

const HOUR_MS = 60 * 60 * 1000;

/**
 * Sent on every response: no MIME sniffing, no referrer, HTTPS only (two years), and a policy
 * under which a response rendered as a page could load and run nothing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};
/** How much of an unexpected error goes into the log: enough to find it in the code. */
const INTERNAL_ERROR_LOG = { maxLength: 500, stackFrames: 5 };

/** The limiter's rule of a function: its counter is named after it. */
function ruleOf(spec: EndpointSpec): RateLimitRule {
  const { limit, window } = spec.rateLimit;
  return { bucket: spec.name, limit: limit.value(), windowMs: window === 'hour' ? HOUR_MS : 60_000 };
}

/**
 * The client's IP: the right-most `X-Forwarded-For` entry, which Google's front end appends
 * (entries left of it are whatever the client sent), else the socket's address.
 */
export function clientIp(req: Pick<Request, 'headers' | 'socket'>): string {
  const forwarded = req.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return list.at(-1) ?? req.socket?.remoteAddress ?? 'unknown';
}

function isStream(reply: Reply): reply is StreamReply {
  return typeof (reply as StreamReply).stream === 'function';
}

function isBodyStream(reply: Reply): reply is BodyStreamReply {
  return typeof (reply as BodyStreamReply).body === 'function';
}

/**
 * The `Allow` header of a function serving `methods`: they, `HEAD` where `GET` is (RFC 9110: a
 * resource that answers GET answers HEAD too; load balancers probe with it), and `OPTIONS`.
 */
export function allowHeaderOf(methods: readonly string[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
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

async function handle(
  spec: EndpointSpec,
  allowed: HttpMethod[],
  allowHeader: string,
  req: Request,
  res: Response,
): Promise<void> {
  const started = performance.now();
  const requestId = resolveRequestId(req.headers['x-request-id']);
  const logFields: Record<string, unknown> = { method: req.method };
  const abort = new AbortController();
  // 'close' on the response fires on completion too; only an unfinished one is a disconnect.
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });

  await runWithLogContext({ requestId, function: spec.name }, async () => {
    res.setHeader('X-Request-Id', requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    for (const [name, value] of Object.entries(corsHeaders(req.headers.origin))) {
      res.setHeader(name, value);
    }
    let status = 500;
    let rateLimit: RateLimitOutcome | undefined;
    try {
      if (req.method === 'OPTIONS') {
        for (const [name, value] of Object.entries(preflightHeaders(req.headers.origin, allowed))) {
          res.setHeader(name, value);
        }
        res.setHeader('Allow', allowHeader);
        status = 204;
        res.status(204).end();
        return;
      }
      // HEAD is GET without the body (Node's response drops the body of a HEAD by itself).
      const method = (req.method === 'HEAD' ? 'GET' : req.method) as HttpMethod;
      const methodSpec = spec.methods[method];
      if (!methodSpec) {
        throw new ApiError('method_not_allowed', `${req.method} is not allowed here.`, {
          headers: { Allow: allowHeader },
        });
      }
      assertContentLength(req.headers);

      let uid = '';
      if (spec.auth === 'user') {
        try {
          uid = (await authenticate(singleAuthorization(req.rawHeaders ?? []))).uid;
        } catch (error) {
          if (error instanceof ApiError && error.code === 'unauthenticated') {
            await limitAuthFailures(clientIp(req));
          }
          throw error;
        }
        logFields.uid = uid;
      }

      // Validate now, throw after counting the request.
      let query: unknown;
      let body: unknown;
      let invalid: unknown;
      try {
        query = validate(methodSpec.query, queryParams(req.originalUrl ?? req.url), 'query');
        if (methodSpec.body) body = validate(methodSpec.body, jsonBody(req), 'body');
      } catch (error) {
        invalid = error;
      }

      const rule = ruleOf(spec);
      const identifier = spec.auth === 'user' ? uid : `ip:${clientIp(req)}`;
      const cache = invalid === undefined && uid ? methodSpec.cache : undefined;
      const cacheField = cache ? `${spec.name}:${cache.key(query)}` : '';
      // Both Redis commands are issued in this tick: one pipeline, one round trip.
      const [limited, lookup] = await Promise.all([
        checkRateLimit(rule, identifier),
        cache
          ? readCache(uid, cache.scope, cacheField)
          : Promise.resolve<CacheLookup | undefined>(undefined),
      ]);
      rateLimit = limited;
      logFields.rateLimit = { remaining: limited.remaining, source: limited.source };
      for (const [name, value] of Object.entries(rateLimitHeaders(limited)))
        res.setHeader(name, value);
      if (!limited.success) {
        throw new ApiError('rate_limited', 'Too many requests. Try again later.', {
          headers: { 'Retry-After': String(secondsUntilReset(limited)) },
        });
      }
      if (invalid !== undefined) throw invalid;

      if (uid) res.setHeader('Cache-Control', 'private, no-store');
      if (lookup) {
        res.setHeader('X-Cache', lookup.state);
        logFields.cache = lookup.state;
        if (lookup.state === 'HIT') {
          for (const [name, value] of Object.entries(lookup.headers ?? {})) {
            res.setHeader(name, value);
          }
          status = sendJson(req, res, 200, lookup.body, lookup.headers?.ETag);
          return;
        }
      }

      const ctx: RequestContext<unknown, unknown> = {
        requestId,
        method,
        uid,
        query,
        body,
        headers: req.headers,
        signal: abort.signal,
        annotate: (fields) => Object.assign(logFields, fields),
      };
      const reply = await methodSpec.handler(ctx);
      if (isStream(reply)) {
        status = 200;
        await sendStream(res, reply, requestId);
        return;
      }
      if (isBodyStream(reply)) {
        status = reply.status ?? 200;
        await sendBodyStream(res, reply, status);
        return;
      }
      status = reply.status ?? 200;
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      const ttlSeconds = reply.cacheTtlSeconds ?? cache?.ttlSeconds ?? 0;
      if (cache && lookup?.generation !== undefined && status === 200 && ttlSeconds > 0) {
        await storeCache(uid, cache.scope, cacheField, lookup.generation, ttlSeconds, {
          body: reply.body,
          ...(reply.headers ? { headers: reply.headers } : {}),
        });
      }
      status = sendJson(req, res, status, reply.body, reply.headers?.ETag);
    } catch (thrown) {
      const error = toApiError(thrown);
      status = error.status;
      logFields.errorCode = error.code;
      if (error.code === 'internal') {
        logger.error('unexpected error', { error: describeError(thrown, INTERNAL_ERROR_LOG) });
        await reportError(thrown, { requestId, function: spec.name, method: req.method });
      } else if (error.status >= 500) {
        if (error.cause !== undefined)
          logFields.cause = describeError(error.cause, INTERNAL_ERROR_LOG);
      }
      if (res.headersSent) {
        res.end();
        return;
      }
      if (rateLimit === undefined) res.removeHeader('Cache-Control');
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      res.status(error.status).json(errorBody(error, requestId));
    } finally {
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const line = { ...logFields, status, latencyMs };
      if (status >= 500) logger.warn('request', line);
      else logger.info('request', line);
    }
  });
}

/**
 * Sends a JSON answer; a `200` to a `GET` whose `If-None-Match` matches `etag` becomes a `304`
 * without a body (its headers, `ETag` included, are kept). Returns the status sent.
 */
function sendJson(
  req: Request,
  res: Response,
  status: number,
  body: unknown,
  etag: string | undefined,
): number {
  if (status === 200 && req.method === 'GET' && etag && ifNoneMatchMatches(req.headers, etag)) {
    res.status(304).end();
    return 304;
  }
  if (body === undefined) res.status(status).end();
  else res.status(status).json(body);
  return status;
}

async function sendStream(res: Response, reply: StreamReply, requestId: string): Promise<void> {
  res.status(200);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const events = new SseWriter(res);
  try {
    await reply.stream(events);
  } catch (thrown) {
    const error = toApiError(thrown);
    events.send('error', errorBody(error, requestId));
    if (error.code === 'internal') throw thrown;
  } finally {
    res.end();
  }
}

/** Characters gathered before one write of a streamed body. */
const BODY_CHUNK_CHARS = 16 * 1024;

async function sendBodyStream(
  res: Response,
  reply: BodyStreamReply,
  status: number,
): Promise<void> {
  res.status(status);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', reply.contentType);
  res.setHeader('X-Accel-Buffering', 'no');
  // Small pieces are gathered into chunks: one socket write per ~16 KiB, not one per item.
  let pending = '';
  const flush = (): Promise<void> => {
    const chunk = pending;
    pending = '';
    if (!out.open) return Promise.reject(new Error('client went away'));
    if (chunk === '' || res.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        res.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        res.off('drain', onDrain);
        reject(new Error('client went away'));
      };
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  };
  const out: BodyWriter = {
    get open() {
      return !res.writableEnded && !res.destroyed;
    },
    write(chunk) {
      pending += chunk;
      return pending.length >= BODY_CHUNK_CHARS ? flush() : Promise.resolve();
    },
  };
  try {
    await reply.body(out);
    await flush();
    res.end();
  } catch (thrown) {
    // Headers (and perhaps part of the body) are out: abort rather than end, so the client sees
    // a broken transfer instead of a complete-looking truncated document.
    res.destroy();
    throw thrown;
  }
}

/** Counts a failed authentication against the client IP; past the limit the answer is `429`. */
async function limitAuthFailures(ip: string): Promise<void> {
  const outcome = await checkRateLimit(
    { bucket: 'authfail', limit: AUTH_FAILURE_RATE_LIMIT_PER_HOUR.value(), windowMs: HOUR_MS },
    `ip:${ip}`,
  );
  if (!outcome.success) {
    throw new ApiError('rate_limited', 'Too many failed sign-in attempts. Try again later.', {
      headers: { 'Retry-After': String(secondsUntilReset(outcome)), ...rateLimitHeaders(outcome) },
    });
  }
}

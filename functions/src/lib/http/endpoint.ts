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
import type { SecretParam } from 'firebase-functions/params';
import { z } from 'zod';
import { authenticate } from '../auth/authenticate';
import {
  AUTH_FAILURE_RATE_LIMIT_PER_HOUR,
  HEALTH_RATE_LIMIT_PER_MINUTE,
  RATE_LIMITS_PER_HOUR,
  SENTRY_DSN,
  UPSTASH_REDIS_REST_TOKEN,
  type UserRateLimitBucket,
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
import { ApiError, errorBody, toApiError } from './errors';
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

export type Reply = JsonReply | StreamReply;

export interface CachePolicy<Query> {
  scope: CacheScope;
  ttlSeconds: number;
  /** The cache field of a request: everything the response depends on besides the user. */
  key(query: Query): string;
}

export interface MethodSpec<Query, Body> {
  query: z.ZodType<Query>;
  body: z.ZodType<Body> | undefined;
  cache: CachePolicy<Query> | undefined;
  handler(ctx: RequestContext<Query, Body>): Promise<Reply>;
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
  } as MethodSpec<unknown, unknown>;
}

export interface EndpointSpec {
  /** The function's exported name. */
  name: string;
  /** `user`: a Firebase ID token is required. `none`: public (health only). */
  auth: 'user' | 'none';
  /** Per-user bucket for `auth: 'user'`; `health` limits per IP. */
  rateLimit: UserRateLimitBucket | 'health';
  methods: Partial<Record<HttpMethod, MethodSpec<unknown, unknown>>>;
  /** Secrets this function reads beyond the shared ones (Redis token, Sentry DSN). */
  secrets?: SecretParam[];
  /** Request timeout of the function, in seconds (default 60). */
  timeoutSeconds?: number;
  memory?: '256MiB' | '512MiB' | '1GiB';
}

const HOUR_MS = 60 * 60 * 1000;
/** How much of an unexpected error goes into the log: enough to find it in the code. */
const INTERNAL_ERROR_LOG = { maxLength: 500, stackFrames: 5 };

function userRule(bucket: UserRateLimitBucket): RateLimitRule {
  return { bucket, limit: RATE_LIMITS_PER_HOUR[bucket].value(), windowMs: HOUR_MS };
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

/** Builds the Cloud Function of a definition. */
export function defineEndpoint(spec: EndpointSpec): HttpsFunction {
  const allowed = Object.keys(spec.methods) as HttpMethod[];
  const allowHeader = [...allowed, 'OPTIONS'].join(', ');
  return onRequest(
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
      const methodSpec = spec.methods[req.method as HttpMethod];
      if (!methodSpec) {
        throw new ApiError('method_not_allowed', `${req.method} is not allowed here.`, {
          headers: { Allow: allowHeader },
        });
      }
      assertContentLength(req.headers);

      let uid = '';
      if (spec.auth === 'user') {
        try {
          uid = (await authenticate(req.headers.authorization)).uid;
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

      const rule: RateLimitRule =
        spec.rateLimit === 'health'
          ? { bucket: 'health', limit: HEALTH_RATE_LIMIT_PER_MINUTE.value(), windowMs: 60_000 }
          : userRule(spec.rateLimit);
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
        method: req.method as HttpMethod,
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

/** The last step: the answer written to the client, from the cache, the handler or an error. */
import type { Request, Response } from 'firebase-functions/v2/https';
import type { CacheLookup } from '../../cache/response-cache';
import { ifNoneMatchMatches } from '../conditional';
import type { BodyStreamReply, BodyWriter, Reply, StreamReply } from '../endpoint';
import { errorBody, toApiError, type ApiError } from '../errors';
import { SseWriter } from '../sse';
import type { Admission } from './admit';
import type { PipelineDeps } from './deps';
import type { RequestState } from './log';

type Req = Pick<Request, 'method' | 'headers'>;

function isStream(reply: Reply): reply is StreamReply {
  return typeof (reply as StreamReply).stream === 'function';
}

function isBodyStream(reply: Reply): reply is BodyStreamReply {
  return typeof (reply as BodyStreamReply).body === 'function';
}

/**
 * Sends a JSON answer; a `200` to a `GET` whose `If-None-Match` matches `etag` becomes a `304`
 * without a body (its headers, `ETag` included, are kept). Returns the status sent.
 */
export function sendJson(
  req: Req,
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

/**
 * Marks a cached read (`X-Cache`, and the log line) and, on a HIT, answers with the stored body
 * and headers. Returns whether it answered.
 */
export function sendCacheHit(
  req: Req,
  res: Response,
  lookup: CacheLookup | undefined,
  state: RequestState,
): boolean {
  if (!lookup) return false;
  res.setHeader('X-Cache', lookup.state);
  state.logFields.cache = lookup.state;
  if (lookup.state !== 'HIT') return false;
  for (const [name, value] of Object.entries(lookup.headers ?? {})) res.setHeader(name, value);
  state.status = sendJson(req, res, 200, lookup.body, lookup.headers?.ETag);
  return true;
}

/**
 * Sends the handler's reply: an event stream, a streamed body, or JSON. A cacheable `200` JSON
 * answer after a MISS is stored first, with its headers, for the policy's TTL or the reply's own.
 */
export async function sendReply(
  req: Req,
  res: Response,
  reply: Reply,
  caller: { uid: string },
  admission: Admission,
  state: RequestState,
  deps: Pick<PipelineDeps, 'storeCache'>,
): Promise<void> {
  if (isStream(reply)) {
    state.status = 200;
    await sendStream(res, reply, state.requestId);
    return;
  }
  if (isBodyStream(reply)) {
    state.status = reply.status ?? 200;
    await sendBodyStream(res, reply, state.status);
    return;
  }
  state.status = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  const { cache, cacheField, lookup } = admission;
  const ttlSeconds = reply.cacheTtlSeconds ?? cache?.ttlSeconds ?? 0;
  if (cache && lookup?.generation !== undefined && state.status === 200 && ttlSeconds > 0) {
    await deps.storeCache(caller.uid, cache.scope, cacheField, lookup.generation, ttlSeconds, {
      body: reply.body,
      ...(reply.headers ? { headers: reply.headers } : {}),
    });
  }
  state.status = sendJson(req, res, state.status, reply.body, reply.headers?.ETag);
}

/**
 * Answers with the error body, its status and headers. After the headers are out (a stream that
 * failed), the response is only ended. `Cache-Control` stays only on an error from after
 * admission (it was set for the authenticated answer).
 */
export function sendError(res: Response, error: ApiError, state: RequestState): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (state.rateLimit === undefined) res.removeHeader('Cache-Control');
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(errorBody(error, state.requestId));
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

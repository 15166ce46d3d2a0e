/**
 * The Upstash REST protocol over node:http(s) with a keep-alive agent, as the `Requester` of the
 * real @upstash/redis client (commands, pipelines, scripts and @upstash/ratelimit all stay the
 * SDK's).
 *
 * Why not the SDK's own transport: it calls the global `fetch` (undici, web streams), which in a
 * Functions Framework process (every promise tracked by the framework's per-request `domain`)
 * cost about 4x the CPU of a node:http request per round trip (measured: dev/bench/mix.ts, and
 * a CPU profile of a cached moodGet, where undici and web streams were the largest share after
 * the runtime itself). A cached read is one round trip, so this is most of what it costs us.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis';
import { deadlineSignal } from '../util/deadline';

export interface NodeRequesterOptions {
  /** The REST endpoint, e.g. `https://eu1-example.upstash.io`. */
  url: string;
  /** The REST token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Deadline of one round trip in ms, after which it is aborted (the SDK's `signal`). */
  timeoutMs: number;
}

/** A round trip the Upstash endpoint answered with a non-2xx status or a body that is not JSON. */
export class UpstashHttpError extends Error {
  override readonly name = 'UpstashHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Builds a `Requester`: one POST of the command (or pipeline) as JSON to `url/<path>`, the
 * response's JSON returned as is (`{ result, error }` or an array of them). Values travel as
 * plain JSON strings (no `Upstash-Encoding: base64`): everything Stilla stores is UTF-8 text.
 * No retries here: Redis is an accelerator, and `redisCall` falls back on any failure.
 */
export function nodeRequester(options: NodeRequesterOptions): Requester {
  const base = new URL(options.url.replace(/\/+$/, ''));
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, scheduling: 'lifo' })
    : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
  const send = secure ? httpsRequest : httpRequest;
  const authorization = `Bearer ${options.token}`;
  const basePath = base.pathname === '/' ? '' : base.pathname;

  return {
    readYourWrites: false,
    request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const body = JSON.stringify(req.body);
      const path = `${basePath}/${(req.path ?? []).map(encodeURIComponent).join('/')}`;
      // The deadline does not count stalls of this process (see startDeadlineTimer).
      const deadline = deadlineSignal(options.timeoutMs);
      return new Promise<UpstashResponse<TResult>>((resolve, reject) => {
        const outgoing = send(
          {
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port,
            path,
            method: 'POST',
            agent,
            headers: {
              Authorization: authorization,
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            },
            signal: deadline.signal,
          },
          (response) => readJson<TResult>(response).then(resolve, reject),
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      }).finally(deadline.clear);
    },
  };
}

function readJson<TResult>(
  response: IncomingMessage,
): Promise<UpstashResponse<TResult>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      const status = response.statusCode ?? 0;
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        reject(new UpstashHttpError(status, `Upstash answered ${status} with a body that is not JSON`));
        return;
      }
      if (status < 200 || status >= 300) {
        const error = (parsed as { error?: unknown } | null)?.error;
        reject(new UpstashHttpError(status, `Upstash answered ${status}: ${String(error)}`));
        return;
      }
      resolve(parsed as UpstashResponse<TResult>);
    });
  });
}

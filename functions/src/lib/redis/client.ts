/**
 * The instance's one Upstash Redis client. Every call has a deadline (`REDIS_TIMEOUT_MS`) and no
 * retries: Redis is an accelerator here, so a slow or dead Redis costs a request at most one
 * timeout, after which the circuit skips it for a few seconds.
 */
import { Redis } from '@upstash/redis';
import {
  REDIS_TIMEOUT_MS,
  UPSTASH_REDIS_REST_TOKEN,
  UPSTASH_REDIS_REST_URL,
} from '../config/params';
import { Circuit } from './circuit';
import { withDeadline } from '../util/deadline';

export const redisCircuit = new Circuit('redis');

let client: { key: string; redis: Redis } | undefined;

/** The Redis client, or `null` when Redis is not configured (URL or token empty). */
export function getRedis(): Redis | null {
  const url = UPSTASH_REDIS_REST_URL.value();
  const token = UPSTASH_REDIS_REST_TOKEN.value();
  if (!url || !token) return null;
  const key = `${url}\n${token}`;
  if (!client || client.key !== key) {
    const timeoutMs = REDIS_TIMEOUT_MS.value();
    client = {
      key,
      redis: new Redis({
        url,
        token,
        retry: { retries: 0 },
        // A function, so each HTTP request gets a fresh deadline (a shared signal stays aborted).
        signal: () => AbortSignal.timeout(timeoutMs),
        enableTelemetry: false,
        enableAutoPipelining: true,
        // Commands of one tick travel in one pipeline; keys are ours alone, no sync token needed.
        readYourWrites: false,
      }),
    };
  }
  return client.redis;
}

/** Whether a request should try Redis now: configured and the circuit closed. */
export function usableRedis(): Redis | null {
  const redis = getRedis();
  return redis && !redisCircuit.isOpen() ? redis : null;
}

/**
 * Bounds one Redis call by `REDIS_TIMEOUT_MS` (plus a little, so the client's own abort
 * normally fires first), covering also the auto-pipeline's wait before the request is sent.
 */
export function withRedisDeadline<T>(promise: Promise<T>, operation: string): Promise<T> {
  return withDeadline(promise, REDIS_TIMEOUT_MS.value() + 50, operation);
}

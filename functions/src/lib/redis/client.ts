/**
 * The instance's one Upstash Redis client. Every call has a deadline (`REDIS_TIMEOUT_MS`) and no
 * retries: Redis is an accelerator here, so a slow or dead Redis costs a request at most one
 * timeout, after which the circuit skips it for a few seconds.
 */
import { Redis, type Requester } from '@upstash/redis';
import {
  BENCH_BEFORE,
  REDIS_TIMEOUT_MS,
  UPSTASH_REDIS_REST_TOKEN,
  UPSTASH_REDIS_REST_URL,
} from '../config/params';
import { Circuit } from './circuit';
import { nodeRequester } from './requester';
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
    client = { key, redis: createClient(url, token, REDIS_TIMEOUT_MS.value()) };
  }
  return client.redis;
}

/** A Redis client for one endpoint; every round trip is aborted after `timeoutMs`. */
export function createClient(url: string, token: string, timeoutMs: number): Redis {
  // Benchmark baseline only (BENCH_BEFORE): the SDK's own fetch transport.
  if (BENCH_BEFORE) {
    return new Redis({
      url,
      token,
      retry: { retries: 0 },
      // A function, so each HTTP request gets a fresh deadline (a shared signal stays aborted).
      signal: () => AbortSignal.timeout(timeoutMs),
      enableTelemetry: false,
      enableAutoPipelining: true,
      readYourWrites: false,
    });
  }
  return AutoPipelinedRedis.over(nodeRequester({ url, token, timeoutMs }));
}

/**
 * The SDK turns on auto-pipelining (commands of one tick travel in one round trip) only for the
 * clients it builds itself; over a custom requester it is asked for here, as its constructor does.
 */
class AutoPipelinedRedis extends Redis {
  static over(requester: Requester): Redis {
    return new AutoPipelinedRedis(requester).autoPipeline();
  }
}

/** What {@link redisCaller} needs: the client, the breaker and the deadline. */
export interface RedisCallDependencies {
  /** The client, or `null` when Redis is not configured. */
  redis(): Redis | null;
  circuit: Circuit;
  /** Deadline of one call, in ms. */
  deadlineMs(): number;
}

/** One Redis call under a deadline, through the circuit breaker (see {@link redisCall}). */
export type RedisCall = <T, R>(
  operation: string,
  call: (redis: Redis) => Promise<T>,
  onValue: (value: T) => R,
  fallback: () => R,
) => Promise<R>;

/** Builds {@link redisCall} over the given dependencies (tests pass stand-ins). */
export function redisCaller(deps: RedisCallDependencies): RedisCall {
  return (operation, call, onValue, fallback) => {
    const redis = deps.redis();
    if (!redis || deps.circuit.isOpen()) return Promise.resolve(fallback());
    // `call` runs now, in this tick, so that commands issued together share one pipeline.
    let pending: ReturnType<typeof call>;
    try {
      pending = call(redis);
    } catch (error) {
      pending = Promise.reject(error);
    }
    return withDeadline(pending, deps.deadlineMs(), operation).then(
      (value) => {
        deps.circuit.recordSuccess();
        return onValue(value);
      },
      (error: unknown) => {
        deps.circuit.recordFailure(error);
        return fallback();
      },
    );
  };
}

/**
 * The one way to call Redis on a request's path: `call` is issued at once when Redis is
 * configured and the circuit is closed, and bounded by `REDIS_TIMEOUT_MS` (plus a little, so the
 * client's own abort normally fires first; this also covers the auto-pipeline's wait before the
 * request is sent). Its value goes through `onValue`, and a success closes the circuit. Without
 * Redis, with the circuit open, past the deadline or on any failure (which opens the circuit),
 * the answer is `fallback()`: Redis never fails a request.
 */
export const redisCall: RedisCall = redisCaller({
  redis: getRedis,
  circuit: redisCircuit,
  deadlineMs: () => REDIS_TIMEOUT_MS.value() + 50,
});

/**
 * Sliding-window rate limits on Redis through @upstash/ratelimit, one limiter per bucket created
 * once per instance (so its ephemeral cache works). When Redis is not configured, slow or down,
 * the in-instance {@link MemoryLimiter} decides instead: the request is never failed or held up
 * for more than one Redis deadline because of the limiter.
 */
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { redisCall } from '../redis/client';
import { MemoryLimiter, type LimitResult } from './memory-limiter';

export interface RateLimitRule {
  /** Names the counter, e.g. `moodLog` or `health`; part of the Redis key. */
  bucket: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitOutcome extends LimitResult {
  /** Who decided: Redis, or this instance while Redis was unavailable. */
  source: 'redis' | 'memory';
}

const RATE_LIMIT_PREFIX = 'stilla:rl';

const memory = new MemoryLimiter();
const limiters = new Map<string, { redis: Redis; ratelimit: Ratelimit }>();

function limiterFor(redis: Redis, rule: RateLimitRule): Ratelimit {
  const key = `${rule.bucket}:${rule.limit}:${rule.windowMs}`;
  const cached = limiters.get(key);
  if (cached && cached.redis === redis) return cached.ratelimit;
  const ratelimit = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(rule.limit, `${rule.windowMs} ms`),
    prefix: `${RATE_LIMIT_PREFIX}:${rule.bucket}`,
    // Our own deadline applies (below); the library's would let requests through unlimited.
    timeout: 0,
    analytics: false,
    ephemeralCache: new Map(),
  });
  limiters.set(key, { redis, ratelimit });
  return ratelimit;
}

function fromMemory(rule: RateLimitRule, identifier: string): RateLimitOutcome {
  const result = memory.limit(`${rule.bucket}:${identifier}`, rule.limit, rule.windowMs);
  return { ...result, source: 'memory' };
}

/**
 * Counts one request of `identifier` against `rule`. The Redis command is issued synchronously,
 * so a cache read started in the same tick travels in the same pipeline (one round trip).
 */
export function checkRateLimit(rule: RateLimitRule, identifier: string): Promise<RateLimitOutcome> {
  return redisCall(
    'rate limit',
    (redis) => limiterFor(redis, rule).limit(identifier),
    (result): RateLimitOutcome => ({
      success: result.success,
      limit: result.limit,
      remaining: result.remaining,
      reset: result.reset,
      source: 'redis',
    }),
    () => fromMemory(rule, identifier),
  );
}

/** Seconds until the window frees a request (at least 1 while limited). */
export function secondsUntilReset(outcome: LimitResult, now = Date.now()): number {
  return Math.max(outcome.success ? 0 : 1, Math.ceil((outcome.reset - now) / 1000));
}

/** The contract's `RateLimit-*` headers. */
export function rateLimitHeaders(outcome: LimitResult, now = Date.now()): Record<string, string> {
  return {
    'RateLimit-Limit': String(outcome.limit),
    'RateLimit-Remaining': String(Math.max(0, outcome.remaining)),
    'RateLimit-Reset': String(secondsUntilReset(outcome, now)),
  };
}

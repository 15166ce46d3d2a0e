/**
 * Admission: the rate limit and, for a cacheable read, the cache lookup, in one Redis round trip.
 * A request past its limit is `429`; an invalid one is thrown now, after it has been counted.
 */
import type { Response } from 'firebase-functions/v2/https';
import type { CacheLookup } from '../../cache/response-cache';
import {
  rateLimitHeaders,
  secondsUntilReset,
  type RateLimitRule,
} from '../../ratelimit/limiter';
import type { CachePolicy, EndpointSpec, MethodSpec } from '../endpoint';
import { ApiError } from '../errors';
import type { PipelineDeps } from './deps';
import type { RequestState } from './log';
import type { ParsedInput } from './parse';

const HOUR_MS = 60 * 60 * 1000;

/** Who the request is counted against: the user, or the client IP of a public function. */
export interface Caller {
  uid: string;
  ip: string;
}

export interface Admission {
  /** The cache policy that applies to this request (valid, authenticated, cacheable method). */
  cache: CachePolicy<unknown> | undefined;
  /** The cache field of this request: the function's name and the policy's key. */
  cacheField: string;
  /** The lookup, when the cache applies. */
  lookup: CacheLookup | undefined;
}

/** The limiter's rule of a function: its counter is named after it. */
export function ruleOf(spec: Pick<EndpointSpec, 'name' | 'rateLimit'>): RateLimitRule {
  const { limit, window } = spec.rateLimit;
  return {
    bucket: spec.name,
    limit: limit.value(),
    windowMs: window === 'hour' ? HOUR_MS : 60_000,
  };
}

/**
 * Counts the request against its function's limit and, when the answer may come from the cache,
 * looks it up: both commands are issued in this tick, so they share one pipeline. Sets the
 * `RateLimit-*` headers; throws `429` past the limit, then the validation error if any.
 */
export async function admit(
  spec: Pick<EndpointSpec, 'name' | 'auth' | 'rateLimit'>,
  methodSpec: Pick<MethodSpec<unknown, unknown>, 'cache'>,
  caller: Caller,
  input: ParsedInput,
  res: Pick<Response, 'setHeader'>,
  state: RequestState,
  deps: Pick<PipelineDeps, 'checkRateLimit' | 'readCache'>,
): Promise<Admission> {
  const identifier = spec.auth === 'user' ? caller.uid : `ip:${caller.ip}`;
  const cache = input.invalid === undefined && caller.uid ? methodSpec.cache : undefined;
  const cacheField = cache ? `${spec.name}:${cache.key(input.query)}` : '';
  const [limited, lookup] = await Promise.all([
    deps.checkRateLimit(ruleOf(spec), identifier),
    cache
      ? deps.readCache(caller.uid, cache.scope, cacheField)
      : Promise.resolve<CacheLookup | undefined>(undefined),
  ]);
  state.rateLimit = limited;
  state.logFields.rateLimit = { remaining: limited.remaining, source: limited.source };
  for (const [name, value] of Object.entries(rateLimitHeaders(limited))) res.setHeader(name, value);
  if (!limited.success) {
    throw new ApiError('rate_limited', 'Too many requests. Try again later.', {
      headers: { 'Retry-After': String(secondsUntilReset(limited)) },
    });
  }
  if (input.invalid !== undefined) throw input.invalid;
  return { cache, cacheField, lookup };
}

/** Who is calling: the verified user, and the client IP that failed authentications count against. */
import type { Request } from 'firebase-functions/v2/https';
import { singleAuthorization } from '../../auth/authenticate';
import { AUTH_FAILURE_RATE_LIMIT_PER_HOUR } from '../../config/params';
import { rateLimitHeaders, secondsUntilReset } from '../../ratelimit/limiter';
import type { EndpointSpec } from '../endpoint';
import { ApiError } from '../errors';
import type { PipelineDeps } from './deps';

const HOUR_MS = 60 * 60 * 1000;

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

/**
 * The verified user id of a function with `auth: 'user'` (`''` for a public one). A failed
 * authentication (`401`) is counted against the client IP, and past that limit answered `429`.
 */
export async function authenticateCaller(
  spec: Pick<EndpointSpec, 'auth'>,
  req: Pick<Request, 'rawHeaders' | 'headers' | 'socket'>,
  deps: Pick<PipelineDeps, 'authenticate' | 'checkRateLimit'>,
): Promise<string> {
  if (spec.auth !== 'user') return '';
  try {
    return (await deps.authenticate(singleAuthorization(req.rawHeaders ?? []))).uid;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthenticated') {
      await limitAuthFailures(clientIp(req), deps);
    }
    throw error;
  }
}

/** Counts a failed authentication against the client IP; past the limit the answer is `429`. */
async function limitAuthFailures(
  ip: string,
  deps: Pick<PipelineDeps, 'checkRateLimit'>,
): Promise<void> {
  const outcome = await deps.checkRateLimit(
    { bucket: 'authfail', limit: AUTH_FAILURE_RATE_LIMIT_PER_HOUR.value(), windowMs: HOUR_MS },
    `ip:${ip}`,
  );
  if (!outcome.success) {
    throw new ApiError('rate_limited', 'Too many failed sign-in attempts. Try again later.', {
      headers: { 'Retry-After': String(secondsUntilReset(outcome)), ...rateLimitHeaders(outcome) },
    });
  }
}

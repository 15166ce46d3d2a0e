/** What the request pipeline needs from the outside world; tests pass stand-ins. */
import { authenticate } from '../../auth/authenticate';
import { readCache, storeCache } from '../../cache/response-cache';
import { reportError } from '../../monitoring/sentry';
import { checkRateLimit } from '../../ratelimit/limiter';

export interface PipelineDeps {
  authenticate(authorization: string | undefined): Promise<{ uid: string }>;
  checkRateLimit: typeof checkRateLimit;
  readCache: typeof readCache;
  storeCache: typeof storeCache;
  reportError: typeof reportError;
}

export const DEFAULT_DEPS: PipelineDeps = {
  authenticate,
  checkRateLimit,
  readCache,
  storeCache,
  reportError,
};

import * as authV1 from 'firebase-functions/v1/auth';
import type { DeploymentOptions } from 'firebase-functions/v1';
import { REGION } from '../lib/http/endpoint';
import { CACHE_SCOPES, invalidateCache } from '../lib/cache/response-cache';
import { UPSTASH_REDIS_REST_TOKEN } from '../lib/config/params';
import { logger } from '../lib/log/logger';
import { eraseAccount } from '../data/account';

/**
 * `functions.region(...).runWith(...).auth.user()` without loading `firebase-functions/v1`'s
 * index, which pulls every 1st-gen provider (Firestore's among them) into the cold start of
 * every function. The deploy manifest is pinned by index.test.ts, so a change of this internal
 * entry in a firebase-functions update fails the tests, not the deploy.
 */
const userEvents = (
  authV1 as unknown as {
    _userWithOptions(options: DeploymentOptions, userOptions: object): authV1.UserBuilder;
  }
)._userWithOptions(
  { regions: [REGION], secrets: [UPSTASH_REDIS_REST_TOKEN], timeoutSeconds: 300 },
  {},
);

/**
 * Erases a user's data when their Firebase Auth account is deleted, as Firebase's Delete User
 * Data extension does: the same erase as `DELETE account`. Auth `onDelete` exists only as a
 * 1st-gen trigger. A failure throws, so the event is retried when retries are enabled.
 */
export const eraseOnUserDeleted = userEvents.onDelete(async (user) => {
  await eraseAccount(user.uid);
  await invalidateCache(user.uid, CACHE_SCOPES);
  logger.info('account erased after auth deletion');
});

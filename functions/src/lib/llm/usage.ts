/**
 * Model tokens spent per user per UTC day, in Firestore at `users/{uid}/usage/{YYYY-MM-DD}`
 * (`totalTokens`, added to with `FieldValue.increment` so concurrent calls never lose a count).
 * Every model call counts here; the chat's daily budget and the weekly analysis read the same
 * counter.
 */
import { AI_DAILY_TOKEN_BUDGET } from '../config/params';
import { firestoreOp } from '../firestore/db';
import { usageDocPath } from '../firestore/paths';
import { describeError } from '../log/describe-error';
import { logger } from '../log/logger';

/** How long a day's counter is kept (`expireAt`, for a Firestore TTL policy on `usage`). */
const USAGE_RETENTION_DAYS = 90;
/** Recording usage must never hold a response for long: it runs after the model has answered. */
const RECORD_TIMEOUT_MS = 1_500;

/** The UTC day of `now` as `YYYY-MM-DD`, the id of that day's counter. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A user's standing against the daily token budget. */
export interface TokenBudget {
  /** The UTC day (`YYYY-MM-DD`) the figures are for. */
  day: string;
  /** `AI_DAILY_TOKEN_BUDGET` (default 100 000). */
  limit: number;
  used: number;
  /** `limit - used`, never below 0. */
  remaining: number;
  /** True once `used >= limit`: no further model call today. */
  exhausted: boolean;
  /** Seconds until the budget resets (next UTC midnight), for `Retry-After`. */
  resetsInSeconds: number;
}

/** The budget standing for `used` tokens out of `limit` on the UTC day of `now` (pure). */
export function evaluateTokenBudget(
  used: number,
  limit: number,
  now: Date = new Date(),
): TokenBudget {
  const nextMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return {
    day: utcDay(now),
    limit,
    used,
    remaining: Math.max(0, limit - used),
    exhausted: used >= limit,
    resetsInSeconds: Math.max(1, Math.ceil((nextMidnight - now.getTime()) / 1000)),
  };
}

/**
 * Tokens the user has spent on the UTC day of `now` (0 when nothing is recorded). Throws
 * `503 unavailable` like every {@link firestoreOp} when Firestore is unreachable.
 */
export async function tokensUsedToday(uid: string, now: Date = new Date()): Promise<number> {
  return firestoreOp('read token usage', async (db) => {
    const snapshot = await db.doc(usageDocPath(uid, utcDay(now))).get();
    const total: unknown = snapshot.get('totalTokens');
    return typeof total === 'number' && Number.isFinite(total) ? total : 0;
  });
}

/**
 * The user's standing against `AI_DAILY_TOKEN_BUDGET` today. One document read. Throws like
 * {@link tokensUsedToday}.
 */
export async function checkTokenBudget(uid: string, now: Date = new Date()): Promise<TokenBudget> {
  const used = await tokensUsedToday(uid, now);
  return evaluateTokenBudget(used, AI_DAILY_TOKEN_BUDGET.value(), now);
}

/**
 * Adds `totalTokens` to the user's counter for the UTC day of `now`. Never throws: a lost count
 * must not fail a request whose answer is already there (it is logged instead). Returns whether
 * the count was stored.
 */
export async function recordTokenUsage(
  uid: string,
  totalTokens: number,
  now: Date = new Date(),
): Promise<boolean> {
  if (!(totalTokens > 0)) return true;
  try {
    await firestoreOp(
      'record token usage',
      async (db) => {
        const { FieldValue, Timestamp } = await import('firebase-admin/firestore');
        const day = utcDay(now);
        const expireAt = new Date(`${day}T00:00:00.000Z`);
        expireAt.setUTCDate(expireAt.getUTCDate() + USAGE_RETENTION_DAYS);
        await db.doc(usageDocPath(uid, day)).set(
          {
            totalTokens: FieldValue.increment(Math.round(totalTokens)),
            calls: FieldValue.increment(1),
            updatedAt: FieldValue.serverTimestamp(),
            expireAt: Timestamp.fromDate(expireAt),
          },
          { merge: true },
        );
      },
      RECORD_TIMEOUT_MS,
    );
    return true;
  } catch (error) {
    logger.warn('token usage not recorded', {
      tokens: totalTokens,
      error: describeError(error),
    });
    return false;
  }
}

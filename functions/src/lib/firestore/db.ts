/**
 * The instance's Firestore client, loaded on first use so that functions which never touch
 * Firestore (and cold starts that serve `health` from cache) do not pay for gRPC. Every
 * operation goes through {@link firestoreOp}: a deadline, and a `503` when Firestore is
 * unreachable, instead of a hung request or a `500`.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { FIRESTORE_TIMEOUT_MS } from '../config/params';
import { DeadlineExceededError, withDeadline } from '../util/deadline';
import { ApiError, unavailable } from '../http/errors';

let instance: Promise<Firestore> | undefined;

/** The Firestore client (created once per instance). */
export function firestore(): Promise<Firestore> {
  instance ??= (async () => {
    const { getApps, initializeApp } = await import('firebase-admin/app');
    const { getFirestore } = await import('firebase-admin/firestore');
    const app = getApps()[0] ?? initializeApp();
    const db = getFirestore(app);
    db.settings({ ignoreUndefinedProperties: true });
    return db;
  })();
  return instance;
}

/** gRPC status codes that mean "Firestore is not reachable or overloaded right now". */
const UNAVAILABLE_CODES = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */,
]);

/**
 * Runs one Firestore operation with a deadline. ApiErrors thrown inside pass through;
 * unavailability becomes `503 unavailable` with `Retry-After`.
 */
export async function firestoreOp<T>(
  operation: string,
  fn: (db: Firestore) => Promise<T>,
  timeoutMs = FIRESTORE_TIMEOUT_MS.value(),
): Promise<T> {
  try {
    const db = await firestore();
    return await withDeadline(fn(db), timeoutMs, `firestore ${operation}`);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof DeadlineExceededError || isUnavailable(error)) {
      throw unavailable('The database is unavailable. Try again shortly.', 5, error);
    }
    throw error;
  }
}

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && UNAVAILABLE_CODES.has(code);
}

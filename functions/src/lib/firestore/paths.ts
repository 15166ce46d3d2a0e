/**
 * Every Firestore path of Stilla, and the only place one is built (lib/ sits under every layer
 * that touches Firestore, so all of them can import it). Everything of a user is under
 * `users/{uid}`, so a query can only reach another user's data through a path built from
 * another uid, and the uid only ever comes from the verified token.
 */
export const userPath = (uid: string): string => `users/${uid}`;
export const moodsPath = (uid: string): string => `users/${uid}/moods`;
export const chatSessionsPath = (uid: string): string => `users/${uid}/chatSessions`;
export const chatSessionPath = (uid: string, sessionId: string): string =>
  `users/${uid}/chatSessions/${sessionId}`;
export const chatMessagesPath = (uid: string, sessionId: string): string =>
  `users/${uid}/chatSessions/${sessionId}/messages`;
/** One document per budget month: `users/{uid}/allocations/{YYYY-MM}`. */
export const allocationsPath = (uid: string): string => `users/${uid}/allocations`;
export const allocationMonthPath = (uid: string, month: string): string =>
  `users/${uid}/allocations/${month}`;
/** A user's model-token counter of one UTC day: `users/{uid}/usage/{YYYY-MM-DD}`. */
export const usageDocPath = (uid: string, day: string): string => `users/${uid}/usage/${day}`;
/** A user's idempotency records (under the user, so an account erase takes them). */
export const idempotencyPath = (uid: string): string => `users/${uid}/idempotency`;
/** A document that never exists: `health` reads it to prove Firestore answers. */
export const HEALTH_PROBE_PATH = '_health/probe';

/**
 * Where a user's data lives. Everything of a user is under `users/{uid}`, so a query can only
 * reach another user's data through a path built from another uid, and the uid only ever
 * comes from the verified token.
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

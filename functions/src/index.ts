/**
 * Every Cloud Function of Stilla. Each lives in its own file under endpoints/, and each file is
 * loaded only when its export is first read: an instance serves one function (the Functions
 * Framework reads only its target's export), so it loads only that function's code, while
 * `firebase deploy` and the tests, which read every export, still see them all. Modules that are
 * heavy to load (Firestore's gRPC stack, openai, Sentry) are imported on first use on top of that.
 */
import { installRuntimeErrorHandler } from './lib/http/runtime-errors';
import type * as Account from './endpoints/account';
import type * as AiChat from './endpoints/aiChat';
import type * as AiHistory from './endpoints/aiHistory';
import type * as Allocations from './endpoints/allocations';
import type * as EraseOnUserDeleted from './endpoints/eraseOnUserDeleted';
import type * as Health from './endpoints/health';
import type * as MoodGet from './endpoints/moodGet';
import type * as MoodLog from './endpoints/moodLog';
import type * as WeeklyAnalysis from './endpoints/weeklyAnalysis';

export declare const health: typeof Health.health;
export declare const moodLog: typeof MoodLog.moodLog;
export declare const moodGet: typeof MoodGet.moodGet;
export declare const weeklyAnalysis: typeof WeeklyAnalysis.weeklyAnalysis;
export declare const aiChat: typeof AiChat.aiChat;
export declare const aiHistory: typeof AiHistory.aiHistory;
export declare const allocations: typeof Allocations.allocations;
export declare const account: typeof Account.account;
export declare const eraseOnUserDeleted: typeof EraseOnUserDeleted.eraseOnUserDeleted;

// Now, not with the first endpoint: the Functions emulator builds its Express app before it
// reads an export, and the handler must be in place by then (see runtime-errors.ts).
installRuntimeErrorHandler();

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first read, see above */
const loaders: Record<string, () => unknown> = {
  health: () => (require('./endpoints/health') as typeof Health).health,
  moodLog: () => (require('./endpoints/moodLog') as typeof MoodLog).moodLog,
  moodGet: () => (require('./endpoints/moodGet') as typeof MoodGet).moodGet,
  weeklyAnalysis: () =>
    (require('./endpoints/weeklyAnalysis') as typeof WeeklyAnalysis).weeklyAnalysis,
  aiChat: () => (require('./endpoints/aiChat') as typeof AiChat).aiChat,
  aiHistory: () => (require('./endpoints/aiHistory') as typeof AiHistory).aiHistory,
  allocations: () => (require('./endpoints/allocations') as typeof Allocations).allocations,
  account: () => (require('./endpoints/account') as typeof Account).account,
  eraseOnUserDeleted: () =>
    (require('./endpoints/eraseOnUserDeleted') as typeof EraseOnUserDeleted).eraseOnUserDeleted,
};
for (const [name, load] of Object.entries(loaders)) {
  Object.defineProperty(exports, name, { enumerable: true, get: load });
}

// Benchmark baseline only (dev/bench/cold-start.ts): load every heavy module at start, as a
// codebase without lazy loading would, to measure what lazy loading saves.
if (process.env.STILLA_EAGER_LOAD === '1') {
  for (const load of Object.values(loaders)) load();
  require('firebase-admin/firestore');
  require('openai');
  require('@sentry/google-cloud-serverless');
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Every Cloud Function of Stilla. Each lives in its own file under endpoints/; modules that are
 * heavy to load (Firestore's gRPC stack, openai, Sentry) are imported on first use, so an
 * instance only pays for what its function touches.
 */
export { health } from './endpoints/health';
export { moodLog } from './endpoints/moodLog';
export { moodGet } from './endpoints/moodGet';
export { weeklyAnalysis } from './endpoints/weeklyAnalysis';
export { aiChat } from './endpoints/aiChat';
export { aiHistory } from './endpoints/aiHistory';
export { allocations } from './endpoints/allocations';
export { account } from './endpoints/account';
export { eraseOnUserDeleted } from './endpoints/eraseOnUserDeleted';

// Benchmark baseline only (dev/bench/cold-start.ts): load every heavy module at start, as a
// codebase without lazy loading would, to measure what lazy loading saves.
if (process.env.STILLA_EAGER_LOAD === '1') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('firebase-admin/firestore');
  require('openai');
  require('@sentry/google-cloud-serverless');
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Every Cloud Function of Stilla. Each lives in its own file under endpoints/; modules that are
 * heavy to load (Firestore's gRPC stack, openai, Sentry) are imported on first use, so an
 * instance only pays for what its function touches.
 */
export { health } from './endpoints/health';
export { moodLog } from './endpoints/moodLog';
export { moodGet } from './endpoints/moodGet';
export { weeklyAnalysis } from './endpoints/weeklyAnalysis';

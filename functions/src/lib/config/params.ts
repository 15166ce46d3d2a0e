/**
 * Every deploy-time setting of Stilla, as firebase-functions params. Values come from
 * `functions/.env.<projectId>` (and `.env.local` in the emulator), secrets from Secret Manager
 * (`.secret.local` or the environment in the emulator). `.value()` is only read at request time.
 * The settings every function shares are here; a function's own (its rate limit) is declared in
 * its endpoint file. The table in README.md lists them all.
 */
import { defineInt, defineSecret, defineString } from 'firebase-functions/params';

/** OpenAI (or compatible) API key. Unset: the AI features answer from built-in fallbacks. */
export const OPENAI_API_KEY = defineSecret('OPENAI_API_KEY');
/** Upstash Redis REST token. Unset or unreachable: rate limits fall back per instance, no cache. */
export const UPSTASH_REDIS_REST_TOKEN = defineSecret('UPSTASH_REDIS_REST_TOKEN');
/** Sentry DSN. Unset: Sentry is never loaded. */
export const SENTRY_DSN = defineSecret('SENTRY_DSN');

export const UPSTASH_REDIS_REST_URL = defineString('UPSTASH_REDIS_REST_URL', {
  default: '',
  description: 'Upstash Redis REST URL; empty disables Redis (rate limits per instance, no cache).',
});
export const OPENAI_BASE_URL = defineString('OPENAI_BASE_URL', {
  default: '',
  description: 'Base URL of an OpenAI-compatible API; empty means api.openai.com.',
});
export const OPENAI_MODEL = defineString('OPENAI_MODEL', {
  default: 'gpt-4o-mini',
  description: 'Chat model used for insights and chat.',
});
export const OPENAI_MODERATION_MODEL = defineString('OPENAI_MODERATION_MODEL', {
  default: 'omni-moderation-latest',
  description: 'Moderation model that double-checks chat messages; empty disables it.',
});
export const CORS_ALLOWED_ORIGINS = defineString('CORS_ALLOWED_ORIGINS', {
  default: '',
  description: 'Comma-separated origins allowed by CORS, e.g. https://app.stilla.se.',
});
export const AI_DAILY_TOKEN_BUDGET = defineInt('AI_DAILY_TOKEN_BUDGET', {
  default: 100_000,
  description: 'Model tokens one user may spend per UTC day.',
});
export const REDIS_TIMEOUT_MS = defineInt('REDIS_TIMEOUT_MS', {
  default: 250,
  description: 'Deadline of one Redis round trip; past it the request goes on without Redis.',
});
export const FIRESTORE_TIMEOUT_MS = defineInt('FIRESTORE_TIMEOUT_MS', {
  default: 5_000,
  description: 'Deadline of one Firestore operation; past it the request answers 503.',
});

// Each function's own request limit (RATE_LIMIT_<FUNCTION>_PER_HOUR, RATE_LIMIT_HEALTH_PER_MINUTE)
// is declared in its endpoint file, beside the definition that uses it.

/** Per-IP limit of requests that fail authentication. */
export const AUTH_FAILURE_RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_AUTH_FAILURES_PER_HOUR', {
  default: 300,
});

/** True inside the Firebase emulator suite (set by firebase-tools, never in production). */
export function isEmulator(): boolean {
  return process.env.FUNCTIONS_EMULATOR === 'true';
}

/**
 * Benchmark baseline only: dev/bench/mix.ts sets STILLA_BENCH_BEFORE=1 for one process, which
 * then runs the code paths from before the CPU work of issue 13 (the Upstash SDK's fetch
 * transport, every token verified), to show that work's effect in the same run. Read once, at
 * load, so the request path does not look it up.
 */
export const BENCH_BEFORE = process.env.STILLA_BENCH_BEFORE === '1';

/** The Firebase project id (set by the runtime and the emulator). */
export function projectId(): string {
  return process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT ?? 'demo-stilla';
}

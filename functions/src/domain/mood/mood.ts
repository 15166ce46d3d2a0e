/** The mood entry as the API shows it, and the rules of a mood request (pure). */
import { createHash } from 'node:crypto';

export interface Mood {
  id: string;
  score: number;
  note: string | null;
  tags: string[];
  recordedAt: string;
  createdAt: string;
}

/** A validated, normalised moodLog request (before defaults are applied). */
export interface MoodInput {
  score: number;
  note: string | null;
  tags: string[];
  /** As the client sent it (normalised to ISO UTC), or null for "now". */
  recordedAt: string | null;
}

/** How far ahead of the server clock `recordedAt` may be. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Fingerprint of a request for idempotency: the same key with the same body replays, with a
 * different body conflicts. Computed over the normalised input without defaults, so a retry of
 * a request that omitted `recordedAt` still matches.
 */
export function requestFingerprint(input: MoodInput): string {
  const canonical = JSON.stringify([input.score, input.note, input.tags, input.recordedAt]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The document id of an entry created under an idempotency key: derived from the user and
 * the key, so concurrent retries all try to create the same document and only one can.
 */
export function idempotentMoodId(uid: string, key: string): string {
  return `k_${createHash('sha256').update(`${uid}\n${key}`).digest('base64url').slice(0, 27)}`;
}

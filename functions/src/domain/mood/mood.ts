/** The mood entry as the API shows it, and the rules of a mood request (pure). */
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

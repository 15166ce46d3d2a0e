/** Languages the safety screen has phrase lists, resources and replies for. */
export type SafetyLanguage = 'en' | 'sv';

/** How worried we are: `crisis` bypasses the chat model and shows crisis resources. */
export type SafetyLevel = 'none' | 'elevated' | 'crisis';

/** A place to get help, as sent to clients (contract `Resource`). */
export interface Resource {
  name: string;
  phone?: string;
  url?: string;
}

/** The outcome of screening one text. */
export interface SafetyAssessment {
  level: SafetyLevel;
  /** Empty when `level` is `none`; the gentle set for `elevated`; the full set for `crisis`. */
  resources: Resource[];
  /**
   * Ids of the rules that fired, in rule-table order, never the user's text. A crisis rule that
   * only fired about the past carries the suffix `:past`; moderation adds `moderation.*` ids.
   */
  matched: string[];
}

/** The self-harm part of a moderation model's verdict; `null` when no moderation ran. */
export interface ModerationResult {
  flagged: boolean;
  selfHarm: boolean;
  selfHarmIntent: boolean;
  selfHarmInstructions: boolean;
}

const LEVEL_RANK: Record<SafetyLevel, number> = { none: 0, elevated: 1, crisis: 2 };

/** The more serious of two levels. */
export function maxLevel(a: SafetyLevel, b: SafetyLevel): SafetyLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** How worried we are: `crisis` bypasses the chat model and shows crisis resources. */
export type SafetyLevel = 'none' | 'elevated' | 'crisis';

/** A place to get help, as sent to clients (contract `Resource`). */
export interface Resource {
  name: string;
  phone?: string;
  url?: string;
}

/**
 * The crisis categories of the Columbia Suicide Severity Rating Scale that the screen reports
 * (ids as in functions/src/domain/safety/corpus/CATEGORIES.md).
 */
export const CRISIS_CATEGORIES = [
  'wish_dead',
  'nonspecific_ideation',
  'active_ideation',
  'method',
  'intent',
  'plan',
  'preparatory',
  'attempt',
  'nssi',
] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

/** What a rule is about: a crisis category, strong distress, or someone else's risk. */
export type RuleCategory = CrisisCategory | 'distress' | 'others';

/** The outcome of screening one text. */
export interface SafetyAssessment {
  level: SafetyLevel;
  /** Empty when `level` is `none`; the gentle set for `elevated`; the full set for `crisis`. */
  resources: Resource[];
  /**
   * Ids of the rules that fired, in rule-table order, never the user's text: `<lang>.<category>.<name>`
   * with the C-SSRS category (`en.wish_dead.better_off_dead`). A crisis rule that only fired about
   * the past carries the suffix `:past`; a crisis found by the statistical model alone is
   * `model.<category>`; moderation adds `moderation.*` ids.
   */
  matched: string[];
}

/** The self-harm part of a moderation model's verdict (lib/llm/moderation asks the model). */
export type { ModerationResult } from '../../lib/llm/moderation';

const LEVEL_RANK: Record<SafetyLevel, number> = { none: 0, elevated: 1, crisis: 2 };

/** The more serious of two levels. */
export function maxLevel(a: SafetyLevel, b: SafetyLevel): SafetyLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

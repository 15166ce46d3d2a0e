/**
 * The insights of a weekly analysis: the language model's, when it answers in time with
 * something that fits the schema; otherwise the built-in fallback in the same language. The
 * model call is passed in (the endpoint gives `completeStructured`), so this stays free of I/O
 * and is tested with stand-ins.
 */
import type { LlmFailureReason, LlmResult } from '../../lib/llm/result';
import type { StructuredRequest } from '../../lib/llm/structured';
import type { Language } from '../../lib/language';
import { fallbackInsights, type Insights } from './fallback';
import {
  buildInsightsPrompt,
  INSIGHTS_SCHEMA_NAME,
  insightsJsonSchema,
  insightsSchema,
  type ModelInsights,
} from './prompt';
import type { PreviousWeekSummary, WeeklyStats } from './stats';

/**
 * Time the model gets for the insights, retries included. The whole analysis must answer within
 * a few seconds even when the model hangs: the two Firestore queries take tens of ms, a small
 * model writes these ~150 tokens in ~1-2 s, and 2.5 s still leaves room for SDK retries after a
 * fast 429 or 5xx (backoff ~0.5 s, then ~1 s).
 */
export const INSIGHTS_DEADLINE_MS = 2_500;
/** Room for a summary and five suggestions at their maximum lengths, in any language. */
const INSIGHTS_MAX_OUTPUT_TOKENS = 900;

/** The contract's `insights`. */
export interface WeeklyInsights extends Insights {
  source: 'ai' | 'fallback';
}

/** A structured model call, as `completeStructured` makes it. */
export type GenerateStructured = (
  request: StructuredRequest<ModelInsights>,
) => Promise<LlmResult<ModelInsights>>;

export interface WeeklyInsightsInput {
  /** Whose token budget pays for the call. */
  uid: string;
  stats: WeeklyStats;
  previousWeek: PreviousWeekSummary;
  language: Language;
  /** Aborted when the HTTP client goes away: the model call is cancelled with it. */
  signal?: AbortSignal;
}

export interface WeeklyInsightsOutcome {
  insights: WeeklyInsights;
  /** Why the fallback was used; `null` when the model's insights are served. */
  fallbackReason: LlmFailureReason | null;
}

/**
 * Insights for a week. Never throws: with no model, a failing or slow one (past
 * {@link INSIGHTS_DEADLINE_MS}), an exhausted token budget, or a malformed answer, the insights
 * are {@link fallbackInsights}, marked `source: 'fallback'`.
 */
export async function weeklyInsights(
  input: WeeklyInsightsInput,
  generate: GenerateStructured,
): Promise<WeeklyInsightsOutcome> {
  const fallback = (reason: LlmFailureReason): WeeklyInsightsOutcome => ({
    insights: {
      ...fallbackInsights(input.stats, input.previousWeek, input.language),
      source: 'fallback',
    },
    fallbackReason: reason,
  });
  // Only aggregates and tag names go into the prompt (buildInsightsPrompt never sees notes).
  const prompt = buildInsightsPrompt(input.stats, input.previousWeek, input.language);
  let result: LlmResult<ModelInsights>;
  try {
    result = await generate({
      uid: input.uid,
      purpose: 'weekly-insights',
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      schema: insightsSchema,
      jsonSchema: insightsJsonSchema,
      schemaName: INSIGHTS_SCHEMA_NAME,
      deadlineMs: INSIGHTS_DEADLINE_MS,
      maxOutputTokens: INSIGHTS_MAX_OUTPUT_TOKENS,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch {
    // The model layer promises not to throw; the analysis must not fail even if it ever does.
    return fallback('error');
  }
  if (!result.ok) return fallback(result.reason);
  return {
    insights: {
      summary: result.value.summary,
      suggestions: result.value.suggestions,
      source: 'ai',
    },
    fallbackReason: null,
  };
}

/**
 * The moderation model's self-harm verdict on a text, as a second opinion beside the local
 * safety screen. Best effort by design: with no model configured, past its deadline or on any
 * failure it answers `null`, and the caller goes on with the local screen alone.
 */
import { OPENAI_MODERATION_MODEL } from '../config/params';
import { logger } from '../log/logger';
import { describeError } from '../log/describe-error';
import { llmClient } from './client';

/** The self-harm part of a moderation model's verdict (the safety screen merges it in). */
export interface ModerationResult {
  flagged: boolean;
  selfHarm: boolean;
  selfHarmIntent: boolean;
  selfHarmInstructions: boolean;
}

/** Deadline of one moderation call, retries included (default for callers). */
const MODERATION_DEADLINE_MS = 1_500;

/** The self-harm categories of an OpenAI moderation result (pure). */
export function toModerationResult(result: {
  flagged: boolean;
  categories: Record<string, boolean | null | undefined>;
}): ModerationResult {
  return {
    flagged: result.flagged,
    selfHarm: result.categories['self-harm'] === true,
    selfHarmIntent: result.categories['self-harm/intent'] === true,
    selfHarmInstructions: result.categories['self-harm/instructions'] === true,
  };
}

/** Asks the moderation model about `text`; `null` when it is not configured or fails. */
export async function moderate(
  text: string,
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<ModerationResult | null> {
  const model = OPENAI_MODERATION_MODEL.value().trim();
  if (!model) return null;
  const deadline = AbortSignal.timeout(options.deadlineMs ?? MODERATION_DEADLINE_MS);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  try {
    const client = await llmClient();
    if (!client) return null;
    const response = await client.openai.moderations.create(
      { model, input: text },
      { signal, maxRetries: 1 },
    );
    const first = response.results[0];
    return first
      ? toModerationResult(first as unknown as Parameters<typeof toModerationResult>[0])
      : null;
  } catch (error) {
    // The error's name and message only: the SDK's errors carry no request text.
    logger.warn('moderation unavailable; local screen only', { error: describeError(error) });
    return null;
  }
}

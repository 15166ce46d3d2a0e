/**
 * A tokenizer-free estimate of how many tokens a text costs: about four characters per token for
 * English and Swedish prose (OpenAI's rule of thumb), plus the few tokens of framing every chat
 * message carries. It errs high for short words, which is the safe side for a context budget.
 */

/** Framing tokens of one chat message (role, separators), as in OpenAI's counting guide. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated tokens of `text` (pure). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Estimated tokens of one chat message with content `text`, framing included. */
export function estimateMessageTokens(text: string): number {
  return estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
}

/** Which messages the chat model sees (pure). */
import { estimateMessageTokens } from '../../lib/llm/tokens';
import type { ChatRole } from './types';

/** Tokens of earlier messages (the newest included) sent with each chat call. */
const CONTEXT_TOKEN_BUDGET = 3_000;
/** Messages read from the session to fill the budget (more never fit: 4000-char messages). */
export const CONTEXT_MAX_MESSAGES = 40;

export interface ContextMessage {
  role: ChatRole;
  content: string;
}

export interface ModelMessage {
  role: 'system' | ChatRole;
  content: string;
}

/**
 * The system prompt, then the most recent messages of `history` (chronological, the user's new
 * message last) whose estimated tokens fit `budgetTokens`, in order. The newest message is
 * always sent, even if it alone is over the budget; an empty message (an interrupted reply that
 * never got text) is skipped.
 */
export function buildModelMessages(
  systemPrompt: string,
  history: readonly ContextMessage[],
  budgetTokens: number = CONTEXT_TOKEN_BUDGET,
): ModelMessage[] {
  const picked: ContextMessage[] = [];
  let used = 0;
  for (let index = history.length - 1; index >= 0; index--) {
    const message = history[index] as ContextMessage;
    if (message.content.trim() === '') continue;
    const cost = estimateMessageTokens(message.content);
    if (picked.length > 0 && used + cost > budgetTokens) break;
    picked.push(message);
    used += cost;
  }
  picked.reverse();
  return [
    { role: 'system', content: systemPrompt },
    ...picked.map((m) => ({ role: m.role, content: m.content })),
  ];
}

/** The chat's pure parts: prompt, context, fallbacks, session labels. */
export { buildModelMessages, CONTEXT_MAX_MESSAGES, CONTEXT_TOKEN_BUDGET } from './context';
export type { ContextMessage, ModelMessage } from './context';
export { fallbackContinuation, fallbackReply } from './fallback';
export { chatSystemPrompt } from './prompt';
export {
  messagePreview,
  PREVIEW_MAX_CHARS,
  sessionTitle,
  shorten,
  TITLE_MAX_CHARS,
} from './session';
export type {
  ChatExchange,
  ChatMessage,
  ChatRole,
  ChatSafety,
  ChatSessionSummary,
  ReplySource,
} from './types';

/** The chat's pure parts: prompt, context, fallbacks, session labels. */
export { buildModelMessages, CONTEXT_MAX_MESSAGES } from './context';
export type { ContextMessage } from './context';
export { fallbackContinuation, fallbackReply } from './fallback';
export { chatSystemPrompt } from './prompt';
export { messagePreview, sessionTitle, shorten, TITLE_MAX_CHARS } from './session';
export type {
  ChatExchange,
  ChatMessage,
  ChatRole,
  ChatSafety,
  ChatSessionSummary,
  ReplySource,
} from './types';

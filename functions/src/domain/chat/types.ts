import type { Resource, SafetyLevel } from '../safety';

export type ChatRole = 'user' | 'assistant';
/** Who wrote a reply: the chat model, the built-in fallback, or the safety screen. */
export type ReplySource = 'ai' | 'fallback' | 'safety';

/** A message as clients see it (contract `Message`, plus the reply link). */
export interface ChatMessage {
  id: string;
  role: ChatRole;
  content: string;
  createdAt: string;
  /** On replies: the id of the user message answered. */
  replyTo?: string;
  /** On a reply whose client went away before it was finished and stored whole. */
  interrupted?: true;
}

/** A session as the session list shows it. */
export interface ChatSessionSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  lastMessagePreview: string;
}

export interface ChatSafety {
  level: SafetyLevel;
  resources: Resource[];
}

/** One message and its reply: aiChat's answer, and what a replayed Idempotency-Key returns. */
export interface ChatExchange {
  sessionId: string;
  userMessage: ChatMessage;
  reply: ChatMessage;
  source: ReplySource;
  safety: ChatSafety;
}

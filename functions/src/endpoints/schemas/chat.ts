/** Response schemas of aiChat and aiHistory (docs/openapi.json is generated from them). */
import { z } from 'zod';
import { utcDateTime } from '../../lib/http/schemas';
import { safetySchema } from './mood';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

export const chatMessageSchema = z
  .object({
    id,
    role: z.enum(['user', 'assistant']),
    content: z
      .string()
      .describe(
        'A user message as sent (trimmed); a reply as the client saw it streamed (the `delta` texts concatenated).',
      ),
    createdAt: utcDateTime,
    replyTo: id.optional().describe('Replies only: the id of the user message this reply answers.'),
    interrupted: z
      .literal(true)
      .optional()
      .describe(
        'A reply stored before it was finished because the client went away; replaced by the whole reply when generation completes.',
      ),
  })
  .meta({
    id: 'ChatMessage',
    description:
      'One stored message. Every message is its own record; within a session they are in a strict order assigned by the server (two messages may share a `createdAt`).',
  });

const replySourceSchema = z.enum(['ai', 'fallback', 'safety']).meta({
  id: 'ReplySource',
  description:
    '`ai`: the chat model; `fallback`: the built-in kind reply (model not configured, slow or failing); `safety`: the supportive crisis reply, without the model.',
});

export const chatExchangeSchema = z
  .object({
    sessionId: id,
    userMessage: chatMessageSchema,
    reply: chatMessageSchema,
    source: replySourceSchema,
    safety: safetySchema,
  })
  .meta({ id: 'ChatExchange', description: 'One message and its reply.' });

export const chatSessionSchema = z
  .object({
    id,
    title: z
      .string()
      .describe('The first message on one line, at most 60 characters (cut at a word, with `…`).'),
    createdAt: utcDateTime,
    updatedAt: utcDateTime.describe(
      'When the last message was stored (or the last reply finished).',
    ),
    messageCount: z.int().min(1),
    lastMessagePreview: z
      .string()
      .describe('The last message on one line, at most 120 characters.'),
  })
  .meta({ id: 'ChatSession', description: 'A chat session as the session list shows it.' });

const nextCursor = z
  .string()
  .min(1)
  .nullable()
  .describe('Pass as `cursor` (with the same `sessionId`) for the next page; `null` on the last.');

export const chatSessionPageSchema = z
  .object({ sessions: z.array(chatSessionSchema), nextCursor })
  .meta({
    id: 'ChatSessionPage',
    description: 'Sessions, most recently updated first (ties by `id`, descending).',
  });

export const chatMessagePageSchema = z
  .object({ sessionId: id, messages: z.array(chatMessageSchema), nextCursor })
  .meta({
    id: 'ChatMessagePage',
    description:
      'Messages of one session: the first page holds the newest `limit`, each page is in chronological order, and `nextCursor` leads to older messages.',
  });

export const CHAT_MESSAGE_EXAMPLE = {
  id: 'Xk4rT9bQ2mLp7sVw1yZa',
  role: 'user',
  content: 'I had a rough day at work.',
  createdAt: '2026-11-20T08:30:00.000Z',
};

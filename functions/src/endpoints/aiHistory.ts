import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { queryInt, resourceId } from '../lib/http/schemas';
import { invalidateCache } from '../lib/cache/response-cache';
import { deleteSession, listMessages, listSessions } from '../data/chat';
import { chatMessagePageSchema, chatSessionPageSchema } from './schemas/chat';
import {
  decodeCursor,
  encodeCursor,
  filterFingerprint,
  type CursorPosition,
} from '../domain/mood/cursor';

const DEFAULT_SESSIONS = 20;
const DEFAULT_MESSAGES = 50;

const historyQuery = z.strictObject({
  sessionId: resourceId.optional(),
  limit: queryInt(1, 100).optional(),
  cursor: z.string().min(1).max(2048).optional(),
});

const deleteQuery = z.strictObject({ sessionId: resourceId });

/** What a cursor is bound to: the session list, or one session's messages. */
function filtersOf(sessionId: string | undefined): string {
  return filterFingerprint(sessionId ? { messagesOf: sessionId } : { list: 'sessions' });
}

function cursorPosition(uid: string, filters: string, cursor?: string): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(uid, filters, cursor);
  if (position === null) {
    throw invalidArgument('The cursor is invalid or belongs to a different query.', [
      { path: 'cursor', message: 'Invalid cursor.' },
    ]);
  }
  return position;
}

/** Requests one user may make an hour (the contract's default: 500). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_AIHISTORY_PER_HOUR', { default: 500 });

export const aiHistory = defineEndpoint({
  name: 'aiHistory',
  tag: 'chat',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  methods: {
    GET: method({
      query: historyQuery,
      docs: {
        summary: "List chat sessions, or one session's messages",
        description:
          "Without `sessionId`: the token's user's sessions, most recently updated first (ties by `id`, descending), paged (`limit` 1-100, default 20). With `sessionId`: that session's messages, the newest `limit` (default 50) first, each page in chronological order, `nextCursor` leading to older messages. Another user's or an unknown session is `404`. Unknown or repeated query parameters are `400`. Cached 60 s per user and query; the user's own aiChat send or aiHistory delete makes it stale at once.",
        responses: {
          200: {
            description:
              'One page: `ChatSessionPage` without `sessionId`, `ChatMessagePage` with it.',
            body: z.union([chatSessionPageSchema, chatMessagePageSchema]),
            example: { sessions: [], nextCursor: null },
          },
        },
        errors: ['not_found'],
      },
      cache: {
        scope: 'chat',
        ttlSeconds: 60,
        key: (q) => [q.sessionId ?? '', q.limit ?? '', q.cursor ?? ''].join('|'),
      },
      handler: async ({ uid, query }) => {
        const filters = filtersOf(query.sessionId);
        const position = cursorPosition(uid, filters, query.cursor);
        if (!query.sessionId) {
          const page = await listSessions(uid, {
            limit: query.limit ?? DEFAULT_SESSIONS,
            ...(position ? { after: position } : {}),
          });
          return {
            body: {
              sessions: page.sessions,
              nextCursor: page.next ? encodeCursor(uid, filters, page.next) : null,
            },
          };
        }
        const page = await listMessages(uid, query.sessionId, {
          limit: query.limit ?? DEFAULT_MESSAGES,
          ...(position ? { before: position } : {}),
        });
        return {
          body: {
            sessionId: query.sessionId,
            messages: page.messages,
            nextCursor: page.next ? encodeCursor(uid, filters, page.next) : null,
          },
        };
      },
    }),
    DELETE: method({
      query: deleteQuery,
      docs: {
        summary: 'Delete a chat session',
        description:
          "Deletes the session and every message in it. Another user's or an unknown session is `404`. Makes the user's cached aiHistory answers stale at once.",
        responses: { 204: { description: 'The session and its messages are gone.' } },
        errors: ['not_found'],
      },
      handler: async ({ uid, query }) => {
        await deleteSession(uid, query.sessionId);
        await invalidateCache(uid, ['chat']);
        return { status: 204 };
      },
    }),
  },
});

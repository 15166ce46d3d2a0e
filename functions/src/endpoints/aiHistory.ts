import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { queryInt, resourceId } from '../lib/http/schemas';
import { invalidateCache } from '../lib/cache/response-cache';
import { deleteSession, listMessages, listSessions } from '../data/chat';
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

export const aiHistory = defineEndpoint({
  name: 'aiHistory',
  auth: 'user',
  rateLimit: 'aiHistory',
  methods: {
    GET: method({
      query: historyQuery,
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
      handler: async ({ uid, query }) => {
        await deleteSession(uid, query.sessionId);
        await invalidateCache(uid, ['chat']);
        return { status: 204 };
      },
    }),
  },
});

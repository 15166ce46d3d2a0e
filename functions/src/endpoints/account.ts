import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { CACHE_SCOPES, invalidateCache } from '../lib/cache/response-cache';
import { utcDateTime } from '../lib/http/schemas';
import {
  assertAccountReadable,
  allocationsSection,
  chatSection,
  eraseAccount,
  moodsSection,
  writeAccountExport,
} from '../data/account';
import { chatMessageSchema, chatSessionSchema } from './schemas/chat';
import { moodSchema } from './schemas/mood';
import { allocationMonthSchema } from './schemas/allocations';

/** A uid as a safe file-name part (Firebase uids are already; tokens from elsewhere may not be). */
const fileSafe = (uid: string): string => uid.replace(/[^A-Za-z0-9_-]/g, '_');

const accountExport = z
  .object({
    exportedAt: utcDateTime,
    userId: z.string().min(1),
    moods: z.array(moodSchema).describe('Every mood, oldest `recordedAt` first.'),
    chatSessions: z
      .array(chatSessionSchema.extend({ messages: z.array(chatMessageSchema) }))
      .describe('Every chat session, oldest first, each with all its messages in order.'),
    allocations: z
      .array(allocationMonthSchema)
      .describe('Every budget month, oldest first, as allocations `GET` shows it.'),
  })
  .meta({
    id: 'AccountExport',
    description: 'Everything stored about the user (GDPR Art. 15 and 20).',
  });

/** Requests one user may make an hour (the contract's default: 20). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_ACCOUNT_PER_HOUR', { default: 20 });

export const account = defineEndpoint({
  name: 'account',
  tag: 'account',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  // A large export streams for a while; an erase deletes page by page.
  timeoutSeconds: 300,
  methods: {
    GET: method({
      docs: {
        summary: 'Export everything stored about the user',
        description:
          "The token's user's data as one JSON document, served as a download and streamed as it is read (so an account with years of entries neither times out nor is held in memory). Complete: every record, oldest first. If reading fails after the first byte, the connection is aborted (never a complete-looking truncated document). Rate limit: 20 an hour per user by default.",
        responses: {
          200: {
            description: 'The export, as a JSON attachment.',
            body: accountExport,
            headers: {
              'Content-Disposition': {
                description: '`attachment; filename="stilla-export-<uid>-<YYYY-MM-DD>.json"`.',
                schema: z
                  .string()
                  .regex(/^attachment; filename="stilla-export-[\w-]+-\d{4}-\d{2}-\d{2}\.json"$/),
              },
            },
            example: {
              exportedAt: '2026-11-30T12:00:00.000Z',
              userId: 'Qm3v9XrT1bYc8LdN2eWf',
              moods: [],
              chatSessions: [],
              allocations: [],
            },
          },
        },
      },
      handler: async ({ uid }) => {
        await assertAccountReadable(uid);
        const now = new Date();
        const filename = `stilla-export-${fileSafe(uid)}-${now.toISOString().slice(0, 10)}.json`;
        return {
          contentType: 'application/json; charset=utf-8',
          headers: { 'Content-Disposition': `attachment; filename="${filename}"` },
          body: (out) =>
            writeAccountExport(uid, out, [moodsSection, chatSection, allocationsSection], now),
        };
      },
    }),
    DELETE: method({
      docs: {
        summary: 'Erase everything stored about the user',
        description:
          "Deletes every document under the user (moods, chat sessions and messages, allocations, idempotency records, token usage counters) and makes the user's cached answers stale. Idempotent: a repeat is `204` too. The same erase runs by itself when the user's Firebase Auth account is deleted.",
        responses: { 204: { description: 'Nothing of the user is left.' } },
      },
      handler: async ({ uid }) => {
        await eraseAccount(uid);
        await invalidateCache(uid, CACHE_SCOPES);
        return { status: 204 };
      },
    }),
  },
});

import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { isoDateTime, queryInt } from '../lib/http/schemas';
import { listMoods } from '../data/moods';
import { decodeCursor, encodeCursor, filterFingerprint } from '../domain/mood/cursor';
import { MOOD_EXAMPLE, moodSchema, tagInput } from './schemas/mood';

const DEFAULT_LIMIT = 20;

const moodGetQuery = z
  .strictObject({
    limit: queryInt(1, 100).optional().meta({
      default: DEFAULT_LIMIT,
      description:
        'Page size, 1-100. Written as plain decimal digits (leading zeros allowed; no sign, decimal point or exponent: `1.5` and `1e2` are `400`). Not part of the cursor binding: it may change from page to page.',
    }),
    from: isoDateTime
      .optional()
      .describe(
        'Only entries with `recordedAt` at or after this instant (inclusive). Percent-encode a `+` offset as `%2B` (a bare `+` in a query string is a space).',
      ),
    to: isoDateTime
      .optional()
      .describe(
        'Only entries with `recordedAt` before this instant (exclusive). Must be later than `from` when both are given (else `400`, detail path `to`). Percent-encode a `+` offset as `%2B`.',
      ),
    tag: tagInput
      .optional()
      .describe(
        'Only entries with this tag. Trimmed and lower-cased like the tags of moodLog, so matching is case-insensitive; must then be 1-32 characters.',
      ),
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe(
        'The `nextCursor` of the previous page. Opaque and signed: it is bound to the user and to `from`, `to` and `tag` (compared as instants and after lower-casing), not to `limit`. A cursor that was edited, truncated, made for other filters or for another user is `400 invalid_argument` (detail path `cursor`). Cursors do not expire.',
      ),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    path: ['to'],
    message: 'Must be later than "from".',
  });

type MoodGetQuery = z.output<typeof moodGetQuery>;

function filtersOf(query: MoodGetQuery): string {
  return filterFingerprint({
    from: query.from?.getTime(),
    to: query.to?.getTime(),
    tag: query.tag,
  });
}

const moodPage = z
  .object({
    moods: z.array(moodSchema).max(100),
    nextCursor: z
      .string()
      .min(1)
      .nullable()
      .describe(
        'Pass as `cursor` (with the same `from`, `to` and `tag`) for the next page; `null` on the last page.',
      ),
  })
  .meta({
    id: 'MoodPage',
    description:
      'One page of entries, newest `recordedAt` first, ties broken by `id` descending (keyset pagination: walking every page returns every entry that existed when the walk began exactly once, whatever is added meanwhile).',
  });

/** Requests one user may make an hour (the contract's default: 500). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_MOODGET_PER_HOUR', { default: 500 });

export const moodGet = defineEndpoint({
  name: 'moodGet',
  tag: 'moods',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  methods: {
    GET: method({
      query: moodGetQuery,
      docs: {
        summary: 'List moods',
        description:
          "The token's user's entries, newest `recordedAt` first, ties broken by `id` descending, one page at a time. Unknown or repeated query parameters and empty values (`tag=`) are `400`. Cached 60 s per user and query (`limit`, `from`, `to`, `tag`, `cursor`); the user's own moodLog makes the cache stale at once.",
        responses: {
          200: {
            description: 'One page.',
            body: moodPage,
            example: { moods: [MOOD_EXAMPLE], nextCursor: null },
          },
        },
      },
      cache: {
        scope: 'moods',
        ttlSeconds: 60,
        key: (q) =>
          [
            q.limit ?? DEFAULT_LIMIT,
            q.from?.getTime() ?? '',
            q.to?.getTime() ?? '',
            q.tag ?? '',
            q.cursor ?? '',
          ].join('|'),
      },
      handler: async ({ uid, query }) => {
        const filters = filtersOf(query);
        const after = query.cursor ? decodeCursor(uid, filters, query.cursor) : undefined;
        if (after === null) {
          throw invalidArgument('The cursor is invalid or belongs to a different query.', [
            { path: 'cursor', message: 'Invalid cursor.' },
          ]);
        }
        const page = await listMoods(uid, {
          limit: query.limit ?? DEFAULT_LIMIT,
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
          ...(query.tag !== undefined ? { tag: query.tag } : {}),
          ...(after ? { after } : {}),
        });
        return {
          body: {
            moods: page.moods,
            nextCursor: page.next ? encodeCursor(uid, filters, page.next) : null,
          },
        };
      },
    }),
  },
});

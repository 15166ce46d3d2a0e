import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { isoDateTime, queryInt, userText } from '../lib/http/schemas';
import { listMoods } from '../data/moods';
import { decodeCursor, encodeCursor, filterFingerprint } from '../domain/mood/cursor';

const moodGetQuery = z
  .strictObject({
    limit: queryInt(1, 100).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    tag: userText({ min: 1, max: 32 })
      .transform((tag) => tag.toLowerCase())
      .optional(),
    cursor: z.string().min(1).max(2048).optional(),
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

export const moodGet = defineEndpoint({
  name: 'moodGet',
  auth: 'user',
  rateLimit: 'moodGet',
  methods: {
    GET: method({
      query: moodGetQuery,
      cache: {
        scope: 'moods',
        ttlSeconds: 60,
        key: (q) =>
          [
            q.limit ?? 20,
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
          limit: query.limit ?? 20,
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

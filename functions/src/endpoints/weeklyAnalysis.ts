import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { llmClient } from '../lib/llm/client';
import { completeStructured } from '../lib/llm/structured';
import { LANGUAGES } from '../lib/language';
import { readMoodsInRange } from '../data/moods';
import {
  canonicalTimeZone,
  computeWeeklyStats,
  formatIsoWeek,
  isoWeekOf,
  isoWeeksInYear,
  isValidTimeZone,
  parseIsoWeek,
  previousWeek,
  summarizePrevious,
  weeklyInsights,
  weekRange,
} from '../domain/weekly';
import { utcDateTime } from '../lib/http/schemas';
import { tag } from './schemas/mood';

const ISO_WEEK_FORMAT = /^(\d{4})-W(\d{2})$/;
/** Weeks whose range and previous week stay inside Firestore's Timestamp range (years 1-9999). */
const MIN_WEEK_YEAR = 2;
const MAX_WEEK_YEAR = 9998;

const weekParam = z.string().superRefine((value, ctx) => {
  const format = ISO_WEEK_FORMAT.exec(value);
  if (!format) {
    ctx.addIssue({ code: 'custom', message: 'Must be an ISO week as YYYY-Www, e.g. 2026-W47.' });
  } else if (Number(format[1]) < MIN_WEEK_YEAR || Number(format[1]) > MAX_WEEK_YEAR) {
    ctx.addIssue({
      code: 'custom',
      message: `The year must be ${MIN_WEEK_YEAR} to ${MAX_WEEK_YEAR}.`,
    });
  } else if (parseIsoWeek(value) === null) {
    const year = Number(format[1]);
    const weeks = year >= 1 ? isoWeeksInYear(year) : 52;
    ctx.addIssue({
      code: 'custom',
      message: `There is no week ${format[2]} in ${format[1]}: it has ISO weeks 01 to ${weeks}.`,
    });
  }
});

const isoWeekDescription =
  "An ISO 8601 week `YYYY-Www` (upper-case `W`, two-digit week). Week 53 exists only in years that have 53 ISO weeks. Years 0002 to 9998, so that the week and the week before stay within Firestore's range.";

const weeklyQuery = z
  .strictObject({
    week: weekParam
      .meta({ pattern: ISO_WEEK_FORMAT.source })
      .optional()
      .describe(
        `The ISO week to analyse. ${isoWeekDescription} Default: the week that contains the current date in \`tz\`, resolved when the request is received. A week that does not exist (\`2027-W53\`, \`2026-W00\`) is \`400\`.`,
      ),
    tz: z
      .string()
      .refine(isValidTimeZone, 'Must be an IANA time zone name, e.g. Europe/Stockholm or UTC.')
      .optional()
      .meta({
        default: 'UTC',
        description:
          "The IANA time zone that defines the week's days (e.g. `Europe/Stockholm`). Names are matched case-insensitively and answered in canonical spelling; offsets such as `+01:00` and unknown names are `400`.",
      }),
    lang: z
      .enum(LANGUAGES, 'Must be "en" or "sv".')
      .optional()
      .meta({ default: 'en', description: 'Language of `insights` (lower-case only).' }),
  })
  // Defaults are resolved here, at validation, so that the cache key holds the actual week:
  // "the current week" is a different entry every Monday.
  .transform((query) => {
    const timeZone = canonicalTimeZone(query.tz ?? 'UTC') ?? 'UTC';
    const week =
      (query.week === undefined ? null : parseIsoWeek(query.week)) ??
      isoWeekOf(new Date(), timeZone);
    return { week, weekLabel: formatIsoWeek(week), timeZone, language: query.lang ?? 'en' };
  });

/** Fallback reasons that a later request may not meet again. */
const TRANSIENT_FAILURES = new Set([
  'timeout',
  'rate_limited',
  'server_error',
  'malformed',
  'cancelled',
  'error',
]);
const TRANSIENT_FALLBACK_TTL_SECONDS = 30;

const average = (description: string) =>
  z
    .number()
    .min(1)
    .max(10)
    .describe(`${description}, rounded to one decimal, half away from zero.`);

const weeklyAnalysisResponse = z
  .object({
    week: z
      .string()
      .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/)
      .meta({
        id: 'IsoWeek',
        description: `The week analysed (the resolved default when \`week\` was omitted). ${isoWeekDescription}`,
        examples: ['2026-W47'],
      }),
    timeZone: z.string().meta({
      description:
        "The time zone used, in the runtime's canonical spelling (`europe/stockholm` → `Europe/Stockholm`, `Etc/UTC` → `UTC`).",
      examples: ['Europe/Stockholm'],
    }),
    language: z.enum(LANGUAGES),
    range: z
      .object({ start: utcDateTime, end: utcDateTime })
      .describe(
        'Monday 00:00 local time to the next Monday 00:00 local time in `timeZone`, as UTC instants: `start` inclusive, `end` exclusive (167 or 169 hours in a week with a DST change; where a DST change skips midnight, the day starts at the first instant after it).',
      ),
    stats: z
      .object({
        count: z.int().min(0),
        average: average('Average score of the week')
          .nullable()
          .describe(
            'Average score of the week, rounded to one decimal, half away from zero; `null` when there are no entries.',
          ),
        min: z.int().min(1).max(10).nullable().describe('`null` when there are no entries.'),
        max: z.int().min(1).max(10).nullable().describe('`null` when there are no entries.'),
        trend: z.enum(['improving', 'declining', 'stable', 'insufficient_data']).meta({
          id: 'Trend',
          description:
            "The week's entries in `recordedAt` order: fewer than 4 is `insufficient_data`; otherwise the average of the last ⌊n/2⌋ entries minus the average of the first ⌊n/2⌋ (the middle entry of an odd count is in neither): ≥ 0.75 `improving`, ≤ −0.75 `declining`, else `stable`. Compared exactly, not on rounded averages.",
        }),
        days: z
          .array(
            z
              .object({
                date: z.iso.date().meta({
                  description: 'The local date in `timeZone`.',
                  examples: ['2026-11-16'],
                }),
                count: z.int().min(0),
                average: average('Average score of the day')
                  .nullable()
                  .describe(
                    'Average score of the day, rounded to one decimal, half away from zero; `null` when there are no entries.',
                  ),
              })
              .meta({ id: 'DayStats' }),
          )
          .length(7)
          .describe('The seven local days of the week, Monday first.'),
        topTags: z
          .array(
            z
              .object({
                tag,
                count: z.int().min(1).describe('Entries of the week with this tag.'),
                average: average('Average score of those entries'),
              })
              .meta({ id: 'TagStats' }),
          )
          .max(5)
          .describe('At most 5 tags, most frequent first; ties in code-point order of the tag.'),
      })
      .meta({ id: 'WeeklyStats' }),
    previousWeek: z
      .object({
        count: z.int().min(0),
        average: average('Average score')
          .nullable()
          .describe(
            'Average score, rounded to one decimal, half away from zero; `null` when there are no entries.',
          ),
      })
      .meta({ id: 'PreviousWeek', description: 'The week before, in the same time zone.' }),
    insights: z
      .object({
        summary: z.string().min(1).max(600),
        suggestions: z.array(z.string().min(1).max(300)).min(1).max(5),
        source: z.enum(['ai', 'fallback']),
      })
      .meta({
        id: 'Insights',
        description:
          'Written by the language model from aggregates and tag names only (never notes) when it answers within 2.5 s with a valid answer (`source: "ai"`); otherwise the built-in fallback in the requested language (`source: "fallback"`): no model configured, the user\'s daily token budget spent, timeout, provider errors, malformed answers.',
      }),
    generatedAt: utcDateTime.meta({
      description:
        'When this analysis was computed. A cached answer (`X-Cache: HIT`) keeps its original `generatedAt`.',
    }),
  })
  .meta({ id: 'WeeklyAnalysis' });

const WEEKLY_EXAMPLE = {
  week: '2026-W47',
  timeZone: 'UTC',
  language: 'en',
  range: { start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' },
  stats: {
    count: 5,
    average: 6.4,
    min: 4,
    max: 9,
    trend: 'improving',
    days: [
      { date: '2026-11-16', count: 2, average: 4.5 },
      { date: '2026-11-17', count: 0, average: null },
      { date: '2026-11-18', count: 1, average: 6 },
      { date: '2026-11-19', count: 0, average: null },
      { date: '2026-11-20', count: 1, average: 8 },
      { date: '2026-11-21', count: 0, average: null },
      { date: '2026-11-22', count: 1, average: 9 },
    ],
    topTags: [
      { tag: 'walk', count: 2, average: 8.5 },
      { tag: 'work', count: 2, average: 5 },
    ],
  },
  previousWeek: { count: 2, average: 4 },
  insights: {
    summary: 'Your week started low and ended on a high note.',
    suggestions: ['Take a short walk after lunch.', 'Note one good thing each evening.'],
    source: 'ai',
  },
  generatedAt: '2026-11-23T07:15:02.118Z',
};

/** Requests one user may make an hour (the contract's default: 100). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_WEEKLYANALYSIS_PER_HOUR', { default: 100 });

export const weeklyAnalysis = defineEndpoint({
  name: 'weeklyAnalysis',
  tag: 'insights',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  secrets: [OPENAI_API_KEY],
  methods: {
    GET: method({
      query: weeklyQuery,
      docs: {
        summary: 'Weekly analysis of moods',
        description:
          "Statistics of the token's user's entries in one ISO week (Monday 00:00 to the next Monday 00:00 local time in `tz`), the week before, and insights. Always `200` for a valid request: when the model is not configured, slow (over 2.5 s) or failing, `insights` come from the built-in fallback in the requested language. Unknown or repeated query parameters are `400`. Cached 180 s per user, resolved week, canonical zone and language (an omitted `tz`/`lang` and an explicit `UTC`/`en` share an entry); a fallback caused by a passing model failure (timeout, provider rate limit or server error, malformed answer) is cached only 30 s, so the next read after the model recovers gets AI insights. The user's own moodLog makes the cache stale at once.",
        responses: {
          200: {
            description: 'The analysis.',
            body: weeklyAnalysisResponse,
            example: WEEKLY_EXAMPLE,
          },
        },
      },
      cache: {
        scope: 'moods',
        ttlSeconds: 180,
        key: (query) => `${query.weekLabel}|${query.timeZone}|${query.language}`,
      },
      handler: async ({ uid, query, signal, annotate }) => {
        const range = weekRange(query.week, query.timeZone);
        const previousRange = weekRange(previousWeek(query.week), query.timeZone);
        // Loading the SDK (~110 ms on a fresh instance) overlaps the queries instead of
        // eating into the model's deadline.
        llmClient().catch(() => undefined);
        const [entries, previousEntries] = await Promise.all([
          readMoodsInRange(uid, range),
          readMoodsInRange(uid, previousRange),
        ]);
        const stats = computeWeeklyStats(entries, range, query.timeZone);
        const previous = summarizePrevious(previousEntries, previousRange);
        const { insights, fallbackReason } = await weeklyInsights(
          { uid, stats, previousWeek: previous, language: query.language, signal },
          completeStructured,
        );
        annotate({ moods: stats.count, insights: insights.source, fallbackReason });
        return {
          // A fallback caused by a passing model failure is cached briefly, so the next read
          // after the model recovers gets AI insights again; other answers keep the full TTL.
          ...(fallbackReason && TRANSIENT_FAILURES.has(fallbackReason)
            ? { cacheTtlSeconds: TRANSIENT_FALLBACK_TTL_SECONDS }
            : {}),
          body: {
            week: query.weekLabel,
            timeZone: query.timeZone,
            language: query.language,
            range: { start: range.start.toISOString(), end: range.end.toISOString() },
            stats,
            previousWeek: previous,
            insights,
            generatedAt: new Date().toISOString(),
          },
        };
      },
    }),
  },
});

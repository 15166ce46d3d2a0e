import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { llmClient } from '../lib/llm/client';
import { completeStructured } from '../lib/llm/structured';
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
  weekRange,
} from '../domain/weekly';
import { weeklyInsights } from '../domain/insights/weekly-insights';

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

const weeklyQuery = z
  .strictObject({
    week: weekParam.optional(),
    tz: z
      .string()
      .refine(isValidTimeZone, 'Must be an IANA time zone name, e.g. Europe/Stockholm or UTC.')
      .optional(),
    lang: z.enum(['en', 'sv'], 'Must be "en" or "sv".').optional(),
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

export const weeklyAnalysis = defineEndpoint({
  name: 'weeklyAnalysis',
  auth: 'user',
  rateLimit: 'weeklyAnalysis',
  secrets: [OPENAI_API_KEY],
  methods: {
    GET: method({
      query: weeklyQuery,
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

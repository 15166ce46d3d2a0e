import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { ifMatchOf } from '../lib/http/conditional';
import { invalidateCache } from '../lib/cache/response-cache';
import { idempotencyKeyOf, requestFingerprint, runOnce } from '../lib/idempotency';
import {
  patchAllocationActual,
  readAllocationMonth,
  replaceAllocationMonth,
} from '../data/allocations';
import {
  MAX_AMOUNT,
  MAX_CATEGORIES,
  categoryProblems,
  etagOf,
  isSupportedCurrency,
  monthProblem,
  summarize,
  utcMonthOf,
  type AllocationSummary,
  type MonthInput,
  type MonthState,
} from '../domain/allocations';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const month = z.string().superRefine((value, ctx) => {
  const problem = monthProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const amount = z
  .int('Must be an integer amount in minor units.')
  .min(0, 'Must be at least 0.')
  .max(MAX_AMOUNT, 'Must be at most 10^12.');

const categoryKey = z
  .string()
  .min(1)
  .max(32)
  .regex(SLUG, 'Must be a slug: lower-case letters and digits, words joined by single hyphens.');

const category = z.strictObject({
  key: categoryKey,
  label: z.string().trim().min(1).max(64).optional(),
  budget: amount,
  actual: amount.optional(),
  targetPercent: z
    .int('Must be a whole percent from 0 to 100.')
    .min(0, 'Must be at least 0.')
    .max(100, 'Must be at most 100.')
    .nullable()
    .optional(),
});

const putBody = z
  .strictObject({
    month,
    currency: z
      .string()
      .refine(isSupportedCurrency, 'Must be an ISO 4217 currency code in capitals, e.g. SEK.'),
    categories: z
      .array(category)
      .min(1, 'At least one category is needed.')
      .max(MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories.`)
      .superRefine((categories, ctx) => {
        for (const problem of categoryProblems(
          categories.map((c) => ({ key: c.key, targetPercent: c.targetPercent ?? null })),
        )) {
          ctx.addIssue({
            code: 'custom',
            path: problem.index === null ? [] : [problem.index, problem.field ?? ''],
            message: problem.message,
          });
        }
      }),
  })
  .transform((body): MonthInput => ({
    month: body.month,
    currency: body.currency,
    categories: body.categories.map((c) => ({
      key: c.key,
      label: c.label ?? c.key,
      targetPercent: c.targetPercent ?? null,
      budget: c.budget,
      actual: c.actual ?? 0,
    })),
  }));

const patchBody = z.strictObject({
  month,
  key: categoryKey,
  actualDelta: z
    .int('Must be an integer amount in minor units.')
    .min(-MAX_AMOUNT, 'Must be at least -10^12.')
    .max(MAX_AMOUNT, 'Must be at most 10^12.'),
});

const getQuery = z
  .strictObject({ month: month.optional() })
  // Resolved here so that the cache key holds the actual month ("this month" changes).
  .transform((query) => ({ month: query.month ?? utcMonthOf(new Date()) }));

/** A summary and its ETag: what a write answers, and what an idempotent PATCH replays. */
interface SummaryReply {
  summary: AllocationSummary;
  etag: string;
}

const replyOf = (state: MonthState): SummaryReply => ({
  summary: summarize(state),
  etag: etagOf(state),
});

export const allocations = defineEndpoint({
  name: 'allocations',
  auth: 'user',
  rateLimit: 'allocations',
  methods: {
    GET: method({
      query: getQuery,
      cache: { scope: 'allocations', ttlSeconds: 120, key: (q) => q.month },
      handler: async ({ uid, query }) => {
        const { summary, etag } = replyOf(await readAllocationMonth(uid, query.month));
        return { body: summary, headers: { ETag: etag } };
      },
    }),
    PUT: method({
      body: putBody,
      handler: async ({ uid, body, headers }) => {
        const state = await replaceAllocationMonth(uid, body, {
          ifMatch: ifMatchOf(headers),
          now: new Date(),
        });
        await invalidateCache(uid, ['allocations']);
        const { summary, etag } = replyOf(state);
        return { body: summary, headers: { ETag: etag } };
      },
    }),
    PATCH: method({
      body: patchBody,
      handler: async ({ uid, body, headers, annotate }) => {
        const key = idempotencyKeyOf(headers);
        const ifMatch = ifMatchOf(headers);
        // If-Match is left out of the fingerprint: a retry of a PATCH that went through carries
        // the ETag it was sent with, now stale, and must replay, not conflict.
        const { value, replayed } = await runOnce<SummaryReply>(
          { uid, operation: 'allocations.patch', key, fingerprint: requestFingerprint(body) },
          async (claim) => {
            const { state, attempts } = await patchAllocationActual(uid, body, {
              ifMatch,
              now: new Date(),
              beforeCommit: (tx, next) => claim.completeIn(tx, replyOf(next)),
            });
            annotate({ transactionAttempts: attempts });
            return replyOf(state);
          },
        );
        if (!replayed) await invalidateCache(uid, ['allocations']);
        annotate({ replayed });
        return {
          body: value.summary,
          headers: {
            ETag: value.etag,
            ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
          },
        };
      },
    }),
  },
});

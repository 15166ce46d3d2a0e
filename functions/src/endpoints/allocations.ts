import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { userText } from '../lib/http/schemas';
import { IDEMPOTENCY_KEY_SCHEMA } from '../lib/idempotency';
import { ALLOCATION_MONTH_EXAMPLE, allocationMonthSchema } from './schemas/allocations';
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
  label: userText({ min: 1, max: 64 }).optional(),
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

const etagHeader = {
  description:
    'Strong ETag of the month; changes with every write of it (`"unset"` before the first).',
  schema: z.string().regex(/^"[^"]+"$/),
};

const IF_MATCH = {
  'If-Match': {
    schema: z.string(),
    description:
      'The `ETag` of the month this change is based on (or `*`); a stale one is `412 failed_precondition` and nothing changes.',
  },
};

/** A summary and its ETag: what a write answers, and what an idempotent PATCH replays. */
interface SummaryReply {
  summary: AllocationSummary;
  etag: string;
}

const replyOf = (state: MonthState): SummaryReply => ({
  summary: summarize(state),
  etag: etagOf(state),
});

/** Requests one user may make an hour (the contract's default: 500). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_ALLOCATIONS_PER_HOUR', { default: 500 });

export const allocations = defineEndpoint({
  name: 'allocations',
  tag: 'allocations',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  methods: {
    GET: method({
      query: getQuery,
      docs: {
        summary: "Read a month's budget",
        description:
          "One document read. `month` is `YYYY-MM` (default: the current UTC month). A month never set has `currency: null`, no categories, zero totals and `updatedAt: null`. Cached 120 s per user and month; the user's own `PUT` or `PATCH` makes it stale at once. A matching `If-None-Match` is `304`.",
        headers: {
          'If-None-Match': {
            schema: z.string(),
            description:
              'An `ETag` from an earlier answer: `304` without a body while it still matches.',
          },
        },
        responses: {
          200: {
            description: "The month's summary.",
            body: allocationMonthSchema,
            headers: { ETag: etagHeader },
            example: ALLOCATION_MONTH_EXAMPLE,
          },
          304: {
            description: '`If-None-Match` matched the current `ETag`: no body.',
            headers: { ETag: etagHeader },
          },
        },
      },
      cache: { scope: 'allocations', ttlSeconds: 120, key: (q) => q.month },
      handler: async ({ uid, query }) => {
        const { summary, etag } = replyOf(await readAllocationMonth(uid, query.month));
        return { body: summary, headers: { ETag: etag } };
      },
    }),
    PUT: method({
      body: putBody,
      docs: {
        summary: "Replace a month's budget",
        description:
          'Replaces the whole month (categories left out are gone) in one write and answers its summary with the new `ETag`. 1-50 categories with unique slug keys, target percents summing to at most 100, an ISO 4217 currency.',
        headers: IF_MATCH,
        responses: {
          200: {
            description: 'The month as stored now.',
            body: allocationMonthSchema,
            headers: { ETag: etagHeader },
            example: ALLOCATION_MONTH_EXAMPLE,
          },
        },
        errors: ['failed_precondition'],
      },
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
      docs: {
        summary: "Add to one category's actual",
        description:
          "Adds `actualDelta` to one category's `actual` in a transaction: concurrent patches all count (50 concurrent `+100` add exactly 5000). A month never set or an unknown key is `404`; a result below 0 is `400`; a stale `If-Match` is `412`; nothing changes when one fails. Retry with the same `Idempotency-Key` and it is added once.",
        headers: {
          ...IF_MATCH,
          'Idempotency-Key': {
            schema: IDEMPOTENCY_KEY_SCHEMA,
            description:
              'Makes the patch safe to retry: a repeat with the same key and body answers the stored summary with `Idempotent-Replayed: true` and adds nothing; the same key with another body is `409`. Kept at least 24 hours, per user.',
          },
        },
        responses: {
          200: {
            description: 'The month as stored now (or, replayed, as the first request left it).',
            body: allocationMonthSchema,
            headers: {
              ETag: etagHeader,
              'Idempotent-Replayed': {
                required: false,
                description: 'This answer replays a patch made under the same `Idempotency-Key`.',
                schema: z.literal('true'),
              },
            },
            example: ALLOCATION_MONTH_EXAMPLE,
          },
        },
        errors: ['not_found', 'conflict', 'failed_precondition'],
      },
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

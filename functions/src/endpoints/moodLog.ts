import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { isoDateTime } from '../lib/http/schemas';
import { preferredLanguage } from '../lib/http/language';
import { invalidateCache } from '../lib/cache/response-cache';
import { createMood } from '../data/moods';
import { MAX_FUTURE_SKEW_MS, type MoodInput } from '../domain/mood/mood';
import { mergeModeration, screenText } from '../domain/safety';
import { OPENAI_API_KEY } from '../lib/config/params';
import { moderate } from '../lib/llm/moderation';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const moodLogBody = z
  .strictObject({
    score: z.int('Must be an integer from 1 to 10.').min(1).max(10),
    note: z.string().trim().max(2000).nullable().optional(),
    tags: z
      .array(z.string().trim().toLowerCase().min(1).max(32))
      .max(10)
      .optional()
      .superRefine((tags, ctx) => {
        tags?.forEach((tag, index) => {
          if (tags.indexOf(tag) !== index) {
            ctx.addIssue({ code: 'custom', path: [index], message: `Duplicate tag "${tag}".` });
          }
        });
      }),
    recordedAt: isoDateTime.optional(),
  })
  .transform((body): MoodInput => ({
    score: body.score,
    note: body.note ? body.note : null,
    tags: body.tags ?? [],
    recordedAt: body.recordedAt ? body.recordedAt.toISOString() : null,
  }));

export const moodLog = defineEndpoint({
  name: 'moodLog',
  auth: 'user',
  rateLimit: 'moodLog',
  secrets: [OPENAI_API_KEY],
  methods: {
    POST: method({
      body: moodLogBody,
      handler: async ({ uid, body, headers, signal, annotate }) => {
        const now = new Date();
        const key = headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
          throw invalidArgument('Idempotency-Key must be 1-128 characters of [A-Za-z0-9._:-].', [
            { path: 'Idempotency-Key', message: 'Invalid idempotency key.' },
          ]);
        }
        if (body.recordedAt && Date.parse(body.recordedAt) > now.getTime() + MAX_FUTURE_SKEW_MS) {
          throw invalidArgument('The request body is invalid.', [
            { path: 'recordedAt', message: 'Must not be more than 5 minutes in the future.' },
          ]);
        }
        const { mood, replayed } = await createMood(uid, body, {
          ...(key ? { idempotencyKey: key } : {}),
          now,
        });
        if (!replayed) await invalidateCache(uid, ['moods']);
        // The note is screened as chat messages are: locally, and by the moderation model when
        // one is configured (best effort, bounded; without it the local screen stands alone).
        const language = preferredLanguage(headers);
        const screened = mood.note
          ? mergeModeration(
              screenText(mood.note, language),
              await moderate(mood.note, { signal }),
              language,
            )
          : null;
        annotate({ replayed, safetyLevel: screened?.level ?? 'none' });
        return {
          status: replayed ? 200 : 201,
          headers: replayed ? { 'Idempotent-Replayed': 'true' } : ({} as Record<string, string>),
          body: {
            mood,
            safety: { level: screened?.level ?? 'none', resources: screened?.resources ?? [] },
          },
        };
      },
    }),
  },
});

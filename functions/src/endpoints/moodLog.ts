import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { isoDateTime } from '../lib/http/schemas';
import { preferredLanguage } from '../lib/http/language';
import { invalidateCache } from '../lib/cache/response-cache';
import { idempotencyKeyOf, requestFingerprint, runOnce } from '../lib/idempotency';
import { createMood } from '../data/moods';
import { MAX_FUTURE_SKEW_MS, type Mood, type MoodInput } from '../domain/mood/mood';
import { mergeModeration, screenText } from '../domain/safety';
import { OPENAI_API_KEY } from '../lib/config/params';
import { moderate } from '../lib/llm/moderation';

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
        const key = idempotencyKeyOf(headers);
        if (body.recordedAt && Date.parse(body.recordedAt) > now.getTime() + MAX_FUTURE_SKEW_MS) {
          throw invalidArgument('The request body is invalid.', [
            { path: 'recordedAt', message: 'Must not be more than 5 minutes in the future.' },
          ]);
        }
        // The fingerprint is of the request as sent (no defaults), so a retry that omitted
        // `recordedAt` matches the first attempt, which omitted it too.
        const { value: mood, replayed } = await runOnce<Mood>(
          { uid, operation: 'moodLog', key, fingerprint: requestFingerprint(body) },
          (claim) => createMood(uid, body, { now, claim }),
        );
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

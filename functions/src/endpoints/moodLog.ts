import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { invalidArgument } from '../lib/http/errors';
import { pastDateTime, userText } from '../lib/http/schemas';
import { preferredLanguage } from '../lib/http/language';
import { invalidateCache } from '../lib/cache/response-cache';
import {
  IDEMPOTENCY_KEY_SCHEMA,
  idempotencyKeyOf,
  requestFingerprint,
  runOnce,
} from '../lib/idempotency';
import { createMood } from '../data/moods';
import { MAX_FUTURE_SKEW_MS, type Mood, type MoodInput } from '../domain/mood/mood';
import { mergeModeration, screenText } from '../domain/safety';
import { OPENAI_API_KEY } from '../lib/config/params';
import { moderate } from '../lib/llm/moderation';
import { MOOD_EXAMPLE, moodSchema, safetySchema, tagInput } from './schemas/mood';

const moodLogBody = z
  .strictObject({
    score: z
      .int('Must be an integer from 1 to 10.')
      .min(1)
      .max(10)
      .describe('An integer from 1 to 10 (`7.0` is the integer 7; `7.5` is `400`).'),
    note: userText({ max: 2000, multiline: true })
      .nullable()
      .optional()
      .describe(
        'Free text, trimmed; valid Unicode without control characters other than newline and tab (`\\r\\n` is stored as `\\n`); at most 2000 characters after trimming (so surrounding whitespace does not count). An empty or whitespace-only note, or `null`, is stored as `null`. Screened for risk of self-harm or suicide (see `Safety`).',
      ),
    tags: z
      .array(tagInput)
      .max(10)
      .optional()
      .superRefine((tags, ctx) => {
        tags?.forEach((tag, index) => {
          if (tags.indexOf(tag) !== index) {
            ctx.addIssue({ code: 'custom', path: [index], message: `Duplicate tag "${tag}".` });
          }
        });
      })
      .meta({
        uniqueItems: true,
        description:
          'At most 10 tags. Each is trimmed and lower-cased and must then be 1-32 characters. Tags that are equal after lower-casing (`["Walk", "walk"]`) are rejected with `400`, detail path `tags.<index of the later one>`; they are not merged. Order is kept.',
      }),
    recordedAt: pastDateTime
      .optional()
      .describe(
        'When the mood was felt; default: the server time of the request. At most 5 minutes ahead of the server clock (else `400`, detail path `recordedAt`); no earlier than `2000-01-01T00:00:00Z` (an older date is `400`). Stored and returned in UTC.',
      ),
  })
  .meta({
    id: 'MoodLogRequest',
    description:
      'A new mood entry. Unknown fields are `400` (detail path `""`, the message naming them); nothing is coerced (`"7"` is not a score).',
    examples: [
      {
        score: 7,
        note: 'A calm walk by the sea.',
        tags: ['walk', 'sea'],
        recordedAt: '2026-11-20T09:30:00.000+01:00',
      },
    ],
  })
  .transform((body): MoodInput => ({
    score: body.score,
    note: body.note ? body.note : null,
    tags: body.tags ?? [],
    recordedAt: body.recordedAt ? body.recordedAt.toISOString() : null,
  }));

const moodLogResponse = z
  .object({ mood: moodSchema, safety: safetySchema })
  .meta({ id: 'MoodLogResponse' });

/** Requests one user may make an hour (the contract's default: 300). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_MOODLOG_PER_HOUR', { default: 300 });

export const moodLog = defineEndpoint({
  name: 'moodLog',
  tag: 'moods',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  secrets: [OPENAI_API_KEY],
  methods: {
    POST: method({
      body: moodLogBody,
      docs: {
        summary: 'Log a mood',
        description:
          "Stores one mood entry of the token's user and screens its note for risk of self-harm or suicide. Takes no query parameters (any is `400`). A successful new entry makes the user's cached moodGet and weeklyAnalysis answers stale at once.",
        headers: {
          'Idempotency-Key': {
            schema: IDEMPOTENCY_KEY_SCHEMA,
            description:
              'Makes the request safe to retry. The first request with a key creates the entry (`201`); a repeat with the same key and the same body returns that entry with `200` and `Idempotent-Replayed: true`; the same key with a different body is `409 conflict`. Concurrent repeats create one entry. Keys are per user (two users may use the same key) and kept at least 24 hours. "The same body" means the same after normalisation: trimmed note (empty and `null` alike), trimmed lower-cased tags in the same order, the same `recordedAt` instant, or both without `recordedAt`. A key that is not 1-128 characters of `[A-Za-z0-9._:-]` is `400` (detail path `Idempotency-Key`), checked after the body.',
          },
          'Accept-Language': {
            schema: z.string().meta({ examples: ['sv-SE,sv;q=0.9,en;q=0.5'] }),
            description:
              'Language of the crisis resources in `safety`: Swedish when `sv` (or `sv-*`) ranks above `en` by q-value (ties: the earlier one), else English. Other languages are ignored.',
          },
        },
        responses: {
          200: {
            description:
              "A replay: an earlier request with the same `Idempotency-Key` and body created this entry; nothing new is stored. `safety` is worked out again for this request's `Accept-Language`.",
            body: moodLogResponse,
            headers: {
              'Idempotent-Replayed': {
                description:
                  'This answer replays an entry created earlier with the same `Idempotency-Key` and body.',
                schema: z.literal('true'),
              },
            },
            example: {
              mood: { ...MOOD_EXAMPLE, id: 'k_Qm3v9XrT1bYc8LdN2eWf5gHj7kA' },
              safety: { level: 'none', resources: [] },
            },
          },
          201: {
            description: 'The entry was created.',
            body: moodLogResponse,
            example: { mood: MOOD_EXAMPLE, safety: { level: 'none', resources: [] } },
          },
        },
        errors: ['conflict'],
      },
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

/** Response schemas shared by moodLog and moodGet (docs/openapi.json is generated from them). */
import { z } from 'zod';
import { userText, utcDateTime } from '../../lib/http/schemas';

/** A tag as requests send it: trimmed and lower-cased, then 1-32 characters. */
export const tagInput = userText({ min: 1, max: 32 })
  .transform((value) => value.toLowerCase())
  .meta({
    id: 'TagInput',
    description:
      'A tag: valid Unicode without control characters or line breaks; trimmed, then lower-cased, then it must be 1-32 characters (so a whitespace-only tag is `400`).',
    examples: ['walk'],
  });

/** A tag as responses carry it. */
export const tag = z
  .string()
  .min(1)
  .max(32)
  .meta({ id: 'Tag', description: 'A tag: trimmed and lower-case.', examples: ['walk'] });

export const moodSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .meta({
        description: 'Opaque id of the entry.',
        examples: ['Hk3tY8qLmN2pQr5sVw7x'],
      }),
    score: z.int().min(1).max(10),
    note: z
      .string()
      .min(1)
      .max(2000)
      .nullable()
      .describe(
        'The note, trimmed; `null` when none was given or it was empty or whitespace only.',
      ),
    tags: z.array(tag).max(10).meta({
      uniqueItems: true,
      description:
        'Trimmed, lower-cased, unique tags, in the order they were sent; `[]` when none.',
    }),
    recordedAt: utcDateTime.meta({
      description:
        "When the mood was felt: the request's `recordedAt` in UTC, or the server time of the request.",
    }),
    createdAt: utcDateTime.meta({
      description: 'When the entry was stored (server time of the creating request).',
    }),
  })
  .meta({ id: 'Mood', description: 'One mood entry.' });

const resource = z
  .object({
    name: z.string().min(1),
    phone: z.string().min(1).optional().describe('Number to call, when there is one.'),
    url: z.url().optional().describe('Web page, when there is one.'),
  })
  .meta({
    id: 'Resource',
    description: 'A place to get help.',
    examples: [
      {
        name: 'Självmordslinjen (Mind)',
        phone: '90101',
        url: 'https://mind.se/hitta-hjalp/sjalvmordslinjen/',
      },
    ],
  });

export const safetySchema = z
  .object({
    level: z.enum(['none', 'elevated', 'crisis']).meta({
      id: 'SafetyLevel',
      description:
        '`none`: nothing worrying. `elevated`: worrying but not acute (e.g. thoughts about the past). `crisis`: risk of self-harm or suicide now.',
    }),
    resources: z.array(resource),
  })
  .meta({
    id: 'Safety',
    description:
      "The outcome of screening a text for risk of self-harm or suicide, in Swedish and English whatever the language. `resources` is empty for `none`; for `elevated` it is the listening services without the emergency number; for `crisis` the full set, emergency number first (Swedish: 112, Självmordslinjen 90101, 1177 Vårdguiden; English: the local emergency number, 988, Samaritans, Find A Helpline). In moodLog the note is screened as chat messages are: with Stilla's local rules and, when one is configured, by the moderation model (1.5 s deadline, best effort; it can only raise the level), and the resources are in the language of the request's `Accept-Language`: Swedish when `sv` ranks above `en` there, else English.",
  });

/** An example entry for the API reference. */
export const MOOD_EXAMPLE = {
  id: 'Hk3tY8qLmN2pQr5sVw7x',
  score: 7,
  note: 'A calm walk by the sea.',
  tags: ['walk', 'sea'],
  recordedAt: '2026-11-20T08:30:00.000Z',
  createdAt: '2026-11-20T08:31:12.345Z',
};

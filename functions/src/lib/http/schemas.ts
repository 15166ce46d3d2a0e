/** Zod building blocks shared by several functions' schemas. */
import { z } from 'zod';
import { LANGUAGES } from '../language';

/** Firestore's Timestamp range: a date outside it would fail in the database, not in validation. */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** Any ISO 8601 date-time with an offset (`Z` or `±hh:mm`), as a Date within Firestore's range. */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'Must be an ISO 8601 date-time with a time zone offset.' })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST && date.getTime() <= LATEST, {
    message: 'Must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.',
  })
  .meta({
    id: 'RequestDateTime',
    description:
      'An RFC 3339 / ISO 8601 date-time with seconds and an offset: `T` and `Z` upper-case, offset `Z` or `±hh:mm` (not `±hhmm` or `±hh`), any number of fraction digits (kept to the millisecond, the rest truncated). The date must exist (`2026-02-29` is refused), between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z. Without an offset, or in any other form, it is `400 invalid_argument`.',
  });

/**
 * Control characters other than tab and newline (C0, DEL, C1), and the line and paragraph
 * separators: invisible, they break logs, CSV exports and other clients' renderers.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/;
const LINE_BREAKS = /[\t\n\r]/;

/**
 * User-written text (a note, a chat message, a label, a tag), trimmed. Rejected, never stored:
 * lone UTF-16 surrogates (not Unicode: Firestore cannot store them, clients cannot render
 * them) and control characters; `multiline` text keeps tab and newline (`\r\n` becomes `\n`).
 */
export function userText(options: { max: number; min?: number; multiline?: boolean }) {
  return z
    .string()
    .refine((value) => value.isWellFormed(), {
      message: 'Must be valid Unicode text (no lone surrogates).',
    })
    .transform((value) => (options.multiline ? value.replace(/\r\n?/g, '\n') : value))
    .refine(
      (value) =>
        !CONTROL_CHARACTERS.test(value) && (options.multiline || !LINE_BREAKS.test(value.trim())),
      {
        message: options.multiline
          ? 'Must not contain control characters (newline and tab are allowed).'
          : 'Must not contain control characters or line breaks.',
      },
    )
    .pipe(
      z
        .string()
        .trim()
        .min(options.min ?? 0)
        .max(options.max),
    );
}

/**
 * Earliest instant a user may record something at: older dates are a client's zero date
 * (`0001-01-01`, `1970-01-01`) more likely than a memory, and would pollute the history.
 */
const EARLIEST_RECORDED_AT = Date.parse('2000-01-01T00:00:00.000Z');

/** A date-time at which something happened, as a Date no earlier than 2000-01-01. */
export const pastDateTime = isoDateTime.refine((date) => date.getTime() >= EARLIEST_RECORDED_AT, {
  message: 'Must be 2000-01-01T00:00:00Z or later.',
});

/** A positive integer sent as a query string, e.g. `limit=20`; no coercion of `1.5` or `1e2`. */
export function queryInt(min: number, max: number) {
  return (
    z
      .string()
      .regex(/^\d{1,6}$/, 'Must be a whole number.')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      // A client sends an integer; the digits-only rule is said in the parameter's description.
      .meta({ openapi: { type: 'integer', minimum: min, maximum: max } })
  );
}

/** The language of generated text. */
export const language = z.enum(LANGUAGES);

/** An instant in a response: UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const utcDateTime = z.iso.datetime({ precision: 3 }).meta({
  id: 'UtcDateTime',
  description: 'An instant in UTC with milliseconds, as every response writes it.',
  examples: ['2026-11-20T08:30:00.000Z'],
});

/** The id of a stored resource (a Firestore document id as Stilla creates them). */
export const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'Must be an id of 1-128 characters of [A-Za-z0-9_-].')
  // Firestore reserves ids of the form __x__ (the fuzzer's `__proto__` reached the database).
  .refine((id) => !/^__.*__$/.test(id), 'Must not be of the reserved form __name__.');

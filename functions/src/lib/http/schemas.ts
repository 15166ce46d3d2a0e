/** Zod building blocks shared by several functions' schemas. */
import { z } from 'zod';

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
export const language = z.enum(['en', 'sv']);

/** An instant in a response: UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const utcDateTime = z.iso.datetime({ precision: 3 }).meta({
  id: 'UtcDateTime',
  description: 'An instant in UTC with milliseconds, as every response writes it.',
  examples: ['2026-11-20T08:30:00.000Z'],
});


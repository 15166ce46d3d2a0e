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
  });

/** A positive integer sent as a query string, e.g. `limit=20`; no coercion of `1.5` or `1e2`. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,6}$/, 'Must be a whole number.')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** The language of generated text. */
export const language = z.enum(['en', 'sv']);

/** The id of a stored resource (a Firestore document id as Stilla creates them). */
export const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'Must be an id of 1-128 characters of [A-Za-z0-9_-].');

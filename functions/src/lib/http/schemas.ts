/** Zod building blocks shared by several functions' schemas. */
import { z } from 'zod';

/** Any ISO 8601 date-time with an offset (`Z` or `±hh:mm`), as a Date. */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'Must be an ISO 8601 date-time with a time zone offset.' })
  .transform((value) => new Date(value));

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

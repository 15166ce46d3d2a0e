/**
 * Conditional requests (RFC 9110 section 13): `If-Match` guards writes against lost updates,
 * `If-None-Match` lets a reader skip a body it already has (`304`). Entity tags are compared
 * strongly for `If-Match` (a weak `W/"..."` tag never matches) and weakly for `If-None-Match`,
 * as the RFC says. An unquoted tag is read as if quoted, since clients that strip the quotes
 * mean the same tag.
 */
import type { IncomingHttpHeaders } from 'node:http';

interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** The tags of an `If-Match`/`If-None-Match` value; `'*'` for the wildcard. */
export function parseEntityTags(value: string): '*' | EntityTag[] {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  for (const raw of trimmed.split(',')) {
    let item = raw.trim();
    if (item === '') continue;
    const weak = item.startsWith('W/');
    if (weak) item = item.slice(2);
    const opaque = item.length >= 2 && item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1) : item;
    tags.push({ weak, opaque });
  }
  return tags;
}

function headerValue(headers: IncomingHttpHeaders, name: 'if-match' | 'if-none-match'): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The `If-Match` header, or undefined when absent. */
export const ifMatchOf = (headers: IncomingHttpHeaders): string | undefined =>
  headerValue(headers, 'if-match');

/**
 * Whether an `If-Match` value allows a write to a resource whose current ETag is `etag`
 * (`"..."`, strong). `*` matches only a resource that exists.
 */
export function ifMatchAllows(ifMatch: string, etag: string, exists: boolean): boolean {
  const tags = parseEntityTags(ifMatch);
  if (tags === '*') return exists;
  const current = etag.slice(1, -1);
  return tags.some((tag) => !tag.weak && tag.opaque === current);
}

/** Whether `If-None-Match` in `headers` matches `etag`, so a `GET` may answer `304`. */
export function ifNoneMatchMatches(headers: IncomingHttpHeaders, etag: string): boolean {
  const value = headerValue(headers, 'if-none-match');
  if (value === undefined) return false;
  const tags = parseEntityTags(value);
  if (tags === '*') return true;
  const current = etag.replace(/^W\//, '').slice(1, -1);
  return tags.some((tag) => tag.opaque === current);
}

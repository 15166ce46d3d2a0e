/**
 * Opaque pagination cursors. A cursor holds the sort key of the last item served (its
 * `recordedAt` in ms and its id) and a fingerprint of the query's filters, and carries a MAC so
 * that an edited, truncated or forged cursor is rejected (`400`) instead of silently paging
 * from somewhere else. A cursor reused with different filters is rejected the same way.
 *
 * The MAC key is per user (`uid` is mixed in), so one user's cursor never opens on another's
 * query; the queries are scoped to the token's user anyway, so the key guards integrity, not
 * secrecy.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const APP_KEY = 'stilla.cursor.v1';
const MAC_BYTES = 16;

export interface CursorPosition {
  /** Sort value of the last item served, Unix ms. */
  at: number;
  /** Document id of the last item served (tie-breaker). */
  id: string;
}

/** A stable fingerprint of the filters a cursor is valid for. */
export function filterFingerprint(
  filters: Record<string, string | number | null | undefined>,
): string {
  const canonical = Object.keys(filters)
    .sort()
    .map((key) => `${key}=${filters[key] ?? ''}`)
    .join('&');
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

function mac(uid: string, payload: string): Buffer {
  return createHmac('sha256', `${APP_KEY}:${uid}`).update(payload).digest().subarray(0, MAC_BYTES);
}

export function encodeCursor(uid: string, filters: string, position: CursorPosition): string {
  const payload = Buffer.from(
    JSON.stringify({ v: VERSION, f: filters, a: position.at, i: position.id }),
  ).toString('base64url');
  return `${payload}.${mac(uid, payload).toString('base64url')}`;
}

/** The position in a cursor, or `null` when it is malformed, forged or for other filters. */
export function decodeCursor(uid: string, filters: string, cursor: string): CursorPosition | null {
  const parts = cursor.split('.');
  if (parts.length !== 2) return null;
  const [payload, signature] = parts as [string, string];
  const expected = mac(uid, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (decoded.v !== VERSION || decoded.f !== filters) return null;
    if (typeof decoded.a !== 'number' || !Number.isFinite(decoded.a)) return null;
    if (typeof decoded.i !== 'string' || decoded.i.length === 0 || decoded.i.length > 1500)
      return null;
    return { at: decoded.a, id: decoded.i };
  } catch {
    return null;
  }
}

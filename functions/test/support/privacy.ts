/**
 * What the suite sends that must never reach a log line or an error report: every bearer token,
 * note and chat message, and every e-mail address of a test user. Appended (once each) to a
 * file per test worker under the test data directory; after the suite, dev/privacy-check.ts
 * searches the functions' log and every captured Sentry envelope for each of them.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { requireEnv } from './api';

const remembered = new Set<string>();

/** Records `values` (strings of fewer than 8 characters are too common to search for). */
export function rememberSensitive(...values: unknown[]): void {
  const fresh = values.filter(
    (value): value is string =>
      typeof value === 'string' && value.length >= 8 && !remembered.has(value),
  );
  if (fresh.length === 0) return;
  for (const value of fresh) remembered.add(value);
  const dir = join(dirname(requireEnv('STILLA_TEST_SIGNING_KEY')), 'privacy');
  mkdirSync(dir, { recursive: true });
  appendFileSync(
    join(dir, `sent-${process.pid}.jsonl`),
    fresh.map((value) => `${JSON.stringify(value)}\n`).join(''),
  );
}

/** The user text of a request body (object or JSON text): notes and chat messages. */
export function userTextOf(body: unknown): unknown[] {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return [body];
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const fields = parsed as Record<string, unknown>;
  return [fields.note, fields.message];
}

/** The token of an `Authorization` header value. */
export function tokenOf(authorization: string | undefined): string | undefined {
  return authorization?.replace(/^\s*bearer\s+/i, '');
}

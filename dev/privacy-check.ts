/**
 * The privacy check of `npm test`: after the integration suites, every value the tests sent that
 * must never be logged or reported (bearer tokens, notes, chat messages, e-mail addresses;
 * recorded by functions/test/support/privacy.ts) is searched for in the functions' log and in
 * every envelope the functions sent to the (fake) Sentry endpoint.
 *
 * A value is searched for as sent and JSON-escaped (as a log line would hold it), and, when
 * longer, by its first {@link PREFIX_LENGTH} characters (a truncated copy is a leak too). Values
 * too short or too uniform to be told apart from ordinary log text are skipped and counted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Characters of a long value searched for on their own. */
export const PREFIX_LENGTH = 24;
/** Shortest value searched for, after trimming. */
export const MIN_LENGTH = 10;
/** Fewest distinct characters of a value searched for ("aaaaaaaaaaaa" says nothing). */
export const MIN_DISTINCT = 5;

export interface Leak {
  /** Where it was found: `log` or `sentry`. */
  where: 'log' | 'sentry';
  /** The first characters of the value, to find the test that sent it. */
  valueStart: string;
}

export interface PrivacyReport {
  /** Distinct values searched for, and those skipped as too short or uniform. */
  searched: number;
  skipped: number;
  logLines: number;
  sentryEnvelopes: number;
  leaks: Leak[];
}

/** Whether `value` is distinctive enough to search for. */
export function isSearchable(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= MIN_LENGTH && new Set(trimmed).size >= MIN_DISTINCT;
}

/** The strings whose presence in `text` means `value` leaked. */
export function needlesOf(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
  for (const form of [...forms]) {
    if (form.length > PREFIX_LENGTH) forms.add(form.slice(0, PREFIX_LENGTH));
  }
  // A prefix that is too uniform (whitespace, repeats) would match ordinary text.
  return [...forms].filter(isSearchable);
}

/** Searches `texts` for each of `values`. */
export function findLeaks(
  values: Iterable<string>,
  texts: { where: Leak['where']; text: string }[],
): { leaks: Leak[]; searched: number; skipped: number } {
  const leaks: Leak[] = [];
  let searched = 0;
  let skipped = 0;
  for (const value of new Set(values)) {
    if (!isSearchable(value)) {
      skipped += 1;
      continue;
    }
    searched += 1;
    const needles = needlesOf(value);
    for (const { where, text } of texts) {
      if (needles.some((needle) => text.includes(needle))) {
        leaks.push({ where, valueStart: value.slice(0, 12) });
      }
    }
  }
  return { leaks, searched, skipped };
}

/** Reads the recorded values (one JSON string per line, in every file of `sentDir`). */
export function readSentValues(sentDir: string): string[] {
  if (!existsSync(sentDir)) return [];
  return readdirSync(sentDir)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      readFileSync(join(sentDir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string),
    );
}

export function checkPrivacy(options: {
  sentDir: string;
  logFile: string;
  sentryFile: string;
}): PrivacyReport {
  const log = existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8') : '';
  const sentry = existsSync(options.sentryFile) ? readFileSync(options.sentryFile, 'utf8') : '';
  const { leaks, searched, skipped } = findLeaks(readSentValues(options.sentDir), [
    { where: 'log', text: log },
    { where: 'sentry', text: sentry },
  ]);
  return {
    searched,
    skipped,
    logLines: log.split('\n').filter(Boolean).length,
    sentryEnvelopes: sentry.split('\n').filter(Boolean).length,
    leaks,
  };
}

import { formatDay, localDayNumber, startOfLocalDay } from './iso-week';
import type { InstantRange } from './iso-week';

/** One mood entry as the statistics need it (notes are deliberately absent). */
export interface MoodEntryInput {
  /** 1..10 integer per the contract; any finite number is accepted. */
  score: number;
  tags: readonly string[];
  recordedAt: Date;
}

/** How the mood moved within the week (contract `stats.trend`). */
export type Trend = 'improving' | 'declining' | 'stable' | 'insufficient_data';

/** One local day of the week (contract `stats.days[]`). */
export interface DayStats {
  date: string;
  count: number;
  average: number | null;
}

/** One of the most used tags (contract `stats.topTags[]`). */
export interface TagStats {
  tag: string;
  count: number;
  average: number;
}

/** Exactly the contract's `stats` object. */
export interface WeeklyStats {
  count: number;
  average: number | null;
  min: number | null;
  max: number | null;
  trend: Trend;
  days: DayStats[];
  topTags: TagStats[];
}

/** Exactly the contract's `previousWeek` object. */
export interface PreviousWeekSummary {
  count: number;
  average: number | null;
}

/** Fewer entries than this give `insufficient_data`. */
export const MIN_ENTRIES_FOR_TREND = 4;
/** The rise (or fall) of the half-week average that counts as improving (declining). */
export const TREND_THRESHOLD = 0.75;
/** At most this many tags are reported. */
export const MAX_TOP_TAGS = 5;

/**
 * Rounds to one decimal, half away from zero, as the number is written in decimal: 2.25 → 2.3,
 * 2.35 → 2.4 (in binary 2.35 is 2.34999…, which `Math.round(x * 10) / 10` would get right only by
 * luck), -2.25 → -2.3. Works on the shortest decimal representation, so no float fuzz.
 */
export function round1(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e14) return value; // beyond this a tenth is below double precision anyway
  const text = magnitude.toString();
  if (text.includes('e')) return 0; // below 1e-6
  const [whole = '0', fraction = ''] = text.split('.');
  let tenths = Number(whole) * 10 + Number(fraction.charAt(0) || '0');
  if (fraction.charAt(1) >= '5') tenths += 1; // a 5 or more in the hundredths rounds away from zero
  if (tenths === 0) return 0;
  return (value < 0 ? -tenths : tenths) / 10;
}

/**
 * `sum / count` to one decimal, half away from zero. Integer sums (the contract's integer scores)
 * are rounded with exact integer arithmetic; anything else goes through {@link round1}.
 */
export function averageOf(sum: number, count: number): number {
  const magnitude = Math.abs(sum);
  const numerator = magnitude * 20 + count; // floor(10·|sum|/count + ½) = floor((20|sum| + count) / 2count)
  const denominator = 2 * count;
  if (
    !Number.isSafeInteger(sum) ||
    !Number.isSafeInteger(count) ||
    count <= 0 ||
    !Number.isSafeInteger(numerator)
  ) {
    return round1(sum / count);
  }
  const tenths = (numerator - (numerator % denominator)) / denominator;
  if (tenths === 0) return 0;
  return (sum < 0 ? -tenths : tenths) / 10;
}

/**
 * Trend of scores in chronological order: fewer than 4 → `insufficient_data`; otherwise the
 * average of the last ⌊n/2⌋ minus the average of the first ⌊n/2⌋ (the middle entry of an odd
 * count is in neither): ≥ 0.75 improving, ≤ −0.75 declining, else stable. Both halves have the
 * same size h, so the test is `4·(sumLast − sumFirst) ≥ 3·h`, exact for integer scores.
 */
export function trendOf(scoresInOrder: readonly number[]): Trend {
  const count = scoresInOrder.length;
  if (count < MIN_ENTRIES_FOR_TREND) return 'insufficient_data';
  const half = Math.floor(count / 2);
  const sum = (scores: readonly number[]): number => scores.reduce((total, s) => total + s, 0);
  const difference = sum(scoresInOrder.slice(count - half)) - sum(scoresInOrder.slice(0, half));
  const exact = Number.isSafeInteger(difference);
  // Integers: compare 4·difference with 3·half; otherwise compare the averages directly.
  const rise = exact ? 4 * difference : difference / half;
  const threshold = exact ? 3 * half : TREND_THRESHOLD;
  if (rise >= threshold) return 'improving';
  if (rise <= -threshold) return 'declining';
  return 'stable';
}

/** Index (0 = Monday) of the day whose bounds `[dayStarts[i], dayStarts[i + 1])` hold `at`; else -1. */
function dayIndexOf(at: number, dayStarts: readonly number[]): number {
  for (let index = 0; index + 1 < dayStarts.length; index++) {
    const start = dayStarts[index] ?? Number.NaN;
    const end = dayStarts[index + 1] ?? Number.NaN;
    if (at >= start && at < end) return index;
  }
  return -1;
}

function isUsable(entry: MoodEntryInput, range?: InstantRange): boolean {
  const at = entry.recordedAt.getTime();
  if (Number.isNaN(at) || !Number.isFinite(entry.score)) return false;
  return range === undefined || (at >= range.start.getTime() && at < range.end.getTime());
}

/**
 * The week's statistics (contract `stats`). `range` is the week from `weekRange`; entries outside
 * it, with an invalid date or a non-finite score, are ignored. Days are the seven local dates from
 * the range's start in `timeZone`, Monday first. Entries with the same `recordedAt` keep their
 * input order for the trend. Tags are counted once per entry, exactly as written (the endpoint
 * normalises case), and ranked by count, then by tag in code-point order.
 */
export function computeWeeklyStats(
  entries: readonly MoodEntryInput[],
  range: InstantRange,
  timeZone: string,
): WeeklyStats {
  const inWeek = entries
    .filter((entry) => isUsable(entry, range))
    .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime()); // stable: ties keep order
  const scores = inWeek.map((entry) => entry.score);
  const total = scores.reduce((sum, score) => sum + score, 0);

  // The eight local midnights bounding the seven days: entries are placed by comparing instants,
  // so a busy week costs no time-zone lookups per entry.
  const monday = localDayNumber(range.start, timeZone);
  const dayStarts = Array.from({ length: 8 }, (_, index) =>
    startOfLocalDay(monday + index, timeZone).getTime(),
  );
  const dayTotals = Array.from({ length: 7 }, () => ({ count: 0, sum: 0 }));
  const tagTotals = new Map<string, { count: number; sum: number }>();
  for (const entry of inWeek) {
    const day = dayTotals[dayIndexOf(entry.recordedAt.getTime(), dayStarts)];
    if (day) {
      day.count += 1;
      day.sum += entry.score;
    }
    for (const tag of new Set(entry.tags)) {
      const totals = tagTotals.get(tag) ?? { count: 0, sum: 0 };
      totals.count += 1;
      totals.sum += entry.score;
      tagTotals.set(tag, totals);
    }
  }

  const topTags = [...tagTotals]
    .sort(([tagA, a], [tagB, b]) => b.count - a.count || (tagA < tagB ? -1 : tagA > tagB ? 1 : 0))
    .slice(0, MAX_TOP_TAGS)
    .map(([tag, { count, sum }]) => ({ tag, count, average: averageOf(sum, count) }));

  return {
    count: scores.length,
    average: scores.length > 0 ? averageOf(total, scores.length) : null,
    // reduce rather than Math.min(...scores): no argument-count limit on big weeks
    min: scores.length > 0 ? scores.reduce((low, score) => Math.min(low, score)) : null,
    max: scores.length > 0 ? scores.reduce((high, score) => Math.max(high, score)) : null,
    trend: trendOf(scores),
    days: dayTotals.map(({ count, sum }, index) => ({
      date: formatDay(monday + index),
      count,
      average: count > 0 ? averageOf(sum, count) : null,
    })),
    topTags,
  };
}

/**
 * Count and 1-decimal average of the previous week's entries (contract `previousWeek`). Pass the
 * previous week's range to ignore entries outside it.
 */
export function summarizePrevious(
  entries: readonly MoodEntryInput[],
  range?: InstantRange,
): PreviousWeekSummary {
  const scores = entries.filter((entry) => isUsable(entry, range)).map((entry) => entry.score);
  const total = scores.reduce((sum, score) => sum + score, 0);
  return {
    count: scores.length,
    average: scores.length > 0 ? averageOf(total, scores.length) : null,
  };
}

/**
 * A month's budget and every figure derived from it. Amounts are integers in minor units (öre,
 * cents) and all arithmetic here is integer arithmetic: sums of at most 50 amounts of at most
 * 10^12 stay below 5 * 10^13, far inside Number.MAX_SAFE_INTEGER (about 9 * 10^15), and the one
 * division (utilization) is done on BigInts and rounded by an exact rule.
 */

/** Largest `budget` or `actual` of one category (10^12 minor units). */
export const MAX_AMOUNT = 1_000_000_000_000;
export const MAX_CATEGORIES = 50;
/** Target percents of a month add up to at most this. */
const MAX_TARGET_PERCENT_SUM = 100;

/** One category as stored. */
export interface CategoryState {
  key: string;
  label: string;
  targetPercent: number | null;
  budget: number;
  actual: number;
}

/** A month as stored; `version` is null for a month never set. */
export interface MonthState {
  month: string;
  currency: string | null;
  categories: CategoryState[];
  /** Changes with every write of the month: the ETag is made from it. */
  version: string | null;
  /** ISO 8601 UTC with milliseconds; null for a month never set. */
  updatedAt: string | null;
}

export interface CategorySummary extends CategoryState {
  difference: number;
  utilization: number | null;
}

export interface Totals {
  budget: number;
  actual: number;
  difference: number;
  utilization: number | null;
}

/** The month as the API shows it. */
export interface AllocationSummary {
  month: string;
  currency: string | null;
  categories: CategorySummary[];
  totals: Totals;
  onTrack: boolean;
  updatedAt: string | null;
}

/** What a `PUT` replaces a month with (validated, defaults applied). */
export interface MonthInput {
  month: string;
  currency: string;
  categories: CategoryState[];
}

/** A month never set: no currency, no categories. */
export function unsetMonth(month: string): MonthState {
  return { month, currency: null, categories: [], version: null, updatedAt: null };
}

/**
 * `actual / budget` rounded to 2 decimals, half up (0.125 -> 0.13), computed exactly as
 * floor((200 * actual + budget) / (2 * budget)) hundredths; null when the budget is 0 (no
 * ratio exists). The hundredths are an exact integer; dividing it by 100 only formats it (the
 * double nearest n/100 prints as exactly n/100).
 */
export function utilization(actual: number, budget: number): number | null {
  assertAmount(actual, 'actual');
  assertAmount(budget, 'budget');
  if (budget === 0) return null;
  const a = BigInt(actual);
  const b = BigInt(budget);
  const hundredths = (200n * a + b) / (2n * b);
  return Number(hundredths) / 100;
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** Every derived figure of a month. */
export function summarize(state: MonthState): AllocationSummary {
  let budget = 0;
  let actual = 0;
  let onTrack = true;
  const categories = state.categories.map((category): CategorySummary => {
    budget += category.budget;
    actual += category.actual;
    if (category.actual > category.budget) onTrack = false;
    return {
      key: category.key,
      label: category.label,
      targetPercent: category.targetPercent,
      budget: category.budget,
      actual: category.actual,
      difference: category.budget - category.actual,
      utilization: utilization(category.actual, category.budget),
    };
  });
  return {
    month: state.month,
    currency: state.currency,
    categories,
    totals: {
      budget,
      actual,
      difference: budget - actual,
      utilization: utilization(actual, budget),
    },
    onTrack,
    updatedAt: state.updatedAt,
  };
}

/** Why a month's categories break a cross-field rule, as `{index, message}` (null path: the list). */
export interface CategoryProblem {
  /** Index of the category the problem is reported on, or null for the list as a whole. */
  index: number | null;
  field: 'key' | 'targetPercent' | null;
  message: string;
}

/** Unique keys and target percents summing to at most 100. */
export function categoryProblems(
  categories: readonly Pick<CategoryState, 'key' | 'targetPercent'>[],
): CategoryProblem[] {
  const problems: CategoryProblem[] = [];
  const seen = new Set<string>();
  let percentSum = 0;
  categories.forEach((category, index) => {
    if (seen.has(category.key)) {
      problems.push({ index, field: 'key', message: `Duplicate key "${category.key}".` });
    }
    seen.add(category.key);
    percentSum += category.targetPercent ?? 0;
  });
  if (percentSum > MAX_TARGET_PERCENT_SUM) {
    problems.push({
      index: null,
      field: null,
      message: `Target percents add up to ${percentSum}; they may add up to at most ${MAX_TARGET_PERCENT_SUM}.`,
    });
  }
  return problems;
}

export type DeltaOutcome =
  | { ok: true; state: MonthState }
  | { ok: false; reason: 'unknown_key' | 'below_zero' | 'above_max' };

/**
 * Adds `delta` to one category's actual. The result must stay within 0..MAX_AMOUNT; the
 * returned state keeps `version` and `updatedAt` (the writer sets new ones).
 */
export function applyActualDelta(state: MonthState, key: string, delta: number): DeltaOutcome {
  const index = state.categories.findIndex((category) => category.key === key);
  const category = state.categories[index];
  if (!category) return { ok: false, reason: 'unknown_key' };
  const actual = category.actual + delta;
  if (actual < 0) return { ok: false, reason: 'below_zero' };
  if (actual > MAX_AMOUNT) return { ok: false, reason: 'above_max' };
  const categories = state.categories.slice();
  categories[index] = { ...category, actual };
  return { ok: true, state: { ...state, categories } };
}

/** The version of a month never set, as its ETag shows it. */
const UNSET_VERSION = 'unset';

/** The strong ETag of a month (quoted, as HTTP wants it). */
export function etagOf(state: Pick<MonthState, 'version'>): string {
  return `"${state.version ?? UNSET_VERSION}"`;
}

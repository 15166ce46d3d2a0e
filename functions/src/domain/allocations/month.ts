/** Budget months (`YYYY-MM`, UTC calendar months) and the range the API accepts. */

const MONTH_FORMAT = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The accepted range, inclusive: wide enough for any real budget, narrow enough to be sane. */
const FIRST_MONTH = '2000-01';
const LAST_MONTH = '2100-12';

/** Why a month string is not accepted, or null when it is. */
export function monthProblem(value: string): string | null {
  if (!MONTH_FORMAT.test(value)) return 'Must be a month as YYYY-MM, e.g. 2026-11.';
  // Same width and format, so string order is calendar order.
  if (value < FIRST_MONTH || value > LAST_MONTH) {
    return `Must be from ${FIRST_MONTH} to ${LAST_MONTH}.`;
  }
  return null;
}

/** The UTC calendar month of `now` as `YYYY-MM`. */
export function utcMonthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

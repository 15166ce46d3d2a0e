/**
 * Weekly analysis: ISO weeks in a time zone, the week's statistics and the insights about them
 * (the model's, or the built-in fallback).
 */
export {
  canonicalTimeZone,
  formatIsoWeek,
  isoWeekOf,
  isoWeeksInYear,
  isValidTimeZone,
  parseIsoWeek,
  previousWeek,
  weekRange,
} from './iso-week';
export type { InstantRange, IsoWeek } from './iso-week';
export { computeWeeklyStats, summarizePrevious } from './stats';
export type { DayStats, MoodEntryInput, TagStats, Trend, WeeklyStats } from './stats';
export { fallbackInsights } from './fallback';
export type { Insights } from './fallback';
export type { ModelInsights } from './prompt';
export { weeklyInsights } from './insights';

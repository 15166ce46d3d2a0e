/** Weekly analysis: ISO weeks in a time zone, the week's statistics and the insights about them (the model's, or the built-in fallback). */
export {
  canonicalTimeZone,
  civilDate,
  dayNumber,
  formatDay,
  formatIsoWeek,
  isoWeekDates,
  isoWeekOf,
  isoWeekOfDay,
  isoWeeksInYear,
  isValidTimeZone,
  localDate,
  localDayNumber,
  mondayOf,
  nextWeek,
  parseIsoWeek,
  previousWeek,
  startOfLocalDay,
  weekRange,
} from './iso-week';
export type { CivilDate, InstantRange, IsoWeek } from './iso-week';
export {
  averageOf,
  computeWeeklyStats,
  MAX_TOP_TAGS,
  MIN_ENTRIES_FOR_TREND,
  round1,
  summarizePrevious,
  TREND_THRESHOLD,
  trendOf,
} from './stats';
export type {
  DayStats,
  MoodEntryInput,
  PreviousWeekSummary,
  TagStats,
  Trend,
  WeeklyStats,
} from './stats';
export {
  fallbackInsights,
  MAX_SUGGESTIONS,
  SUGGESTION_MAX_CHARS,
  SUMMARY_MAX_CHARS,
} from './fallback';
export type { Insights } from './fallback';
export {
  buildInsightsPrompt,
  INSIGHTS_SCHEMA_NAME,
  insightsJsonSchema,
  insightsResponseFormat,
  insightsSchema,
} from './prompt';
export type { ModelInsights } from './prompt';
export { INSIGHTS_DEADLINE_MS, weeklyInsights } from './insights';
export type {
  GenerateStructured,
  WeeklyInsights,
  WeeklyInsightsInput,
  WeeklyInsightsOutcome,
} from './insights';

/**
 * ISO 8601 weeks and local-time arithmetic on IANA time zones, using only `Intl.DateTimeFormat`.
 *
 * Calendar maths is done on "day numbers" (days since 1970-01-01 in the proleptic Gregorian
 * calendar) with integer arithmetic, so it needs no `Date` and has no time-zone or year-0..99
 * pitfalls; `Intl` is only asked "what does the wall clock show at this instant in this zone".
 */

/** An ISO week: `week` is 1..52, or 53 in years that have one. */
export interface IsoWeek {
  year: number;
  week: number;
}

/** A half-open range of instants: `start` inclusive, `end` exclusive. */
export interface InstantRange {
  start: Date;
  end: Date;
}

/** A calendar date without a time zone. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;
// Year 0 and earlier are outside what `YYYY-Www` and Intl's era-less years can express.
const MIN_YEAR = 1;

// ---------------------------------------------------------------- calendar (no time zones)

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day number (inverse of {@link dayNumber}). */
export function civilDate(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** Day number of the Monday of week 1 (the week with the year's first Thursday, i.e. 4 January). */
function firstMonday(year: number): number {
  const january4 = dayNumber({ year, month: 1, day: 4 });
  return january4 - (isoWeekday(january4) - 1);
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
export function isoWeeksInYear(year: number): 52 | 53 {
  return firstMonday(year + 1) - firstMonday(year) === 53 * 7 ? 53 : 52;
}

/** The ISO week containing a calendar date (the week of its Thursday). */
export function isoWeekOfDay(days: number): IsoWeek {
  const thursday = days + 4 - isoWeekday(days);
  const { year } = civilDate(thursday);
  return { year, week: Math.floor((thursday - firstMonday(year)) / 7) + 1 };
}

/** Day number of the Monday that starts an ISO week. */
function mondayOf({ year, week }: IsoWeek): number {
  return firstMonday(year) + (week - 1) * 7;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** `YYYY-MM-DD` of a day number. */
export function formatDay(days: number): string {
  const { year, month, day } = civilDate(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The seven `YYYY-MM-DD` dates of an ISO week, Monday first. */
export function isoWeekDates(week: IsoWeek): string[] {
  const monday = mondayOf(week);
  return Array.from({ length: 7 }, (_, index) => formatDay(monday + index));
}

/** Parses `YYYY-Www` (e.g. `2026-W47`); `null` unless the week exists in that year. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < MIN_YEAR || week < 1 || week > isoWeeksInYear(year)) return null;
  return { year, week };
}

/** Formats an ISO week as `YYYY-Www`. */
export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${pad(year, 4)}-W${pad(week, 2)}`;
}

/** The week before, crossing into the previous year's last week (52 or 53) from week 1. */
export function previousWeek({ year, week }: IsoWeek): IsoWeek {
  return week > 1 ? { year, week: week - 1 } : { year: year - 1, week: isoWeeksInYear(year - 1) };
}

/** The week after, crossing into week 1 of the next year after the last week. */
export function nextWeek({ year, week }: IsoWeek): IsoWeek {
  return week < isoWeeksInYear(year) ? { year, week: week + 1 } : { year: year + 1, week: 1 };
}

// ---------------------------------------------------------------- time zones

// One formatter per zone: building one costs far more than using it. Bounded, since zone names
// come from requests and Intl accepts many spellings ("europe/stockholm") of one zone.
const MAX_CACHED_ZONES = 256;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock at instant `ms` in a zone, expressed as milliseconds of a UTC day number. */
function wallClock(ms: number, timeZone: string): number {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const hour = fields.hour === 24 ? 0 : fields.hour; // some ICU versions print midnight as 24
  const days = dayNumber(fields);
  const millis = ((ms % 1000) + 1000) % 1000;
  return days * DAY_MS + ((hour * 60 + fields.minute) * 60 + fields.second) * 1000 + millis;
}

function checkInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid date');
  return ms;
}

/** Day number of the local date of an instant in a zone. Throws `RangeError` on a bad zone. */
export function localDayNumber(instant: Date, timeZone: string): number {
  return Math.floor(wallClock(checkInstant(instant), timeZone) / DAY_MS);
}

/** The local date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  return formatDay(localDayNumber(instant, timeZone));
}

/** The ISO week containing the local date of an instant in a zone. */
export function isoWeekOf(instant: Date, timeZone: string): IsoWeek {
  return isoWeekOfDay(localDayNumber(instant, timeZone));
}

/**
 * The first instant of a local day: its midnight, or, in zones that skip midnight for a DST change
 * (America/Santiago, Asia/Beirut), the moment the clocks jump forward. When midnight happens twice
 * the earlier one is returned.
 */
export function startOfLocalDay(days: number, timeZone: string): Date {
  const midnight = days * DAY_MS; // the local midnight's wall clock, as a number
  const offsetAt = (ms: number): number => wallClock(ms, timeZone) - ms;
  // Offsets around that day; transitions are far more than a day apart in real zones.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((delta) => offsetAt(midnight + delta)))];
  offsets.sort((a, b) => b - a); // largest offset = earliest instant
  for (const offset of offsets) {
    const candidate = midnight - offset;
    if (wallClock(candidate, timeZone) === midnight) return new Date(candidate);
  }
  // Midnight does not exist: find the first instant whose wall clock is past it.
  let before = midnight - (offsets[0] ?? 0);
  let after = midnight - (offsets[offsets.length - 1] ?? 0);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(middle, timeZone) >= midnight) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/**
 * Monday 00:00 local to the next Monday 00:00 local, as UTC instants (so a week with a DST change
 * is 167 or 169 hours long).
 */
export function weekRange(week: IsoWeek, timeZone: string): InstantRange {
  const monday = mondayOf(week);
  return { start: startOfLocalDay(monday, timeZone), end: startOfLocalDay(monday + 7, timeZone) };
}

/**
 * Whether a string names an IANA time zone that this runtime knows (`Europe/Stockholm`, `UTC`).
 * Offsets such as `+01:00`, which newer runtimes also accept, are refused: the contract asks for
 * IANA names.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The runtime's canonical spelling of a valid zone (`europe/stockholm` → `Europe/Stockholm`). */
export function canonicalTimeZone(timeZone: string): string | null {
  return isValidTimeZone(timeZone) ? formatterFor(timeZone).resolvedOptions().timeZone : null;
}

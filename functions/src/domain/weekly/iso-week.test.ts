import {
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
  nextWeek,
  parseIsoWeek,
  previousWeek,
  startOfLocalDay,
  weekRange,
} from './iso-week';
import type { IsoWeek } from './iso-week';

const HOUR = 3_600_000;
const day = (iso: string): number => {
  const [year, month, date] = iso.split('-').map(Number);
  return dayNumber({ year: year!, month: month!, day: date! });
};
const week = (text: string): IsoWeek => {
  const parsed = parseIsoWeek(text);
  if (!parsed) throw new Error(`bad week ${text}`);
  return parsed;
};
const rangeOf = (text: string, zone: string) => {
  const { start, end } = weekRange(week(text), zone);
  return { start: start.toISOString(), end: end.toISOString(), hours: (+end - +start) / HOUR };
};

describe('calendar day numbers', () => {
  it('agree with Date.UTC over four centuries, including leap days', () => {
    const mismatches: number[] = [];
    for (let days = dayNumber({ year: 1800, month: 1, day: 1 }); days < 84_000; days += 1) {
      const date = new Date(days * 86_400_000);
      const civil = civilDate(days);
      const expected = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (civil.year !== expected[0] || civil.month !== expected[1] || civil.day !== expected[2]) {
        mismatches.push(days);
      }
      if (dayNumber(civil) !== days) mismatches.push(days);
    }
    expect(mismatches).toEqual([]);
  });

  it('handle leap years, including the century rules', () => {
    expect(formatDay(day('2024-02-28') + 1)).toBe('2024-02-29');
    expect(formatDay(day('2000-02-28') + 1)).toBe('2000-02-29');
    expect(formatDay(day('1900-02-28') + 1)).toBe('1900-03-01');
    expect(formatDay(day('2100-02-28') + 1)).toBe('2100-03-01');
    expect(formatDay(0)).toBe('1970-01-01');
    expect(formatDay(day('0099-12-31'))).toBe('0099-12-31'); // no Date year-0..99 trap
  });
});

describe('parseIsoWeek and formatIsoWeek', () => {
  it.each([
    ['2026-W47', { year: 2026, week: 47 }],
    ['2026-W01', { year: 2026, week: 1 }],
    ['2026-W53', { year: 2026, week: 53 }],
    ['2020-W53', { year: 2020, week: 53 }],
    ['2015-W53', { year: 2015, week: 53 }],
    ['0001-W01', { year: 1, week: 1 }],
  ])('parses %s', (text, expected) => {
    expect(parseIsoWeek(text)).toEqual(expected);
    expect(formatIsoWeek(expected)).toBe(text);
  });

  it.each([
    '2027-W53', // 2027 has 52 weeks
    '2025-W53',
    '2026-W00',
    '2026-W54',
    '2026-w47',
    '2026W47',
    '2026-W7',
    '2026-W047',
    ' 2026-W47',
    '2026-W47 ',
    '26-W47',
    '0000-W01',
    '２０２６-W47',
    '2026-W4７',
    '',
  ])('refuses %p', (text) => {
    expect(parseIsoWeek(text)).toBeNull();
  });

  it('pads years and weeks', () => {
    expect(formatIsoWeek({ year: 2026, week: 7 })).toBe('2026-W07');
    expect(formatIsoWeek({ year: 999, week: 1 })).toBe('0999-W01');
  });

  it('round-trips every week of a decade', () => {
    for (let year = 2020; year < 2030; year++) {
      for (let number = 1; number <= isoWeeksInYear(year); number++) {
        const text = formatIsoWeek({ year, week: number });
        expect(parseIsoWeek(text)).toEqual({ year, week: number });
      }
    }
  });
});

describe('isoWeeksInYear', () => {
  it.each([1992, 1998, 2004, 2009, 2015, 2020, 2026, 2032, 2037])('%i has 53 weeks', (year) => {
    expect(isoWeeksInYear(year)).toBe(53);
  });
  it.each([2000, 2016, 2021, 2022, 2023, 2024, 2025, 2027, 2028])('%i has 52 weeks', (year) => {
    expect(isoWeeksInYear(year)).toBe(52);
  });
});

describe('ISO weeks of dates', () => {
  it.each([
    ['2026-01-01', '2026-W01'], // a Thursday
    ['2025-12-29', '2026-W01'], // Monday of week 1 is in the previous year
    ['2025-12-28', '2025-W52'],
    ['2027-01-03', '2026-W53'], // Sunday of week 53 is in the next year
    ['2027-01-04', '2027-W01'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2024-02-29', '2024-W09'],
    ['2026-11-16', '2026-W47'],
  ])('%s is in %s', (date, expected) => {
    expect(formatIsoWeek(isoWeekOfDay(day(date)))).toBe(expected);
  });

  it('lists the days of a week, Monday first, across a leap day', () => {
    expect(isoWeekDates(week('2024-W09'))).toEqual([
      '2024-02-26',
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
      '2024-03-03',
    ]);
    expect(isoWeekDates(week('2026-W53'))[6]).toBe('2027-01-03');
  });
});

describe('previousWeek and nextWeek', () => {
  it.each([
    ['2026-W10', '2026-W09'],
    ['2026-W01', '2025-W52'],
    ['2027-W01', '2026-W53'],
    ['2021-W01', '2020-W53'],
  ])('before %s is %s', (text, expected) => {
    expect(formatIsoWeek(previousWeek(week(text)))).toBe(expected);
    expect(formatIsoWeek(nextWeek(week(expected)))).toBe(text);
  });
});

describe('localDate and isoWeekOf in a time zone', () => {
  it.each([
    ['2026-12-27T23:30:00Z', 'UTC', '2026-12-27', '2026-W52'],
    ['2026-12-27T23:30:00Z', 'Europe/Stockholm', '2026-12-28', '2026-W53'],
    ['2026-03-29T18:29:59.999Z', 'Asia/Kolkata', '2026-03-29', '2026-W13'], // +5:30
    ['2026-03-29T18:30:00.000Z', 'Asia/Kolkata', '2026-03-30', '2026-W14'],
    ['2026-01-04T10:14:59.999Z', 'Pacific/Chatham', '2026-01-04', '2026-W01'], // +13:45 (summer)
    ['2026-01-04T10:15:00.000Z', 'Pacific/Chatham', '2026-01-05', '2026-W02'],
    ['2026-01-05T03:29:59.999Z', 'America/St_Johns', '2026-01-04', '2026-W01'], // -3:30
    ['2026-01-05T03:30:00.000Z', 'America/St_Johns', '2026-01-05', '2026-W02'],
    ['2027-01-01T12:00:00Z', 'UTC', '2027-01-01', '2026-W53'],
    ['2024-02-29T23:00:00Z', 'Asia/Tokyo', '2024-03-01', '2024-W09'],
  ])('%s in %s is %s, %s', (instant, zone, date, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(date);
    expect(formatIsoWeek(isoWeekOf(new Date(instant), zone))).toBe(expected);
  });

  it('handles instants before 1970 and milliseconds', () => {
    expect(localDate(new Date('1969-12-31T23:59:59.999Z'), 'UTC')).toBe('1969-12-31');
    expect(localDayNumber(new Date('1969-12-31T23:59:59.999Z'), 'UTC')).toBe(-1);
  });

  it('throws RangeError on an invalid date or zone', () => {
    expect(() => localDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
    expect(() => isoWeekOf(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('weekRange', () => {
  it('is Monday 00:00 to Monday 00:00 local', () => {
    expect(rangeOf('2026-W47', 'Europe/Stockholm')).toEqual({
      start: '2026-11-15T23:00:00.000Z',
      end: '2026-11-22T23:00:00.000Z',
      hours: 168,
    });
    expect(rangeOf('2026-W47', 'UTC')).toEqual({
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
      hours: 168,
    });
  });

  it('crosses year boundaries', () => {
    expect(rangeOf('2026-W01', 'UTC')).toEqual({
      start: '2025-12-29T00:00:00.000Z',
      end: '2026-01-05T00:00:00.000Z',
      hours: 168,
    });
    expect(rangeOf('2026-W53', 'UTC')).toEqual({
      start: '2026-12-28T00:00:00.000Z',
      end: '2027-01-04T00:00:00.000Z',
      hours: 168,
    });
    expect(rangeOf('2026-W01', 'Asia/Kolkata').start).toBe('2025-12-28T18:30:00.000Z');
  });

  it('is 167 hours across the March change and 169 across the October change (Stockholm)', () => {
    // 2026-03-29 and 2026-10-25 are the last Sundays of March and October: weeks 13 and 43.
    expect(rangeOf('2026-W13', 'Europe/Stockholm')).toEqual({
      start: '2026-03-22T23:00:00.000Z',
      end: '2026-03-29T22:00:00.000Z',
      hours: 167,
    });
    expect(rangeOf('2026-W43', 'Europe/Stockholm')).toEqual({
      start: '2026-10-18T22:00:00.000Z',
      end: '2026-10-25T23:00:00.000Z',
      hours: 169,
    });
    expect(rangeOf('2026-W44', 'Europe/Stockholm').hours).toBe(168);
  });

  it.each([
    // zone, week, start, end, hours
    ['Pacific/Chatham', '2026-W14', '2026-03-29T10:15:00.000Z', '2026-04-05T11:15:00.000Z', 169],
    ['Pacific/Chatham', '2026-W40', '2026-09-27T10:15:00.000Z', '2026-10-04T10:15:00.000Z', 168],
    ['America/St_Johns', '2026-W44', '2026-10-26T02:30:00.000Z', '2026-11-02T03:30:00.000Z', 169],
    ['America/St_Johns', '2026-W10', '2026-03-02T03:30:00.000Z', '2026-03-09T02:30:00.000Z', 167],
    ['Asia/Kolkata', '2026-W13', '2026-03-22T18:30:00.000Z', '2026-03-29T18:30:00.000Z', 168],
    ['America/Santiago', '2026-W14', '2026-03-30T03:00:00.000Z', '2026-04-06T04:00:00.000Z', 169],
    ['America/Santiago', '2026-W36', '2026-08-31T04:00:00.000Z', '2026-09-07T03:00:00.000Z', 167],
    [
      'Australia/Lord_Howe',
      '2026-W14',
      '2026-03-29T13:00:00.000Z',
      '2026-04-05T13:30:00.000Z',
      168.5,
    ],
  ])('%s %s', (zone, text, start, end, hours) => {
    expect(rangeOf(text, zone)).toEqual({ start, end, hours });
  });

  it('starts at the first instant of a Monday whose midnight does not exist (Tehran 2021)', () => {
    // Iran moved clocks from 00:00 to 01:00 on Monday 2021-03-22.
    const { start } = weekRange(week('2021-W12'), 'Asia/Tehran');
    expect(start.toISOString()).toBe('2021-03-21T20:30:00.000Z');
    expect(localDate(start, 'Asia/Tehran')).toBe('2021-03-22');
    expect(localDate(new Date(+start - 1), 'Asia/Tehran')).toBe('2021-03-21');
    expect(rangeOf('2021-W12', 'Asia/Tehran').hours).toBe(167);
  });

  it('throws RangeError on an invalid zone', () => {
    expect(() => weekRange(week('2026-W47'), 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    // Clocks jump from 00:00 to 01:00: the day starts at 01:00 local.
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'],
    ['Asia/Beirut', '2026-03-29', '2026-03-28T22:00:00.000Z'],
    ['America/Havana', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    // Clocks fall back from 24:00 to 23:00: midnight happens once, after the repeated hour.
    ['America/Santiago', '2026-04-05', '2026-04-05T04:00:00.000Z'],
    ['Asia/Beirut', '2026-10-25', '2026-10-24T22:00:00.000Z'],
    // Clocks fall back from 01:00 to 00:00: midnight happens twice; the first one counts.
    ['America/Havana', '2026-11-01', '2026-11-01T04:00:00.000Z'],
    // Samoa skipped 2011-12-30 entirely: the "day" is empty and starts when the 31st does.
    ['Pacific/Apia', '2011-12-30', '2011-12-30T10:00:00.000Z'],
    ['Pacific/Apia', '2011-12-31', '2011-12-30T10:00:00.000Z'],
  ])('%s %s starts at %s', (zone, date, expected) => {
    expect(startOfLocalDay(day(date), zone).toISOString()).toBe(expected);
  });

  it('is the first instant of the local date, every day of 2026, in zones with odd rules', () => {
    const zones = [
      'UTC',
      'Europe/Stockholm',
      'America/Santiago',
      'Asia/Beirut',
      'America/Havana',
      'Pacific/Chatham',
      'America/St_Johns',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'America/Asuncion',
    ];
    const wrong: string[] = [];
    for (const zone of zones) {
      for (let days = day('2026-01-01'); days <= day('2026-12-31'); days++) {
        const start = startOfLocalDay(days, zone);
        if (localDate(start, zone) !== formatDay(days)) wrong.push(`${zone} ${formatDay(days)}`);
        if (localDate(new Date(+start - 1), zone) !== formatDay(days - 1)) {
          wrong.push(`${zone} ${formatDay(days)} (earlier instant)`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('isValidTimeZone and canonicalTimeZone', () => {
  it.each([
    'UTC',
    'Europe/Stockholm',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'America/St_Johns',
    'America/Argentina/Buenos_Aires',
    'Etc/GMT+5',
  ])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each([
    'Mars/Olympus',
    '',
    ' Europe/Stockholm',
    'Europe/Stockholm ',
    '+01:00',
    '-05:00',
    'UTC+1',
    'Europe/../Stockholm',
    'Europe/Stockholm\n',
    'x'.repeat(100),
  ])('refuses %p', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    expect(canonicalTimeZone(zone)).toBeNull();
  });

  it('gives the canonical spelling', () => {
    expect(canonicalTimeZone('europe/stockholm')).toBe('Europe/Stockholm');
    expect(canonicalTimeZone('utc')).toBe('UTC');
  });

  it('keeps working when many spellings of zones are used (bounded cache)', () => {
    const spellings = Array.from({ length: 600 }, (_, index) =>
      [...'europe/stockholm']
        .map((char, position) => ((index >> position) & 1 ? char.toUpperCase() : char))
        .join(''),
    );
    for (const spelling of spellings) expect(isValidTimeZone(spelling)).toBe(true);
    expect(localDate(new Date('2026-11-16T00:00:00Z'), 'Europe/Stockholm')).toBe('2026-11-16');
  });
});

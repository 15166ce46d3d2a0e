import { parseIsoWeek, weekRange } from './iso-week';
import {
  averageOf,
  computeWeeklyStats,
  MAX_TOP_TAGS,
  round1,
  summarizePrevious,
  trendOf,
} from './stats';
import type { MoodEntryInput } from './stats';

const STOCKHOLM = 'Europe/Stockholm';
const week47 = weekRange(parseIsoWeek('2026-W47')!, STOCKHOLM); // Mon 2026-11-16 local
const entry = (recordedAt: string, score: number, tags: string[] = []): MoodEntryInput => ({
  score,
  tags,
  recordedAt: new Date(recordedAt),
});
const stats = (entries: MoodEntryInput[], range = week47, zone = STOCKHOLM) =>
  computeWeeklyStats(entries, range, zone);

describe('round1', () => {
  it.each([
    [2.25, 2.3],
    [2.35, 2.4],
    [2.45, 2.5],
    [1.15, 1.2], // Math.round(1.15 * 10) / 10 gives 1.1
    [4.35, 4.4], // Math.round(4.35 * 10) / 10 gives 4.3
    [2.05, 2.1],
    [0.05, 0.1],
    [0.15, 0.2],
    [1.005, 1],
    [9.95, 10],
    [9.94, 9.9],
    [7, 7],
    [6.666666666666667, 6.7],
    [-2.25, -2.3],
    [-2.24, -2.2],
    [0.04, 0],
    [1e-7, 0],
    [123456.75, 123456.8],
  ])('%p → %p', (value, expected) => {
    expect(round1(value)).toBe(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(round1(-0.04), 0)).toBe(true);
    expect(Object.is(round1(-0), 0)).toBe(true);
  });

  it('passes non-finite values and huge values through', () => {
    expect(round1(Number.NaN)).toBeNaN();
    expect(round1(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(round1(1e20)).toBe(1e20);
  });
});

describe('averageOf', () => {
  it.each([
    [9, 4, 2.3], // 2.25
    [47, 20, 2.4], // 2.35
    [1, 3, 0.3],
    [2, 3, 0.7],
    [20, 3, 6.7],
    [23, 4, 5.8], // 5.75
    [70, 10, 7],
    [0, 5, 0],
    [-9, 4, -2.3],
    [4.5, 2, 2.3], // non-integer sum: decimal rounding of 2.25
  ])('%p / %p → %p', (sum, count, expected) => {
    expect(averageOf(sum, count)).toBe(expected);
  });

  it('is exact for every integer average of up to 50 scores', () => {
    const wrong: string[] = [];
    for (let count = 1; count <= 50; count++) {
      for (let sum = count; sum <= count * 10; sum++) {
        // Reference: exact decimal rounding with BigInt.
        const tenthsTimes2 = (BigInt(sum) * 20n) / BigInt(count);
        const tenths = Number((tenthsTimes2 + 1n) / 2n);
        if (averageOf(sum, count) !== tenths / 10) wrong.push(`${sum}/${count}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('trendOf', () => {
  it.each([
    [[], 'insufficient_data'],
    [[5], 'insufficient_data'],
    [[1, 10, 1], 'insufficient_data'],
    [[5, 5, 5, 5], 'stable'],
    [[5, 5, 5, 6], 'stable'], // +0.5
    [[5, 5, 6, 6], 'improving'], // +1
    [[6, 6, 5, 5], 'declining'],
    [[5, 5, 5, 5, 6, 6, 6, 5], 'improving'], // 5 → 5.75: exactly +0.75
    [[6, 6, 6, 5, 5, 5, 5, 5], 'declining'], // 5.75 → 5: exactly −0.75
    [[5, 5, 5, 5, 6, 6, 5, 5], 'stable'], // +0.5
    [[5, 5, 5, 5, 1, 6, 6, 6, 5], 'improving'], // odd count: the middle entry is in neither half
    [[8, 8, 1, 3, 3], 'declining'],
    [[1, 2, 9, 10], 'improving'],
    [[5, 5, 5.75, 5.75], 'improving'], // non-integer scores compare the averages
    [[5, 5, 5.7, 5.7], 'stable'],
  ])('%p → %s', (scores, expected) => {
    expect(trendOf(scores)).toBe(expected);
  });
});

describe('computeWeeklyStats', () => {
  it('gives an empty week with seven null days', () => {
    expect(stats([])).toEqual({
      count: 0,
      average: null,
      min: null,
      max: null,
      trend: 'insufficient_data',
      days: [
        '2026-11-16',
        '2026-11-17',
        '2026-11-18',
        '2026-11-19',
        '2026-11-20',
        '2026-11-21',
        '2026-11-22',
      ].map((date) => ({ date, count: 0, average: null })),
      topTags: [],
    });
  });

  it('handles one entry', () => {
    const result = stats([entry('2026-11-18T12:00:00Z', 7, ['walk'])]);
    expect(result).toMatchObject({ count: 1, average: 7, min: 7, max: 7 });
    expect(result.trend).toBe('insufficient_data');
    expect(result.days[2]).toEqual({ date: '2026-11-18', count: 1, average: 7 });
    expect(result.topTags).toEqual([{ tag: 'walk', count: 1, average: 7 }]);
  });

  it('handles three entries (still no trend)', () => {
    const result = stats([
      entry('2026-11-16T08:00:00Z', 2),
      entry('2026-11-17T08:00:00Z', 5),
      entry('2026-11-18T08:00:00Z', 9),
    ]);
    expect(result).toMatchObject({ count: 3, average: 5.3, min: 2, max: 9 });
    expect(result.trend).toBe('insufficient_data');
  });

  it('handles four entries, ordering them by recordedAt for the trend', () => {
    const result = stats([
      entry('2026-11-20T08:00:00Z', 8),
      entry('2026-11-16T08:00:00Z', 4),
      entry('2026-11-21T08:00:00Z', 8),
      entry('2026-11-17T08:00:00Z', 5),
    ]);
    expect(result).toMatchObject({ count: 4, average: 6.3, min: 4, max: 8 });
    expect(result.trend).toBe('improving'); // 4.5 → 8
  });

  it('handles five entries: the middle one is in neither half', () => {
    const result = stats([
      entry('2026-11-16T08:00:00Z', 6),
      entry('2026-11-17T08:00:00Z', 6),
      entry('2026-11-18T08:00:00Z', 1),
      entry('2026-11-19T08:00:00Z', 6),
      entry('2026-11-20T08:00:00Z', 6),
    ]);
    expect(result.trend).toBe('stable');
    expect(result.average).toBe(5);
  });

  it('keeps the input order of entries with the same recordedAt', () => {
    const at = '2026-11-18T08:00:00Z';
    expect(stats([entry(at, 2), entry(at, 2), entry(at, 9), entry(at, 9)]).trend).toBe('improving');
    expect(stats([entry(at, 9), entry(at, 9), entry(at, 2), entry(at, 2)]).trend).toBe('declining');
  });

  it('rounds averages half away from zero with exact arithmetic', () => {
    // 2 + 2 + 2 + 3 = 9 → 2.25 → 2.3; on one day, so the day average matches.
    const result = stats([
      entry('2026-11-16T06:00:00Z', 2),
      entry('2026-11-16T07:00:00Z', 2),
      entry('2026-11-16T08:00:00Z', 2),
      entry('2026-11-16T09:00:00Z', 3),
    ]);
    expect(result.average).toBe(2.3);
    expect(result.days[0]?.average).toBe(2.3);
  });

  it('puts entries on local days of the zone, Monday first', () => {
    const result = stats([
      entry('2026-11-15T23:00:00.000Z', 3), // Monday 00:00 in Stockholm
      entry('2026-11-16T22:59:59.999Z', 5), // Monday 23:59:59.999
      entry('2026-11-16T23:00:00.000Z', 7), // Tuesday 00:00
      entry('2026-11-22T22:59:59.999Z', 9), // Sunday, last instant of the week
    ]);
    expect(result.days.map((d) => [d.date, d.count, d.average])).toEqual([
      ['2026-11-16', 2, 4],
      ['2026-11-17', 1, 7],
      ['2026-11-18', 0, null],
      ['2026-11-19', 0, null],
      ['2026-11-20', 0, null],
      ['2026-11-21', 0, null],
      ['2026-11-22', 1, 9],
    ]);
  });

  it('ignores entries outside the range, with invalid dates or non-finite scores', () => {
    const result = stats([
      entry('2026-11-15T22:59:59.999Z', 1), // before the start
      entry('2026-11-22T23:00:00.000Z', 1), // the end is exclusive
      entry('not a date', 1),
      entry('2026-11-18T12:00:00Z', Number.NaN),
      entry('2026-11-18T12:00:00Z', 8),
    ]);
    expect(result).toMatchObject({ count: 1, average: 8, min: 8, max: 8 });
    expect(result.days.reduce((sum, d) => sum + d.count, 0)).toBe(1);
  });

  it('uses local days across a DST change (Stockholm week 13, 167 hours)', () => {
    const range = weekRange(parseIsoWeek('2026-W13')!, STOCKHOLM);
    const result = stats(
      [
        entry('2026-03-28T22:59:59.999Z', 4), // Saturday 23:59:59.999 (+01:00)
        entry('2026-03-28T23:00:00.000Z', 6), // Sunday 00:00 (+01:00)
        entry('2026-03-29T21:59:59.999Z', 8), // Sunday 23:59:59.999 (+02:00), last instant
      ],
      range,
    );
    expect(result.days.map((d) => d.count)).toEqual([0, 0, 0, 0, 0, 1, 2]);
    expect(result.days[6]).toEqual({ date: '2026-03-29', count: 2, average: 7 });
  });

  it('uses local days in half-hour and 45-minute zones', () => {
    const kolkata = weekRange(parseIsoWeek('2026-W47')!, 'Asia/Kolkata');
    const india = stats([entry('2026-11-15T18:30:00Z', 5)], kolkata, 'Asia/Kolkata');
    expect(india.days[0]).toEqual({ date: '2026-11-16', count: 1, average: 5 });

    const chatham = weekRange(parseIsoWeek('2026-W47')!, 'Pacific/Chatham');
    const islands = stats([entry('2026-11-22T10:14:59Z', 5)], chatham, 'Pacific/Chatham');
    expect(islands.days[6]).toEqual({ date: '2026-11-22', count: 1, average: 5 });
  });

  it('ranks at most five tags by count, then by tag, each counted once per entry', () => {
    const result = stats([
      entry('2026-11-16T08:00:00Z', 8, ['walk', 'walk', 'friends']),
      entry('2026-11-17T08:00:00Z', 7, ['walk', 'sleep']),
      entry('2026-11-18T08:00:00Z', 3, ['work', 'sleep']),
      entry('2026-11-19T08:00:00Z', 4, ['work']),
      entry('2026-11-20T08:00:00Z', 6, ['zebra', 'art', 'Beta', 'cafe']),
    ]);
    expect(result.topTags).toEqual([
      { tag: 'sleep', count: 2, average: 5 },
      { tag: 'walk', count: 2, average: 7.5 },
      { tag: 'work', count: 2, average: 3.5 },
      // All count 1: code-point order puts upper case first.
      { tag: 'Beta', count: 1, average: 6 },
      { tag: 'art', count: 1, average: 6 },
    ]);
    expect(result.topTags).toHaveLength(MAX_TOP_TAGS);
  });

  it('does not change its input', () => {
    const entries = [entry('2026-11-20T08:00:00Z', 8), entry('2026-11-16T08:00:00Z', 4)];
    const copy = entries.map((e) => ({ ...e }));
    stats(entries);
    expect(entries).toEqual(copy);
  });

  it('handles a very busy week', () => {
    const entries = Array.from({ length: 50_000 }, (_, index) =>
      entry(new Date(week47.start.getTime() + index * 12_000).toISOString(), (index % 10) + 1),
    );
    const result = stats(entries);
    expect(result).toMatchObject({ count: 50_000, min: 1, max: 10, average: 5.5 });
  });
});

describe('summarizePrevious', () => {
  it('counts and averages', () => {
    expect(summarizePrevious([])).toEqual({ count: 0, average: null });
    expect(
      summarizePrevious([entry('2026-11-10T08:00:00Z', 5), entry('2026-11-11T08:00:00Z', 6)]),
    ).toEqual({ count: 2, average: 5.5 });
  });

  it('ignores unusable entries, and entries outside the range when given', () => {
    const previous = weekRange(parseIsoWeek('2026-W46')!, STOCKHOLM);
    const entries = [
      entry('2026-11-10T08:00:00Z', 4),
      entry('2026-11-17T08:00:00Z', 10), // week 47
      entry('bad', 1),
    ];
    expect(summarizePrevious(entries)).toEqual({ count: 2, average: 7 });
    expect(summarizePrevious(entries, previous)).toEqual({ count: 1, average: 4 });
  });
});

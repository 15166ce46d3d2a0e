import { monthProblem, utcMonthOf } from './month';

describe('monthProblem', () => {
  it.each(['2000-01', '2026-11', '2100-12'])('accepts %s', (month) => {
    expect(monthProblem(month)).toBeNull();
  });

  it.each(['1999-12', '2101-01'])('refuses %s as out of range', (month) => {
    expect(monthProblem(month)).toMatch(/2000-01 to 2100-12/);
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-11', '2026/11', '2026-11-01', ' 2026-11', ''])(
    'refuses %j as malformed',
    (month) => {
      expect(monthProblem(month)).toMatch(/YYYY-MM/);
    },
  );
});

describe('utcMonthOf', () => {
  it('is the UTC month, also where local time is already the next month', () => {
    expect(utcMonthOf(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(utcMonthOf(new Date('2026-12-01T00:30:00+01:00'))).toBe('2026-11');
    expect(utcMonthOf(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
  });
});

import {
  MAX_AMOUNT,
  MAX_CATEGORIES,
  applyActualDelta,
  categoryProblems,
  etagOf,
  summarize,
  unsetMonth,
  utilization,
  type CategoryState,
  type MonthState,
} from './summary';

const category = (overrides: Partial<CategoryState> = {}): CategoryState => ({
  key: 'food',
  label: 'Food',
  targetPercent: null,
  budget: 1000,
  actual: 0,
  ...overrides,
});

const month = (categories: CategoryState[]): MonthState => ({
  month: '2026-11',
  currency: 'SEK',
  categories,
  version: 'v1',
  updatedAt: '2026-11-22T10:00:00.000Z',
});

describe('utilization', () => {
  it('is null for a budget of 0, whatever the actual', () => {
    expect(utilization(0, 0)).toBeNull();
    expect(utilization(500, 0)).toBeNull();
  });

  it('is actual / budget with 2 decimals', () => {
    expect(utilization(0, 1000)).toBe(0);
    expect(utilization(500, 1000)).toBe(0.5);
    expect(utilization(1000, 1000)).toBe(1);
    expect(utilization(2500, 1000)).toBe(2.5);
    expect(utilization(1, 3)).toBe(0.33);
    expect(utilization(2, 3)).toBe(0.67);
  });

  it('rounds exact halves up (0.125 -> 0.13, 0.005 -> 0.01, 1.005 -> 1.01)', () => {
    expect(utilization(1, 8)).toBe(0.13);
    expect(utilization(3, 8)).toBe(0.38);
    expect(utilization(1, 200)).toBe(0.01);
    expect(utilization(201, 200)).toBe(1.01);
    // Floating point would get this one wrong: 1.005 * 100 = 100.49999999999999.
    expect(Math.round(1.005 * 100) / 100).toBe(1);
    expect(utilization(1005, 1000)).toBe(1.01);
  });

  it('rounds just below a half down and just above up', () => {
    // 0.00499999... and 0.00500001...
    expect(utilization(4_999_999, 1_000_000_000)).toBe(0);
    expect(utilization(5_000_001, 1_000_000_000)).toBe(0.01);
  });

  it('stays exact at the extremes (10^12 over 1, 1 over 10^12, totals of 50 x 10^12)', () => {
    expect(utilization(MAX_AMOUNT, 1)).toBe(1e12);
    expect(utilization(1, MAX_AMOUNT)).toBe(0);
    expect(utilization(50 * MAX_AMOUNT, 50 * MAX_AMOUNT)).toBe(1);
    expect(utilization(50 * MAX_AMOUNT - 1, 50 * MAX_AMOUNT)).toBe(1);
    // 5 * 10^13 - 2.5 * 10^11 is exactly 0.995 of 5 * 10^13: a half, rounded up.
    expect(utilization(49_750_000_000_000, 50 * MAX_AMOUNT)).toBe(1);
    expect(utilization(49_749_999_999_999, 50 * MAX_AMOUNT)).toBe(0.99);
  });

  it('prints as the exact two-decimal number', () => {
    for (const [actual, budget, text] of [
      [7, 100, '0.07'],
      [29, 100, '0.29'],
      [57, 100, '0.57'],
      [110, 100, '1.1'],
      [123_456_789_012, 1_000_000_000, '123.46'],
    ] as const) {
      expect(JSON.stringify(utilization(actual, budget))).toBe(text);
    }
  });

  it('refuses negative, fractional and unsafe amounts (a bug upstream, not a figure)', () => {
    expect(() => utilization(-1, 10)).toThrow(RangeError);
    expect(() => utilization(1.5, 10)).toThrow(RangeError);
    expect(() => utilization(1, 2 ** 53)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('derives difference, utilization, totals and onTrack', () => {
    const summary = summarize(
      month([
        category({ key: 'food', budget: 4000, actual: 1000, targetPercent: 40 }),
        category({ key: 'rent', label: 'Rent', budget: 6000, actual: 6500 }),
        category({ key: 'gift', label: 'Gifts', budget: 0, actual: 0 }),
      ]),
    );
    expect(summary).toEqual({
      month: '2026-11',
      currency: 'SEK',
      categories: [
        {
          key: 'food',
          label: 'Food',
          targetPercent: 40,
          budget: 4000,
          actual: 1000,
          difference: 3000,
          utilization: 0.25,
        },
        {
          key: 'rent',
          label: 'Rent',
          targetPercent: null,
          budget: 6000,
          actual: 6500,
          difference: -500,
          utilization: 1.08,
        },
        {
          key: 'gift',
          label: 'Gifts',
          targetPercent: null,
          budget: 0,
          actual: 0,
          difference: 0,
          utilization: null,
        },
      ],
      totals: { budget: 10000, actual: 7500, difference: 2500, utilization: 0.75 },
      onTrack: false,
      updatedAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('is on track when every actual is at most its budget (equal counts as on track)', () => {
    expect(summarize(month([category({ budget: 10, actual: 10 })])).onTrack).toBe(true);
    expect(summarize(month([category({ budget: 10, actual: 11 })])).onTrack).toBe(false);
    expect(summarize(month([category({ budget: 0, actual: 1 })])).onTrack).toBe(false);
  });

  it('gives an unset month empty categories, zero totals, null utilization, on track', () => {
    expect(summarize(unsetMonth('2031-02'))).toEqual({
      month: '2031-02',
      currency: null,
      categories: [],
      totals: { budget: 0, actual: 0, difference: 0, utilization: null },
      onTrack: true,
      updatedAt: null,
    });
  });

  it('keeps totals of 50 categories at 10^12 exact (5 * 10^13, within safe integers)', () => {
    const full = Array.from({ length: MAX_CATEGORIES }, (_, i) =>
      category({ key: `c${i}`, budget: MAX_AMOUNT, actual: MAX_AMOUNT - (i === 0 ? 1 : 0) }),
    );
    const { totals } = summarize(month(full));
    expect(totals.budget).toBe(50_000_000_000_000);
    expect(totals.actual).toBe(49_999_999_999_999);
    expect(totals.difference).toBe(1);
    expect(Number.isSafeInteger(totals.budget)).toBe(true);
    // The same sum in BigInt, which cannot lose precision, agrees.
    expect(BigInt(totals.actual)).toBe(full.reduce((sum, c) => sum + BigInt(c.actual), 0n));
    expect(totals.utilization).toBe(1);
    // Headroom: the largest possible sum is 5.5e-3 of the largest safe integer.
    expect(MAX_CATEGORIES * MAX_AMOUNT * 100).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('gives the largest possible negative difference exactly', () => {
    const { totals } = summarize(
      month(
        Array.from({ length: MAX_CATEGORIES }, (_, i) =>
          category({ key: `c${i}`, budget: 0, actual: MAX_AMOUNT }),
        ),
      ),
    );
    expect(totals.difference).toBe(-50_000_000_000_000);
    expect(totals.utilization).toBeNull();
  });
});

describe('categoryProblems', () => {
  it('accepts unique keys and percents adding up to exactly 100', () => {
    expect(
      categoryProblems([
        { key: 'a', targetPercent: 33 },
        { key: 'b', targetPercent: 67 },
        { key: 'c', targetPercent: null },
      ]),
    ).toEqual([]);
  });

  it('reports every later duplicate of a key on that category', () => {
    expect(
      categoryProblems([
        { key: 'a', targetPercent: null },
        { key: 'b', targetPercent: null },
        { key: 'a', targetPercent: null },
        { key: 'a', targetPercent: null },
      ]),
    ).toEqual([
      { index: 2, field: 'key', message: 'Duplicate key "a".' },
      { index: 3, field: 'key', message: 'Duplicate key "a".' },
    ]);
  });

  it('reports percents over 100 on the list', () => {
    expect(
      categoryProblems([
        { key: 'a', targetPercent: 60 },
        { key: 'b', targetPercent: 41 },
      ]),
    ).toEqual([{ index: null, field: null, message: expect.stringContaining('101') }]);
  });
});

describe('applyActualDelta', () => {
  const state = month([category({ key: 'food', actual: 300 }), category({ key: 'rent' })]);

  it('adds to one category and leaves the others and the input alone', () => {
    const outcome = applyActualDelta(state, 'food', 100);
    expect(outcome.ok && outcome.state.categories.map((c) => c.actual)).toEqual([400, 0]);
    expect(state.categories[0]?.actual).toBe(300);
  });

  it('subtracts down to exactly 0, not below', () => {
    const outcome = applyActualDelta(state, 'food', -300);
    expect(outcome.ok && outcome.state.categories[0]?.actual).toBe(0);
    expect(applyActualDelta(state, 'food', -301)).toEqual({ ok: false, reason: 'below_zero' });
  });

  it('refuses an unknown key and a result above 10^12', () => {
    expect(applyActualDelta(state, 'fun', 1)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(applyActualDelta(state, 'rent', MAX_AMOUNT)).toMatchObject({ ok: true });
    expect(applyActualDelta(state, 'rent', MAX_AMOUNT + 1)).toEqual({
      ok: false,
      reason: 'above_max',
    });
  });
});

describe('etagOf', () => {
  it('is a quoted strong tag of the version, with a fixed tag for a month never set', () => {
    expect(etagOf({ version: 'abc123' })).toBe('"abc123"');
    expect(etagOf(unsetMonth('2026-11'))).toBe('"unset"');
  });
});

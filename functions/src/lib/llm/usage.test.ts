import { usageDocPath } from '../firestore/paths';
import { evaluateTokenBudget, utcDay } from './usage';

describe('utcDay', () => {
  it('is the UTC calendar day, whatever the local zone would say', () => {
    expect(utcDay(new Date('2026-11-22T23:59:59.999Z'))).toBe('2026-11-22');
    expect(utcDay(new Date('2026-11-23T00:00:00.000Z'))).toBe('2026-11-23');
    // 00:30 in Stockholm is still the previous UTC day.
    expect(utcDay(new Date('2026-11-23T00:30:00+01:00'))).toBe('2026-11-22');
  });
});

describe('usageDocPath', () => {
  it('keeps the counter under the user', () => {
    expect(usageDocPath('u1', '2026-11-22')).toBe('users/u1/usage/2026-11-22');
  });
});

describe('evaluateTokenBudget', () => {
  const now = new Date('2026-11-22T23:00:00.000Z');

  it('has room below the limit', () => {
    expect(evaluateTokenBudget(40_000, 100_000, now)).toEqual({
      day: '2026-11-22',
      limit: 100_000,
      used: 40_000,
      remaining: 60_000,
      exhausted: false,
      resetsInSeconds: 3600,
    });
  });

  it('is exhausted at the limit and past it, never with negative room', () => {
    expect(evaluateTokenBudget(100_000, 100_000, now).exhausted).toBe(true);
    const over = evaluateTokenBudget(130_000, 100_000, now);
    expect(over.exhausted).toBe(true);
    expect(over.remaining).toBe(0);
  });

  it('with a zero budget nothing is allowed', () => {
    expect(evaluateTokenBudget(0, 0, now).exhausted).toBe(true);
  });

  it('resets at the next UTC midnight, at least a second away', () => {
    expect(evaluateTokenBudget(0, 1, new Date('2026-11-22T00:00:00.000Z')).resetsInSeconds).toBe(
      86_400,
    );
    expect(evaluateTokenBudget(0, 1, new Date('2026-11-22T23:59:59.999Z')).resetsInSeconds).toBe(1);
  });
});

import { MemoryLimiter } from './memory-limiter';

describe('MemoryLimiter', () => {
  it('allows `limit` requests per window, then refuses until the window moves', () => {
    const limiter = new MemoryLimiter();
    const t0 = 1_000_000_000_000 - (1_000_000_000_000 % 60_000);
    for (let i = 0; i < 3; i++) expect(limiter.limit('k', 3, 60_000, t0 + i).success).toBe(true);
    const refused = limiter.limit('k', 3, 60_000, t0 + 10);
    expect(refused).toMatchObject({ success: false, remaining: 0, reset: t0 + 60_000 });
    // Right after the window turns, the previous window still weighs almost fully:
    // floor(3 * (1 - 1/60000)) = 2 counted, so one more request, as Upstash's script computes it.
    expect(limiter.limit('k', 3, 60_000, t0 + 60_001).success).toBe(true);
    expect(limiter.limit('k', 3, 60_000, t0 + 60_002).success).toBe(false);
    // Two windows later, everything is free again.
    expect(limiter.limit('k', 3, 60_000, t0 + 120_001).success).toBe(true);
  });

  it('counts remaining down and keeps keys apart', () => {
    const limiter = new MemoryLimiter();
    expect(limiter.limit('a', 5, 1000, 0).remaining).toBe(4);
    expect(limiter.limit('a', 5, 1000, 1).remaining).toBe(3);
    expect(limiter.limit('b', 5, 1000, 2).remaining).toBe(4);
  });
});

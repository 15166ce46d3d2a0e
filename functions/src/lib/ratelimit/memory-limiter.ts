/**
 * An in-instance sliding-window limiter with the same approximation as Upstash's
 * `slidingWindow` (the previous window's count weighted by how much of it still overlaps).
 * It stands in while Redis is down, so limits still hold per instance.
 */

export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix time in ms when the window frees a request. */
  reset: number;
}

interface WindowCounts {
  window: number;
  current: number;
  previous: number;
}

/** Keys kept before stale ones are swept. */
const SWEEP_THRESHOLD = 10_000;

export class MemoryLimiter {
  private readonly counts = new Map<string, WindowCounts>();

  limit(key: string, limit: number, windowMs: number, now = Date.now()): LimitResult {
    const window = Math.floor(now / windowMs);
    let entry = this.counts.get(key);
    if (!entry || entry.window < window - 1) {
      entry = { window, current: 0, previous: 0 };
    } else if (entry.window === window - 1) {
      entry = { window, current: 0, previous: entry.current };
    }
    const elapsed = (now % windowMs) / windowMs;
    const used = Math.floor(entry.previous * (1 - elapsed)) + entry.current;
    const reset = (window + 1) * windowMs;
    const success = used < limit;
    if (success) entry.current += 1;
    this.counts.set(key, entry);
    if (this.counts.size > SWEEP_THRESHOLD) this.sweep(window);
    return { success, limit, remaining: Math.max(0, limit - used - (success ? 1 : 0)), reset };
  }

  private sweep(window: number): void {
    for (const [key, entry] of this.counts) {
      if (entry.window < window - 1) this.counts.delete(key);
    }
  }
}

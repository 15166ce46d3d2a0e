import { describeError } from '../log/describe-error';
import { logger } from '../log/logger';

/**
 * A small circuit breaker for an optional dependency. After a failure the circuit stays open
 * for `openForMs`, during which callers skip the dependency at once instead of paying its
 * timeout on every request. Transitions are logged once each, never per request.
 */
export class Circuit {
  private openUntil = 0;
  private failing = false;

  /**
   * @param name - dependency name used in the log lines
   * @param openForMs - how long to skip the dependency after a failure (default 5000 ms)
   */
  constructor(
    readonly name: string,
    private readonly openForMs = 5_000,
  ) {}

  /** Whether calls should skip the dependency right now. */
  isOpen(now = Date.now()): boolean {
    return now < this.openUntil;
  }

  recordFailure(error: unknown, now = Date.now()): void {
    this.openUntil = now + this.openForMs;
    if (!this.failing) {
      this.failing = true;
      logger.warn(`${this.name} unavailable; continuing without it`, {
        dependency: this.name,
        error: describeError(error),
        retryInMs: this.openForMs,
      });
    }
  }

  recordSuccess(): void {
    this.openUntil = 0;
    if (this.failing) {
      this.failing = false;
      logger.info(`${this.name} available again`, { dependency: this.name });
    }
  }
}

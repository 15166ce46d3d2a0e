import { performance } from 'node:perf_hooks';

/** Thrown by {@link withDeadline} when the deadline passes first. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly operation: string,
    readonly ms: number,
  ) {
    super(`${operation} did not finish within ${ms} ms`);
  }
}

/**
 * How late a deadline's timer may fire before the delay counts as the process's own stall: a
 * quarter of the deadline (timers normally fire within a few ms).
 */
const STALL_SHARE = 0.25;

/**
 * Calls `onExpire` once `ms` have passed, and returns a function that cancels it.
 *
 * A deadline bounds how long a dependency may take, not how long this process was busy. When the
 * event loop was blocked (a fresh instance requiring the Firestore SDK, ~300 ms of synchronous
 * work, a long GC pause), the timer fires late and, left alone, would fire before the loop has
 * read an answer that arrived in time, or even before a request queued during the stall was
 * sent: measured on a fresh instance, Redis calls issued beside the first Firestore call all
 * missed their deadline and opened the circuit. So a timer that fires more than a quarter of
 * `ms` late is re-armed once, for the time lost (at most `ms` again): the loop reads what is
 * waiting first. A dependency that is really slow still expires, after at most twice `ms` plus
 * the stall.
 */
export function startDeadlineTimer(ms: number, onExpire: () => void): () => void {
  const due = performance.now() + ms;
  let extended = false;
  const fire = () => {
    const late = performance.now() - due;
    if (!extended && late > ms * STALL_SHARE) {
      extended = true;
      timer = setTimeout(onExpire, Math.min(late, ms));
      return;
    }
    onExpire();
  };
  let timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
}

/**
 * An AbortSignal that aborts after `ms` by {@link startDeadlineTimer} (stalls of this process not
 * counted), for clients that take a signal. `clear` stops the timer once the work is done.
 */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const clear = startDeadlineTimer(ms, () =>
    controller.abort(new DOMException(`deadline of ${ms} ms passed`, 'TimeoutError')),
  );
  return { signal: controller.signal, clear };
}

/**
 * Settles like `promise`, or rejects with {@link DeadlineExceededError} after `ms` (by
 * {@link startDeadlineTimer}: stalls of this process not counted). The operation itself is not
 * cancelled (pass it an AbortSignal for that); its late result is dropped.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, operation: string): Promise<T> {
  let cancel: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    cancel = startDeadlineTimer(ms, () => reject(new DeadlineExceededError(operation, ms)));
  });
  // A late rejection of the raced promise must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => cancel?.());
}

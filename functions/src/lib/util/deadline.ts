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

/** How long a deadline waits at most, in multiples of its time, however busy the process was. */
const MAX_STRETCH = 3;
/** After a stall past that cap: one last wait of this share of the deadline, then it expires. */
const GRACE_SHARE = 0.25;

/**
 * Calls `onExpire` once the event loop has been free for `ms` since the call (or after
 * {@link MAX_STRETCH} times `ms` in any case), and returns a function that cancels it.
 *
 * A deadline bounds how long a dependency may take, not how long this process was busy. While the
 * event loop is blocked (a fresh instance requiring the Firestore SDK and building its gRPC client,
 * hundreds of ms of synchronous work; a long GC pause) an answer that has arrived cannot be read,
 * and a request queued meanwhile is not even sent; a plain timer then fires first. Measured on a
 * fresh moodGet instance taking 8 requests at once: the Redis calls waiting beside the first
 * Firestore call missed their deadline and opened the circuit (no shared cache or rate limit for
 * 5 s). So only the loop's idle time counts (`performance.eventLoopUtilization`): when the timer
 * fires early by that measure it is re-armed for the idle time still owed. A dependency that is
 * really slow still expires: after `ms` on an idle process, after at most 3 × `ms` on a busy one
 * (plus a quarter of `ms` when a single stall outlasted that, so that what arrived is read first).
 */
export function startDeadlineTimer(ms: number, onExpire: () => void): () => void {
  const armed = performance.now();
  const loopAtArming = performance.eventLoopUtilization();
  let graced = false;
  const fire = () => {
    const elapsed = performance.now() - armed;
    const idle = elapsed - performance.eventLoopUtilization(loopAtArming).active;
    if (idle >= ms || graced) {
      onExpire();
      return;
    }
    const left = ms * MAX_STRETCH - elapsed;
    // Past the cap, one last short wait: what arrived during the stall is read first.
    if (left <= 1) graced = true;
    timer = setTimeout(fire, graced ? Math.max(1, ms * GRACE_SHARE) : Math.min(ms - idle, left));
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

/**
 * The instance's Firestore client, loaded on first use so that functions which never touch
 * Firestore (and cold starts that serve `health` from cache) do not pay for gRPC. Every
 * operation goes through {@link firestoreOp}: a deadline, and a `503` when Firestore is
 * unreachable, instead of a hung request or a `500`.
 *
 * A `503` means "not stored": a write abandoned at its deadline must not land later, when the
 * client may already be retrying. The SDK would retry a commit on its own for up to 10 minutes,
 * so every write goes through {@link guardedTransaction}: commits are not retried below it, and
 * each attempt checks the operation's deadline before it commits.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { FIRESTORE_TIMEOUT_MS } from '../config/params';
import { emulatorAuthClient } from './emulator-auth';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlineExceededError, withDeadline } from '../util/deadline';
import { RefusalError } from '../errors';
import { ApiError, unavailable } from '../http/errors';

let instance: Promise<Firestore> | undefined;

/** The Firestore client (created once per instance). */
export function firestore(): Promise<Firestore> {
  instance ??= (async () => {
    const { getApps, initializeApp } = await import('firebase-admin/app');
    const { getFirestore } = await import('firebase-admin/firestore');
    const app = getApps()[0] ?? initializeApp();
    const db = getFirestore(app);
    // gRPC, the client's default. REST (FIRESTORE_PREFER_REST=true, the client's own switch)
    // answers a cold instance's first read ~12 % sooner but costs ~29 % more CPU on every
    // Firestore call (dev/bench/firestore-transport.ts), so it is left off.
    const preferRest = ['true', '1'].includes(
      process.env.FIRESTORE_PREFER_REST?.trim().toLowerCase() ?? '',
    );
    db.settings({
      ignoreUndefinedProperties: true,
      preferRest,
      ...(preferRest && process.env.FIRESTORE_EMULATOR_HOST
        ? { authClient: emulatorAuthClient }
        : {}),
      // After an outage gRPC waits up to 120 s between reconnects by default: an instance
      // would go on answering 503 for minutes after Firestore is back.
      grpcOptions: {
        'grpc.initial_reconnect_backoff_ms': 250,
        'grpc.max_reconnect_backoff_ms': RECONNECT_BACKOFF_MAX_MS,
      },
      // A transaction's commit is retried by runTransaction, through guardedTransaction's
      // deadline check; the GAPIC layer must not also retry it on its own (for up to 600 s),
      // nor let it wait a minute for a connection.
      clientConfig: {
        interfaces: {
          'google.firestore.v1.Firestore': {
            methods: {
              Commit: { retry_codes_name: 'non_idempotent', timeout_millis: COMMIT_TIMEOUT_MS },
            },
          },
        },
      },
    });
    return db;
  })();
  return instance;
}

/** gRPC status codes that mean "Firestore is not reachable or overloaded right now". */
const UNAVAILABLE_CODES = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */,
]);

/** Longest wait between two reconnects to Firestore after it went away. */
export const RECONNECT_BACKOFF_MAX_MS = 2_000;

/**
 * gRPC deadline of one commit. A commit issued while Firestore is unreachable waits for the
 * connection (the SDK's default: 60 s) and would be sent when Firestore returns, long after the
 * client was answered; with this deadline it settles soon, one way or the other.
 */
export const COMMIT_TIMEOUT_MS = 3_000;

/**
 * The deadline of one {@link firestoreOp}, as its writes see it: aborted when the caller has
 * been answered, and aware of a commit on the wire, so that the answer can wait for that commit
 * to settle instead of guessing.
 */
export class OperationDeadline {
  readonly #controller = new AbortController();
  #committing: Promise<void> | undefined;
  #commitDone: (() => void) | undefined;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A commit on the wire, if any: it settles within {@link COMMIT_TIMEOUT_MS}. */
  get committing(): Promise<void> | undefined {
    return this.#committing;
  }

  abort(reason: Error): void {
    this.#controller.abort(reason);
  }

  /** @internal {@link guardedTransaction}: a commit starts now. */
  beginCommit(): void {
    this.#committing = new Promise((resolve) => (this.#commitDone = resolve));
  }

  /** @internal {@link guardedTransaction}: the commit succeeded or failed. */
  endCommit(): void {
    this.#commitDone?.();
    this.#committing = this.#commitDone = undefined;
  }
}

/**
 * Runs one Firestore operation with a deadline. ApiErrors thrown inside pass through;
 * unavailability becomes `503 unavailable` with `Retry-After`, and then nothing was stored:
 * writes go through {@link guardedTransaction} with `deadline`, so none commits after it, and a
 * commit already on the wire when the deadline passes is waited for (at most
 * {@link COMMIT_TIMEOUT_MS} more): its success is the answer, its failure the `503`.
 */
export async function firestoreOp<T>(
  operation: string,
  fn: (db: Firestore, deadline: OperationDeadline) => Promise<T>,
  timeoutMs = FIRESTORE_TIMEOUT_MS.value(),
): Promise<T> {
  const name = `firestore ${operation}`;
  const deadline = new OperationDeadline();
  let work: Promise<T> | undefined;
  try {
    const db = await firestore();
    work = fn(db, deadline);
    return await withDeadline(work, timeoutMs, name);
  } catch (error) {
    // Whatever ended it, the operation is over for the caller: nothing may commit after this.
    deadline.abort(new DeadlineExceededError(name, timeoutMs));
    const committing = deadline.committing;
    const pending = work;
    if (error instanceof DeadlineExceededError && pending && committing) {
      // The work settles once its commit has: wait for whichever says so first, boundedly.
      const late = await Promise.race([
        pending.then((value) => ({ value })),
        sleep(COMMIT_TIMEOUT_MS + 1_000).then(() => undefined),
      ]).catch(() => undefined);
      if (late) return late.value;
    }
    if (error instanceof ApiError || error instanceof RefusalError) throw error;
    if (error instanceof DeadlineExceededError || isUnavailable(error)) {
      throw unavailable('The database is unavailable. Try again shortly.', 5, error);
    }
    throw error;
  }
}

/**
 * `db.runTransaction` that never commits after the operation's deadline: each attempt checks it
 * before and after `update` (the SDK retries a transaction whose commit failed, e.g. while
 * Firestore is unreachable), and the commit in flight is made known to {@link firestoreOp}.
 */
export async function guardedTransaction<T>(
  db: Firestore,
  deadline: OperationDeadline,
  update: (tx: FirebaseFirestore.Transaction) => Promise<T> | T,
  options?: { maxAttempts?: number },
): Promise<T> {
  try {
    return await db.runTransaction(async (tx) => {
      deadline.endCommit(); // another attempt: the previous commit failed
      deadline.signal.throwIfAborted();
      const result = await update(tx);
      deadline.signal.throwIfAborted();
      deadline.beginCommit();
      return result;
    }, options);
  } finally {
    deadline.endCommit();
  }
}

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && UNAVAILABLE_CODES.has(code);
}

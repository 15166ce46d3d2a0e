/**
 * Idempotent requests (the contract's `Idempotency-Key`), once for every function that takes
 * one: moodLog, aiChat, allocations `PATCH`.
 *
 * A key is scoped to the user and the operation. Its record lives in Firestore at
 * `users/{uid}/idempotency/{operation}.{hash of key}` (so an account erase removes it) and is
 * kept at least 24 hours (`expireAt`, for a TTL policy). The first request claims the record in
 * a transaction and does the work; the work's own writes and the record's completion go in one
 * transaction or batch ({@link IdempotencyClaim.completeIn}), so a crash leaves either both or
 * neither. A repeat with the same body replays the stored result; with another body it is
 * `409`. A concurrent repeat waits for the first to finish and replays it, so the work is done
 * once however many retries race.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { firestoreOp, guardedTransaction } from '../firestore/db';
import { idempotencyPath } from '../firestore/paths';
import { ApiError, conflict, invalidArgument } from '../http/errors';
import { describeError } from '../log/describe-error';
import { logger } from '../log/logger';

/** The contract's key syntax: 1-128 characters of `[A-Za-z0-9._:-]`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The `Idempotency-Key` header as the API documents it (checked by {@link idempotencyKeyOf}). */
export const IDEMPOTENCY_KEY_SCHEMA = z.string().regex(IDEMPOTENCY_KEY_PATTERN);

/** How long a completed record replays: the contract's 24 hours, plus an hour of slack. */
export const IDEMPOTENCY_RETENTION_MS = 25 * 60 * 60 * 1000;

/** How long a concurrent repeat waits for the first request before answering `409`. */
const DEFAULT_WAIT_MS = 10_000;
/** How long a claim holds before another request may take it over (a crashed instance). */
const DEFAULT_LEASE_MS = 60_000;
/** Polling interval of a waiting repeat: starts small, doubles up to the cap. */
const POLL_START_MS = 25;
const POLL_CAP_MS = 400;

/**
 * The request's `Idempotency-Key`, or `undefined` when it has none. A malformed key, or a
 * header sent twice (Node joins repeats with ", "), is `400`.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw invalidArgument('Idempotency-Key must be 1-128 characters of [A-Za-z0-9._:-].', [
      { path: 'Idempotency-Key', message: 'Invalid idempotency key.' },
    ]);
  }
  return raw;
}

/** JSON with object keys sorted at every level, so equal values always serialise alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Fingerprint of a normalised request: the same key with an equal request replays, with a
 * different one conflicts. Pass the request after validation and without server defaults (a
 * retry that omitted a field must match the first attempt that omitted it too).
 */
export function requestFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/** The record id of a key: the operation, and a hash of the key (any length, any characters). */
export function idempotencyRecordId(operation: string, key: string): string {
  return `${operation}.${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

/** One idempotent request. */
export interface IdempotentRequest {
  uid: string;
  /** The function (and method) the key is scoped to, e.g. `aiChat` or `allocations.patch`. */
  operation: string;
  /** The client's key; `undefined` runs the work without idempotency. */
  key: string | undefined;
  /** {@link requestFingerprint} of the normalised request. */
  fingerprint: string;
}

/** Handed to the work: ties the record's completion to the work's own writes. */
export interface IdempotencyClaim<T> {
  /**
   * Adds the record's completion, with `result` to replay, to the caller's transaction or
   * batch. Without this call, {@link runOnce} stores the result itself after the work returns
   * (then a crash between the two can let a retry do the work again).
   */
  completeIn(writer: FirebaseFirestore.Transaction | FirebaseFirestore.WriteBatch, result: T): void;
}

export interface RunOnceOptions {
  /** How long a concurrent repeat waits for the first request (default 10 000 ms). */
  waitMs?: number;
  /** How long a claim holds before a repeat may take it over (default 60 000 ms). */
  leaseMs?: number;
}

export interface RunOnceResult<T> {
  value: T;
  /** True when the value is a stored result of an earlier request with the same key. */
  replayed: boolean;
}

interface StoredRecord {
  operation: string;
  fingerprint: string;
  state: 'pending' | 'done';
  /** Identifies the claim of the request doing the work. */
  lease: string;
  /** Unix ms after which a pending claim may be taken over. */
  leaseUntil: number;
  /** The result as JSON, once done. */
  result?: string;
  expireAt: FirebaseFirestore.Timestamp;
}

type ClaimOutcome =
  | { kind: 'claimed'; ref: FirebaseFirestore.DocumentReference; lease: string }
  | { kind: 'done'; result: string }
  | { kind: 'pending' };

const NO_CLAIM: IdempotencyClaim<never> = { completeIn: () => undefined };

/**
 * Does `work` once per user, operation and key; see the module comment. Throws `409 conflict`
 * for a key reused with another request, or when the first request is still running after
 * `waitMs` (with `Retry-After: 1`). Errors of `work` pass through, and release the claim so that
 * a retry can do the work.
 */
export async function runOnce<T>(
  request: IdempotentRequest,
  work: (claim: IdempotencyClaim<T>) => Promise<T>,
  options: RunOnceOptions = {},
): Promise<RunOnceResult<T>> {
  if (request.key === undefined) return { value: await work(NO_CLAIM), replayed: false };
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const giveUpAt = Date.now() + waitMs;

  let pollMs = POLL_START_MS;
  for (;;) {
    const outcome = await claimOrRead(request, request.key, leaseMs);
    if (outcome.kind === 'done') {
      return { value: JSON.parse(outcome.result) as T, replayed: true };
    }
    if (outcome.kind === 'claimed') return { value: await doWork(outcome, work), replayed: false };
    if (Date.now() + pollMs > giveUpAt) {
      throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress.', {
        headers: { 'Retry-After': '1' },
      });
    }
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, POLL_CAP_MS);
  }
}

/** In one transaction: claims the record when it is free, else reports what it holds. */
async function claimOrRead(
  request: IdempotentRequest,
  key: string,
  leaseMs: number,
): Promise<ClaimOutcome> {
  return firestoreOp('idempotency claim', async (db, deadline) => {
    const { Timestamp } = await import('firebase-admin/firestore');
    const ref = db
      .collection(idempotencyPath(request.uid))
      .doc(idempotencyRecordId(request.operation, key));
    return guardedTransaction(db, deadline, async (tx): Promise<ClaimOutcome> => {
      const snapshot = await tx.get(ref);
      const now = Date.now();
      const record = snapshot.exists ? (snapshot.data() as StoredRecord) : undefined;
      const live = record !== undefined && record.expireAt.toMillis() > now;
      if (live && record.fingerprint !== request.fingerprint) {
        throw conflict('This Idempotency-Key was already used with a different request.');
      }
      if (live && record.state === 'done' && typeof record.result === 'string') {
        return { kind: 'done', result: record.result };
      }
      if (live && record.state === 'pending' && record.leaseUntil > now) return { kind: 'pending' };
      const lease = randomUUID();
      const claimed: StoredRecord = {
        operation: request.operation,
        fingerprint: request.fingerprint,
        state: 'pending',
        lease,
        leaseUntil: now + leaseMs,
        expireAt: Timestamp.fromMillis(now + IDEMPOTENCY_RETENTION_MS),
      };
      tx.set(ref, claimed);
      return { kind: 'claimed', ref, lease };
    });
  });
}

async function doWork<T>(
  claimed: Extract<ClaimOutcome, { kind: 'claimed' }>,
  work: (claim: IdempotencyClaim<T>) => Promise<T>,
): Promise<T> {
  let completedByCaller = false;
  const completion = (result: T) => ({
    state: 'done' as const,
    result: JSON.stringify(result),
    completedAt: Date.now(),
  });
  const claim: IdempotencyClaim<T> = {
    completeIn(writer, result) {
      completedByCaller = true;
      // `update` through the writer's own type: Transaction and WriteBatch share the signature.
      (writer as FirebaseFirestore.WriteBatch).update(claimed.ref, completion(result));
    },
  };
  let value: T;
  try {
    value = await work(claim);
  } catch (error) {
    await release(claimed);
    throw error;
  }
  if (!completedByCaller) {
    await firestoreOp('idempotency complete', () => claimed.ref.update(completion(value)));
  }
  return value;
}

/** Drops a claim whose work failed, unless it completed after all; best effort. */
async function release(claimed: Extract<ClaimOutcome, { kind: 'claimed' }>): Promise<void> {
  try {
    await firestoreOp('idempotency release', async (db, deadline) => {
      await guardedTransaction(db, deadline, async (tx) => {
        const snapshot = await tx.get(claimed.ref);
        const record = snapshot.data() as StoredRecord | undefined;
        if (record?.state === 'pending' && record.lease === claimed.lease) tx.delete(claimed.ref);
      });
    });
  } catch (error) {
    // The lease runs out by itself; a retry takes the claim over then.
    logger.warn('idempotency claim not released', { error: describeError(error) });
  }
}

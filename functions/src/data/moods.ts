/** Firestore access for mood entries: `users/{uid}/moods/{moodId}`. */
import { firestoreOp } from '../lib/firestore/db';
import { conflict } from '../lib/http/errors';
import {
  idempotentMoodId,
  requestFingerprint,
  type Mood,
  type MoodInput,
} from '../domain/mood/mood';
import type { CursorPosition } from '../domain/mood/cursor';
import type { InstantRange, MoodEntryInput } from '../domain/weekly';
import { moodsPath } from './paths';

/** gRPC ALREADY_EXISTS: `create()` of a document that exists. */
const ALREADY_EXISTS = 6;

interface StoredMood {
  score: number;
  note: string | null;
  tags: string[];
  recordedAt: FirebaseFirestore.Timestamp;
  createdAt: FirebaseFirestore.Timestamp;
  /** Present on entries created under an idempotency key. */
  requestFingerprint?: string;
}

function toMood(id: string, data: StoredMood): Mood {
  return {
    id,
    score: data.score,
    note: data.note ?? null,
    tags: data.tags ?? [],
    recordedAt: data.recordedAt.toDate().toISOString(),
    createdAt: data.createdAt.toDate().toISOString(),
  };
}

export interface CreateMoodResult {
  mood: Mood;
  /** True when an earlier request with the same idempotency key had created it. */
  replayed: boolean;
}

/**
 * Stores one entry. With an idempotency key the document id is derived from user and key and
 * written with `create()`, so any number of concurrent retries store exactly one entry.
 */
export async function createMood(
  uid: string,
  input: MoodInput,
  options: { idempotencyKey?: string; now: Date },
): Promise<CreateMoodResult> {
  return firestoreOp('create mood', async (db) => {
    const { Timestamp } = await import('firebase-admin/firestore');
    const collection = db.collection(moodsPath(uid));
    const fingerprint = requestFingerprint(input);
    const data: StoredMood = {
      score: input.score,
      note: input.note,
      tags: input.tags,
      recordedAt: Timestamp.fromDate(input.recordedAt ? new Date(input.recordedAt) : options.now),
      createdAt: Timestamp.fromDate(options.now),
      ...(options.idempotencyKey ? { requestFingerprint: fingerprint } : {}),
    };
    if (!options.idempotencyKey) {
      const ref = collection.doc();
      await ref.create(data);
      return { mood: toMood(ref.id, data), replayed: false };
    }
    const ref = collection.doc(idempotentMoodId(uid, options.idempotencyKey));
    try {
      await ref.create(data);
      return { mood: toMood(ref.id, data), replayed: false };
    } catch (error) {
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
    }
    const existing = await ref.get();
    if (!existing.exists) {
      // Created and deleted (account erased) in between: nothing to replay.
      throw conflict('This Idempotency-Key was used for an entry that no longer exists.');
    }
    if ((existing.data() as StoredMood).requestFingerprint !== fingerprint) {
      throw conflict('This Idempotency-Key was already used with a different request body.');
    }
    return { mood: toMood(existing.id, existing.data() as StoredMood), replayed: true };
  });
}

export interface MoodPageQuery {
  limit: number;
  from?: Date;
  to?: Date;
  tag?: string;
  after?: CursorPosition;
}

export interface MoodPage {
  moods: Mood[];
  /** Position of the last entry served, when more entries follow. */
  next: CursorPosition | null;
}

/**
 * One page, newest `recordedAt` first, ties broken by document id descending, continuing
 * strictly after `after` (keyset pagination: every entry once, whatever is added meanwhile).
 */
export async function listMoods(uid: string, page: MoodPageQuery): Promise<MoodPage> {
  return firestoreOp('list moods', async (db) => {
    const { FieldPath, Timestamp } = await import('firebase-admin/firestore');
    let query: FirebaseFirestore.Query = db.collection(moodsPath(uid));
    if (page.tag !== undefined) query = query.where('tags', 'array-contains', page.tag);
    if (page.from) query = query.where('recordedAt', '>=', Timestamp.fromDate(page.from));
    if (page.to) query = query.where('recordedAt', '<', Timestamp.fromDate(page.to));
    query = query.orderBy('recordedAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
    if (page.after) {
      query = query.startAfter(Timestamp.fromMillis(page.after.at), page.after.id);
    }
    // One more than asked: tells whether a next page exists without another query.
    const snapshot = await query.limit(page.limit + 1).get();
    const docs = snapshot.docs.slice(0, page.limit);
    const moods = docs.map((doc) => toMood(doc.id, doc.data() as StoredMood));
    const last = docs.at(-1);
    const next =
      snapshot.docs.length > page.limit && last
        ? { at: (last.get('recordedAt') as FirebaseFirestore.Timestamp).toMillis(), id: last.id }
        : null;
    return { moods, next };
  });
}

/** A mood's fields the statistics need, read with a projection so notes never leave Firestore. */
export async function readMoodsInRange(
  uid: string,
  range: InstantRange,
): Promise<MoodEntryInput[]> {
  return firestoreOp('read moods in range', async (db) => {
    const { Timestamp } = await import('firebase-admin/firestore');
    const snapshot = await db
      .collection(moodsPath(uid))
      .where('recordedAt', '>=', Timestamp.fromDate(range.start))
      .where('recordedAt', '<', Timestamp.fromDate(range.end))
      .orderBy('recordedAt')
      .select('score', 'tags', 'recordedAt')
      .get();
    return snapshot.docs.map((doc) => {
      const tags: unknown = doc.get('tags');
      return {
        score: Number(doc.get('score')),
        tags: Array.isArray(tags)
          ? tags.filter((tag): tag is string => typeof tag === 'string')
          : [],
        recordedAt: (doc.get('recordedAt') as FirebaseFirestore.Timestamp).toDate(),
      };
    });
  });
}

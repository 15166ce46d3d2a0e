/** Firestore access for mood entries: `users/{uid}/moods/{moodId}`. */
import { firestoreOp, guardedTransaction } from '../lib/firestore/db';
import type { IdempotencyClaim } from '../lib/idempotency';
import type { Mood, MoodInput } from '../domain/mood/mood';
import type { CursorPosition } from '../domain/mood/cursor';
import type { InstantRange, MoodEntryInput } from '../domain/weekly';
import { moodsPath } from '../lib/firestore/paths';

/** A mood document as stored. */
export interface StoredMood {
  score: number;
  note: string | null;
  tags: string[];
  recordedAt: FirebaseFirestore.Timestamp;
  createdAt: FirebaseFirestore.Timestamp;
}

/** The API's view of a stored mood. */
export function toMood(id: string, data: StoredMood): Mood {
  return {
    id,
    score: data.score,
    note: data.note ?? null,
    tags: data.tags ?? [],
    recordedAt: data.recordedAt.toDate().toISOString(),
    createdAt: data.createdAt.toDate().toISOString(),
  };
}

/**
 * Stores one entry. Under an idempotency key, the entry and the key's completed record are
 * written in one transaction: a retry finds either both or neither.
 */
export async function createMood(
  uid: string,
  input: MoodInput,
  options: { now: Date; claim: IdempotencyClaim<Mood> },
): Promise<Mood> {
  return firestoreOp('create mood', async (db, deadline) => {
    const { Timestamp } = await import('firebase-admin/firestore');
    const ref = db.collection(moodsPath(uid)).doc();
    const data: StoredMood = {
      score: input.score,
      note: input.note,
      tags: input.tags,
      recordedAt: Timestamp.fromDate(input.recordedAt ? new Date(input.recordedAt) : options.now),
      createdAt: Timestamp.fromDate(options.now),
    };
    const mood = toMood(ref.id, data);
    await guardedTransaction(db, deadline, (tx) => {
      tx.create(ref, data);
      options.claim.completeIn(tx, mood);
    });
    return mood;
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

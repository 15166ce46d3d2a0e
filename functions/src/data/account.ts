/**
 * Everything stored about one user, as a whole: the export (GDPR Art. 15 and 20), streamed page
 * by page so that years of entries never sit in memory at once, and the erase.
 */
import { firestoreOp } from '../lib/firestore/db';
import type { BodyWriter } from '../lib/http/endpoint';
import { toMood, type StoredMood } from './moods';
import { moodsPath, userPath } from './paths';

/** Documents per read while exporting: bounded memory, few round trips. */
export const EXPORT_PAGE_SIZE = 500;
/** An erase of a large account deletes many documents; it gets the function's whole timeout. */
const ERASE_TIMEOUT_MS = 240_000;

type Snapshot = FirebaseFirestore.QueryDocumentSnapshot;

/**
 * A collection's documents oldest first (by `field`, then by id), one bounded page per read,
 * continuing after the last document of the previous page.
 */
export async function* documentsOldestFirst(
  path: string,
  field: string | null,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<Snapshot> {
  let after: Snapshot | undefined;
  for (;;) {
    const docs = await firestoreOp('export page', async (db) => {
      const { FieldPath } = await import('firebase-admin/firestore');
      let query: FirebaseFirestore.Query = db.collection(path);
      if (field !== null) query = query.orderBy(field);
      query = query.orderBy(FieldPath.documentId());
      if (after) query = query.startAfter(after);
      return (await query.limit(pageSize).get()).docs;
    });
    yield* docs;
    if (docs.length < pageSize) return;
    after = docs.at(-1);
  }
}

/** Writes the items of a JSON array, comma-separated, as they come. */
export async function writeArray<T>(
  out: BodyWriter,
  items: AsyncIterable<T>,
  write: (item: T) => Promise<void>,
): Promise<void> {
  await out.write('[');
  let first = true;
  for await (const item of items) {
    if (!first) await out.write(',');
    first = false;
    await write(item);
  }
  await out.write(']');
}

/** One section of the export: a top-level field and how its items are written. */
export interface ExportSection {
  field: string;
  write(uid: string, out: BodyWriter): Promise<void>;
}

/** Moods, oldest `recordedAt` first. */
export const moodsSection: ExportSection = {
  field: 'moods',
  write: (uid, out) =>
    writeArray(out, documentsOldestFirst(moodsPath(uid), 'recordedAt'), (doc) =>
      out.write(JSON.stringify(toMood(doc.id, doc.data() as StoredMood))),
    ),
};

/**
 * Writes the user's export as one JSON document:
 * `{"exportedAt", "userId", <section>: [...], ...}`.
 */
export async function writeAccountExport(
  uid: string,
  out: BodyWriter,
  sections: readonly ExportSection[],
  now: Date,
): Promise<void> {
  await out.write(
    `{"exportedAt":${JSON.stringify(now.toISOString())},"userId":${JSON.stringify(uid)}`,
  );
  for (const section of sections) {
    await out.write(`,${JSON.stringify(section.field)}:`);
    await section.write(uid, out);
  }
  await out.write('}\n');
}

/**
 * Deletes every document under `users/{uid}` (moods, chat sessions and their messages,
 * allocations, idempotency records, usage counters) and the user document itself.
 * Idempotent: erasing an empty account succeeds.
 */
export async function eraseAccount(uid: string): Promise<void> {
  await firestoreOp(
    'erase account',
    async (db) => {
      await db.recursiveDelete(db.doc(userPath(uid)));
    },
    ERASE_TIMEOUT_MS,
  );
}

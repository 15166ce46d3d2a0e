/**
 * Everything stored about one user, as a whole: the export (GDPR Art. 15 and 20), streamed page
 * by page so that years of entries never sit in memory at once, and the erase.
 */
import type { Readable } from 'node:stream';
import { firestore, firestoreOp } from '../lib/firestore/db';
import { DeadlineExceededError } from '../lib/util/deadline';
import type { BodyWriter } from '../lib/http/endpoint';
import { toMood, type StoredMood } from './moods';
import { toMessage, toSummary, type StoredMessage, type StoredSession } from './chat';
import { toState, type StoredMonth } from './allocations';
import {
  allocationsPath,
  chatMessagesPath,
  chatSessionsPath,
  moodsPath,
  userPath,
} from '../lib/firestore/paths';
import { summarize } from '../domain/allocations';

/** An export stream that delivers nothing for this long is broken: abort it. */
const EXPORT_IDLE_TIMEOUT_MS = 20_000;
/** An erase of a large account deletes many documents; it gets the function's whole timeout. */
const ERASE_TIMEOUT_MS = 240_000;

type Snapshot = FirebaseFirestore.QueryDocumentSnapshot;

/**
 * A collection's documents oldest first (by `field`, then by id), as one streamed query:
 * Firestore sends documents as they are read, the SDK resumes after the last one delivered on
 * a transient error, and gRPC flow control stops the server while the client is slow, so
 * memory stays bounded whatever the size of the collection. A stream that stalls for
 * {@link EXPORT_IDLE_TIMEOUT_MS} is aborted.
 */
export async function* documentsOldestFirst(
  path: string,
  field: string | null,
): AsyncGenerator<Snapshot> {
  const db = await firestore();
  const { FieldPath } = await import('firebase-admin/firestore');
  let query: FirebaseFirestore.Query = db.collection(path);
  if (field !== null) query = query.orderBy(field);
  // The SDK types it as the bare stream interface; it is a node:stream Readable.
  const stream = query.orderBy(FieldPath.documentId()).stream() as Readable;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        stream.destroy(
          new DeadlineExceededError(`export of ${field ?? 'documents'}`, EXPORT_IDLE_TIMEOUT_MS),
        ),
      EXPORT_IDLE_TIMEOUT_MS,
    );
  };
  try {
    arm();
    for await (const doc of stream as AsyncIterable<Snapshot>) {
      arm();
      yield doc;
    }
  } finally {
    clearTimeout(timer);
    stream.destroy();
  }
}

/**
 * Fails fast, with the usual `503`, when Firestore is unreachable: run before a download's first
 * byte, so that an outage is an error status rather than a broken `200`.
 */
export async function assertAccountReadable(uid: string): Promise<void> {
  await firestoreOp('export probe', (db) => db.collection(moodsPath(uid)).limit(1).get());
}

/** Writes the items of a JSON array, comma-separated, as they come. */
async function writeArray<T>(
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

/** Chat sessions, oldest first, each with its messages in their order. */
export const chatSection: ExportSection = {
  field: 'chatSessions',
  write: (uid, out) =>
    writeArray(out, documentsOldestFirst(chatSessionsPath(uid), 'createdAt'), async (session) => {
      const summary = JSON.stringify(toSummary(session.id, session.data() as StoredSession));
      // The session object, left open for its messages: `{...session,"messages":[...]}`.
      await out.write(`${summary.slice(0, -1)},"messages":`);
      await writeArray(out, documentsOldestFirst(chatMessagesPath(uid, session.id), 'seq'), (doc) =>
        out.write(JSON.stringify(toMessage(doc.id, doc.data() as StoredMessage))),
      );
      await out.write('}');
    }),
};

/** Budget months, oldest first, each as allocations GET shows it. */
export const allocationsSection: ExportSection = {
  field: 'allocations',
  write: (uid, out) =>
    writeArray(out, documentsOldestFirst(allocationsPath(uid), null), (doc) =>
      out.write(JSON.stringify(summarize(toState(doc.data() as StoredMonth)))),
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

/**
 * Shared set-up for the Firestore conformance tests. They run against whatever
 * FIRESTORE_EMULATOR_HOST points at (the patched Node emulator or the official one), so the
 * same assertions show that both behave like Firestore.
 *
 * Every test works under its own root collection named `conformance-<name>-<random>`:
 * tests never see each other's data and need no reset. The index coverage check ignores
 * collections with that prefix (these queries test the emulator, not the app).
 */
import { randomUUID } from 'node:crypto';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import type { App } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import type { CollectionReference, Firestore } from 'firebase-admin/firestore';
import { emulatorAuthClient } from '../../src/lib/firestore/emulator-auth';

export const PROJECT_ID = 'demo-stilla-test';

export interface TestDb {
  db: Firestore;
  /** A fresh root collection for one test. */
  root(name: string): CollectionReference;
  /** A collection id no other test uses (for collection-group queries). */
  uniqueId(name: string): string;
  close(): Promise<void>;
}

export function connect(): TestDb {
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    throw new Error('FIRESTORE_EMULATOR_HOST is not set: start the Firestore emulator first');
  }
  const app: App = initializeApp({ projectId: PROJECT_ID }, `conformance-${randomUUID()}`);
  const db = getFirestore(app);
  // gRPC, as the functions use it; STILLA_CONFORMANCE_TRANSPORT=rest runs the same assertions
  // over REST (the client's preferRest, which lib/firestore/db.ts can switch on).
  if (process.env.STILLA_CONFORMANCE_TRANSPORT === 'rest') {
    db.settings({ preferRest: true, authClient: emulatorAuthClient });
  }
  const uniqueId = (name: string) => `conformance-${name}-${randomUUID().slice(0, 8)}`;
  return {
    db,
    uniqueId,
    root: (name) => db.collection(uniqueId(name)),
    close: async () => {
      await db.terminate();
      await deleteApp(app);
    },
  };
}

/** The ids of a query snapshot's documents, in order. */
export const ids = (snapshot: { docs: { id: string }[] }): string[] =>
  snapshot.docs.map((d) => d.id);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The gRPC status code of a Firestore error (undefined if it has none). */
export function codeOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number'
    ? err.code
    : undefined;
}

/** gRPC status codes used in assertions. */
export const Status = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
} as const;

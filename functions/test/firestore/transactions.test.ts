/**
 * Conformance: transactions give Firestore's guarantees. Concurrent read-modify-writes all
 * take effect, reads see one consistent state, and a transaction whose reads went stale
 * never commits on top of them.
 */
import { FieldValue } from 'firebase-admin/firestore';
import { codeOf, connect, sleep, Status } from './helpers';
import type { TestDb } from './helpers';

let t: TestDb;
beforeAll(() => {
  t = connect();
});
afterAll(() => t.close());

// Contended transactions retry with the SDK's backoff (about a second per retry).
jest.setTimeout(60_000);

test('20 concurrent read-modify-write transactions on one document all take effect', async () => {
  const ref = t.root('rmw').doc('counter');
  await ref.set({ n: 0 });
  await Promise.all(
    Array.from({ length: 20 }, () =>
      t.db.runTransaction(async (tx) => {
        const n = (await tx.get(ref)).get('n') as number;
        tx.update(ref, { n: n + 1 });
      }),
    ),
  );
  expect((await ref.get()).get('n')).toBe(20);
});

test('read-then-create in concurrent transactions creates once', async () => {
  const ref = t.root('claim').doc('slot');
  const claimed = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      t.db.runTransaction(async (tx) => {
        if ((await tx.get(ref)).exists) return false;
        tx.create(ref, { owner: i });
        return true;
      }),
    ),
  );
  expect(claimed.filter(Boolean)).toHaveLength(1);
});

test('a transaction whose read was changed by another write does not commit on top of it', async () => {
  const ref = t.root('stale').doc('d');
  await ref.set({ n: 0 });
  let attempts = 0;
  let outside: Promise<unknown> | undefined;
  await t.db.runTransaction(async (tx) => {
    attempts++;
    const n = (await tx.get(ref)).get('n') as number;
    if (!outside) {
      // A write outside the transaction, after its read. Firestore either makes it wait for
      // the transaction's lock or fails the transaction's commit (and the SDK retries).
      outside = ref.update({ n: FieldValue.increment(10) });
      await Promise.race([outside, sleep(300)]);
    }
    tx.update(ref, { n: n + 1 });
  });
  await outside;
  // Serializable either way: 0 -> 1 -> 11, or 0 -> 10 -> 11. Never 1 (a lost update).
  expect((await ref.get()).get('n')).toBe(11);
  expect(attempts).toBeGreaterThanOrEqual(1);
});

test('reads in a read-write transaction see one consistent state', async () => {
  const col = t.root('consistent-rw');
  const a = col.doc('a');
  const b = col.doc('b');
  await t.db.batch().set(a, { v: 0 }).set(b, { v: 0 }).commit();
  let outside: Promise<unknown> | undefined;
  const seen = await t.db.runTransaction(async (tx) => {
    const va = (await tx.get(a)).get('v') as number;
    if (!outside) {
      outside = t.db.batch().update(a, { v: 1 }).update(b, { v: 1 }).commit();
      await Promise.race([outside, sleep(300)]);
    }
    const vb = (await tx.get(b)).get('v') as number;
    tx.set(col.doc('log'), { va, vb });
    return [va, vb];
  });
  await outside;
  expect(seen[0]).toBe(seen[1]);
  const log = (await col.doc('log').get()).data()!;
  expect(log.va).toBe(log.vb);
});

test('reads in a read-only transaction see one snapshot', async () => {
  const col = t.root('consistent-ro');
  const a = col.doc('a');
  const b = col.doc('b');
  await t.db.batch().set(a, { v: 0 }).set(b, { v: 0 }).commit();
  const seen = await t.db.runTransaction(
    async (tx) => {
      const va = (await tx.get(a)).get('v') as number;
      // Read-only transactions hold no locks: this write completes meanwhile.
      await t.db.batch().update(a, { v: 1 }).update(b, { v: 1 }).commit();
      const vb = (await tx.get(b)).get('v') as number;
      const count = (await tx.get(col.where('v', '==', 0).count())).data().count;
      return { va, vb, count };
    },
    { readOnly: true },
  );
  expect(seen).toEqual({ va: 0, vb: 0, count: 2 });
  expect((await b.get()).get('v')).toBe(1);
});

test('concurrent transactions over a query serialize', async () => {
  const col = t.root('tx-query');
  await t.db
    .batch()
    .set(col.doc('a'), { n: 0, open: true })
    .set(col.doc('b'), { n: 0, open: true })
    .commit();
  await Promise.all(
    Array.from({ length: 5 }, () =>
      t.db.runTransaction(async (tx) => {
        const snapshot = await tx.get(col.where('open', '==', true));
        for (const doc of snapshot.docs) tx.update(doc.ref, { n: (doc.get('n') as number) + 1 });
      }),
    ),
  );
  expect((await col.doc('a').get()).get('n')).toBe(5);
  expect((await col.doc('b').get()).get('n')).toBe(5);
});

test('a transaction that throws writes nothing; a failing commit writes nothing', async () => {
  const col = t.root('tx-fail');
  await col.doc('exists').set({ n: 1 });
  await expect(
    t.db.runTransaction(async (tx) => {
      await tx.get(col.doc('exists'));
      tx.set(col.doc('new'), { n: 1 });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  const err = await t.db
    .runTransaction(async (tx) => {
      await tx.get(col.doc('exists'));
      tx.set(col.doc('new'), { n: 1 });
      tx.create(col.doc('exists'), { n: 2 });
    })
    .catch((e: unknown) => e);
  expect(codeOf(err)).toBe(Status.ALREADY_EXISTS);
  expect((await col.doc('new').get()).exists).toBe(false);
  expect((await col.doc('exists').get()).get('n')).toBe(1);
});

/**
 * Conformance: BatchWrite (BulkWriter), recursiveDelete, ListDocuments and
 * ListCollectionIds behave as in Firestore.
 */
import type { CollectionReference } from 'firebase-admin/firestore';
import { connect, ids, Status } from './helpers';
import type { TestDb } from './helpers';

let t: TestDb;
beforeAll(() => {
  t = connect();
});
afterAll(() => t.close());

test('BulkWriter applies every write and reports failures one by one', async () => {
  const col = t.root('bulk');
  await t.db
    .batch()
    .set(col.doc('u0'), { n: 0 })
    .set(col.doc('dup'), { n: 0 })
    .set(col.doc('gone'), {})
    .commit();
  const writer = t.db.bulkWriter();
  const failures: number[] = [];
  writer.onWriteError((err) => {
    failures.push(err.code);
    return false; // do not retry
  });
  // BulkWriter does not order writes to one document: touch each document once.
  const results: Promise<unknown>[] = [];
  for (let i = 1; i <= 30; i++) results.push(writer.set(col.doc(`s${i}`), { i }));
  results.push(writer.update(col.doc('u0'), { n: 1 }));
  results.push(writer.create(col.doc('dup'), { dup: true }).catch(() => 'create failed'));
  results.push(writer.update(col.doc('missing'), { n: 1 }).catch(() => 'update failed'));
  results.push(writer.delete(col.doc('gone')));
  await writer.close();
  await Promise.all(results);
  expect((await col.count().get()).data().count).toBe(32); // s1..s30, u0, dup
  expect((await col.doc('u0').get()).get('n')).toBe(1);
  expect((await col.doc('dup').get()).data()).toEqual({ n: 0 });
  expect((await col.doc('gone').get()).exists).toBe(false);
  expect(failures.sort()).toEqual([Status.NOT_FOUND, Status.ALREADY_EXISTS].sort());
});

/** users/{uid} with subcollections two levels deep, and a sibling user. */
async function seedUsers(users: CollectionReference) {
  const u1 = users.doc('u1');
  const batch = t.db.batch();
  batch.set(u1, { name: 'one' });
  for (let i = 0; i < 7; i++) batch.set(u1.collection('moods').doc(`m${i}`), { i });
  batch.set(u1.collection('chats').doc('c1'), { title: 't' });
  batch.set(u1.collection('chats').doc('c1').collection('messages').doc('x'), { content: 'hi' });
  // a parent that does not exist, with children
  batch.set(u1.collection('ghosts').doc('g').collection('deep').doc('d'), { n: 1 });
  batch.set(users.doc('u2'), { name: 'two' });
  batch.set(users.doc('u2').collection('moods').doc('m0'), { i: 0 });
  await batch.commit();
  return u1;
}

test('recursiveDelete(userDoc) removes the document and everything under it, nothing else', async () => {
  const users = t.root('users');
  const u1 = await seedUsers(users);
  await t.db.recursiveDelete(u1);
  expect((await u1.get()).exists).toBe(false);
  expect((await u1.collection('moods').count().get()).data().count).toBe(0);
  expect(
    (await u1.collection('chats').doc('c1').collection('messages').count().get()).data().count,
  ).toBe(0);
  expect(
    (await u1.collection('ghosts').doc('g').collection('deep').count().get()).data().count,
  ).toBe(0);
  expect(await u1.listCollections()).toEqual([]);
  expect((await users.doc('u2').get()).exists).toBe(true);
  expect((await users.doc('u2').collection('moods').count().get()).data().count).toBe(1);
});

test('recursiveDelete(collection) removes that collection only', async () => {
  const users = t.root('users-col');
  const u1 = await seedUsers(users);
  await t.db.recursiveDelete(u1.collection('chats'));
  expect((await u1.collection('chats').count().get()).data().count).toBe(0);
  expect(
    (await u1.collection('chats').doc('c1').collection('messages').count().get()).data().count,
  ).toBe(0);
  expect((await u1.collection('moods').count().get()).data().count).toBe(7);
  expect((await u1.get()).exists).toBe(true);
});

test('listDocuments() lists documents, including missing ones that have subcollections', async () => {
  const col = t.root('list');
  await col.doc('b').set({ n: 1 });
  await col.doc('a').set({ n: 2 });
  await col.doc('ghost').collection('sub').doc('x').set({ n: 3 });
  const refs = await col.listDocuments();
  expect(refs.map((r) => r.id)).toEqual(['a', 'b', 'ghost']);
  const snaps = await t.db.getAll(...refs);
  expect(snaps.map((s) => s.exists)).toEqual([true, true, false]);
  expect(ids(await col.get())).toEqual(['a', 'b']);
});

test('listCollections() lists the subcollections that hold documents', async () => {
  const doc = t.root('list-cols').doc('d');
  await doc.collection('zeta').doc('x').set({});
  await doc.collection('alpha').doc('y').set({});
  await doc.collection('alpha').doc('y').collection('deeper').doc('z').set({});
  const names = (await doc.listCollections()).map((c) => c.id);
  expect(names).toEqual(['alpha', 'zeta']);
});

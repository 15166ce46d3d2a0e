/**
 * Conformance: writes behave as in Firestore (create/set/update/delete, preconditions, field
 * transforms, atomic batches, getAll).
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { codeOf, connect, Status } from './helpers';
import type { TestDb } from './helpers';

let t: TestDb;
beforeAll(() => {
  t = connect();
});
afterAll(() => t.close());

describe('create, set, update, delete', () => {
  test('create() fails with ALREADY_EXISTS when the document exists', async () => {
    const ref = t.root('create').doc('one');
    await ref.create({ n: 1 });
    const err = await ref.create({ n: 2 }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Status.ALREADY_EXISTS);
    expect((await ref.get()).data()).toEqual({ n: 1 });
  });

  test('of concurrent create() calls on one document exactly one succeeds', async () => {
    const ref = t.root('create-race').doc('one');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => ref.create({ i })),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected.map((r) => codeOf(r.reason))).toEqual(Array(9).fill(Status.ALREADY_EXISTS));
  });

  test('update() of a missing document fails with NOT_FOUND', async () => {
    const err = await t
      .root('update-missing')
      .doc('nope')
      .update({ n: 1 })
      .catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Status.NOT_FOUND);
  });

  test('set() replaces, set(merge) merges, update() changes only the given paths', async () => {
    const ref = t.root('set-update').doc('d');
    await ref.set({ a: 1, m: { x: 1, y: 1 } });
    await ref.set({ b: 2 });
    expect((await ref.get()).data()).toEqual({ b: 2 });
    await ref.set({ m: { x: 1, y: 1 }, keep: true });
    await ref.set({ m: { y: 2 } }, { merge: true });
    expect((await ref.get()).data()).toEqual({ m: { x: 1, y: 2 }, keep: true });
    await ref.update({ 'm.z': 3, keep: false });
    expect((await ref.get()).data()).toEqual({ m: { x: 1, y: 2, z: 3 }, keep: false });
    // update() with a map replaces the map
    await ref.update({ m: { only: 1 } });
    expect((await ref.get()).data()).toEqual({ m: { only: 1 }, keep: false });
  });

  test('FieldValue.delete() removes fields, nested ones too', async () => {
    const ref = t.root('field-delete').doc('d');
    await ref.set({ a: 1, b: 2, m: { x: 1, y: 2 } });
    await ref.update({ a: FieldValue.delete(), 'm.x': FieldValue.delete() });
    expect((await ref.get()).data()).toEqual({ b: 2, m: { y: 2 } });
    await ref.set({ b: FieldValue.delete(), c: 3 }, { merge: true });
    expect((await ref.get()).data()).toEqual({ c: 3, m: { y: 2 } });
  });

  test('delete() removes the document; deleting a missing one succeeds', async () => {
    const ref = t.root('delete').doc('d');
    await ref.set({ a: 1 });
    await ref.delete();
    expect((await ref.get()).exists).toBe(false);
    await expect(ref.delete()).resolves.toBeDefined();
    const err = await ref.delete({ exists: true }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Status.NOT_FOUND);
  });
});

describe('field transforms', () => {
  test('increment and serverTimestamp in one update both apply, in either order', async () => {
    const ref = t.root('transforms').doc('d');
    await ref.set({ count: 1 });
    const first = await ref.update({
      at: FieldValue.serverTimestamp(),
      count: FieldValue.increment(2),
    });
    let data = (await ref.get()).data()!;
    expect(data.count).toBe(3);
    expect((data.at as Timestamp).isEqual(first.writeTime)).toBe(true);
    await ref.update({
      count: FieldValue.increment(1.5),
      at: FieldValue.serverTimestamp(),
      other: 'x',
    });
    data = (await ref.get()).data()!;
    expect(data.count).toBe(4.5);
    expect(data.other).toBe('x');
  });

  test('increment creates a missing field and counts concurrent increments', async () => {
    const ref = t.root('increment').doc('d');
    await ref.set({ label: 'x' });
    await Promise.all(
      Array.from({ length: 25 }, () => ref.update({ 'stats.n': FieldValue.increment(1) })),
    );
    expect((await ref.get()).get('stats.n')).toBe(25);
  });

  test('arrayUnion and arrayRemove, also on missing fields', async () => {
    const ref = t.root('arrays').doc('d');
    await ref.set({ tags: ['a'] });
    await ref.update({ tags: FieldValue.arrayUnion('b', 'a'), fresh: FieldValue.arrayUnion('x') });
    expect((await ref.get()).data()).toEqual({ tags: ['a', 'b'], fresh: ['x'] });
    await ref.update({ tags: FieldValue.arrayRemove('a'), none: FieldValue.arrayRemove('z') });
    expect((await ref.get()).data()).toEqual({ tags: ['b'], fresh: ['x'], none: [] });
  });

  test('serverTimestamp in set() and create() is the commit time', async () => {
    const col = t.root('server-ts');
    const result = await col.doc('a').create({ at: FieldValue.serverTimestamp() });
    const snap = await col.doc('a').get();
    expect((snap.get('at') as Timestamp).isEqual(result.writeTime)).toBe(true);
    expect(snap.updateTime!.isEqual(result.writeTime)).toBe(true);
    expect(snap.createTime!.isEqual(result.writeTime)).toBe(true);
  });
});

describe('update times and preconditions', () => {
  test('successive writes get strictly increasing update times', async () => {
    const ref = t.root('update-times').doc('d');
    const times: Timestamp[] = [];
    for (let i = 0; i < 5; i++) times.push((await ref.set({ i })).writeTime);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]!.toMillis() * 1000 + (times[i]!.nanoseconds % 1e6) / 1000).toBeGreaterThan(
        times[i - 1]!.toMillis() * 1000 + (times[i - 1]!.nanoseconds % 1e6) / 1000,
      );
    }
    const snap = await ref.get();
    expect(snap.updateTime!.isEqual(times[4]!)).toBe(true);
    expect(snap.createTime!.isEqual(times[0]!)).toBe(true);
  });

  test('an update with a stale lastUpdateTime fails with FAILED_PRECONDITION', async () => {
    const ref = t.root('last-update-time').doc('d');
    await ref.set({ n: 1 });
    const seen = await ref.get();
    await ref.update({ n: 2 });
    const err = await ref
      .update({ n: 3 }, { lastUpdateTime: seen.updateTime! })
      .catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Status.FAILED_PRECONDITION);
    const fresh = await ref.get();
    await ref.update({ n: 4 }, { lastUpdateTime: fresh.updateTime! });
    expect((await ref.get()).get('n')).toBe(4);
  });
});

describe('batches and getAll', () => {
  test('a batch is atomic: one failing write stores none', async () => {
    const col = t.root('batch');
    await col.doc('exists').set({ n: 1 });
    const batch = t.db.batch();
    batch.set(col.doc('new'), { n: 1 });
    batch.update(col.doc('exists'), { n: 2 });
    batch.update(col.doc('missing'), { n: 1 });
    const err = await batch.commit().catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Status.NOT_FOUND);
    expect((await col.doc('new').get()).exists).toBe(false);
    expect((await col.doc('exists').get()).get('n')).toBe(1);
  });

  test('getAll returns documents in request order, missing ones too', async () => {
    const col = t.root('get-all');
    await col.doc('b').set({ n: 2 });
    await col.doc('a').set({ n: 1 });
    const snaps = await t.db.getAll(col.doc('b'), col.doc('zz'), col.doc('a'));
    expect(snaps.map((s) => [s.id, s.exists, s.get('n')])).toEqual([
      ['b', true, 2],
      ['zz', false, undefined],
      ['a', true, 1],
    ]);
  });
});

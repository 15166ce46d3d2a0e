/**
 * Conformance: queries behave as in Firestore (ordering, implicit orders, cursors, filters,
 * projections, aggregations, collection groups).
 */
import { AggregateField, FieldPath, Filter, Timestamp } from 'firebase-admin/firestore';
import type { CollectionReference, Query } from 'firebase-admin/firestore';
import { connect, ids } from './helpers';
import type { TestDb } from './helpers';

let t: TestDb;
beforeAll(() => {
  t = connect();
});
afterAll(() => t.close());

const docId = FieldPath.documentId();

/** Writes documents by id (in the given order, deliberately not sorted). */
async function seed(col: CollectionReference, docs: Record<string, Record<string, unknown>>) {
  const batch = t.db.batch();
  for (const [id, data] of Object.entries(docs)) batch.set(col.doc(id), data);
  await batch.commit();
}

/** Reads a query page by page (startAfter the last snapshot) and returns all ids. */
async function paginate(query: Query, pageSize: number): Promise<string[]> {
  const out: string[] = [];
  let page = await query.limit(pageSize).get();
  while (!page.empty) {
    out.push(...ids(page));
    page = await query
      .startAfter(page.docs[page.docs.length - 1]!)
      .limit(pageSize)
      .get();
  }
  return out;
}

describe('ordering', () => {
  test('orderBy(documentId()) in both directions', async () => {
    const col = t.root('order-docid');
    await seed(col, { c: { n: 1 }, a: { n: 1 }, d: { n: 1 }, b: { n: 1 } });
    expect(ids(await col.orderBy(docId).get())).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(await col.orderBy(docId, 'desc').get())).toEqual(['d', 'c', 'b', 'a']);
  });

  test('ties are broken by document id in the direction of the last orderBy', async () => {
    const col = t.root('order-ties');
    await seed(col, { c: { s: 1 }, a: { s: 2 }, d: { s: 1 }, b: { s: 2 }, e: { s: 1 } });
    expect(ids(await col.orderBy('s').get())).toEqual(['c', 'd', 'e', 'a', 'b']);
    expect(ids(await col.orderBy('s', 'desc').get())).toEqual(['b', 'a', 'e', 'd', 'c']);
  });

  test('an unordered query returns documents by id', async () => {
    const col = t.root('order-default');
    await seed(col, { m: { x: 1 }, b: { x: 1 }, z: { x: 1 }, a: { x: 1 } });
    expect(ids(await col.get())).toEqual(['a', 'b', 'm', 'z']);
  });

  test('an inequality filter orders by its field, then by id', async () => {
    const col = t.root('order-inequality');
    await seed(col, { a: { n: 3 }, b: { n: 1 }, c: { n: 2 }, d: { n: 2 }, e: { n: 0 } });
    expect(ids(await col.where('n', '>', 0).get())).toEqual(['b', 'c', 'd', 'a']);
    // != is an inequality too
    expect(ids(await col.where('n', '!=', 2).get())).toEqual(['e', 'b', 'a']);
  });

  test('inequality fields not explicitly ordered follow the explicit orderBy', async () => {
    const col = t.root('order-multi-inequality');
    await seed(col, {
      a: { x: 2, y: 1, z: 'p' },
      b: { x: 1, y: 2, z: 'p' },
      c: { x: 1, y: 1, z: 'q' },
      d: { x: 2, y: 2, z: 'q' },
    });
    // Implicit order: x, y (lexicographic), then __name__.
    expect(ids(await col.where('y', '>', 0).where('x', '>', 0).get())).toEqual([
      'c',
      'b',
      'a',
      'd',
    ]);
    // Explicit orderBy z desc, then the inequality fields x, y desc, then __name__ desc.
    expect(ids(await col.where('x', '>', 0).where('y', '>', 0).orderBy('z', 'desc').get())).toEqual(
      ['d', 'c', 'a', 'b'],
    );
  });

  test('documents without the orderBy field are left out', async () => {
    const col = t.root('order-missing');
    await seed(col, { a: { n: 2 }, b: { other: true }, c: { n: 1 } });
    expect(ids(await col.orderBy('n').get())).toEqual(['c', 'a']);
    expect((await col.get()).size).toBe(3);
  });

  test('values of different types order by type, numbers across int and double', async () => {
    const col = t.root('order-types');
    await seed(col, {
      str: { v: 'a' },
      ts: { v: Timestamp.fromMillis(0) },
      int2: { v: 2 },
      dbl: { v: 1.5 },
      tru: { v: true },
      nul: { v: null },
      fal: { v: false },
      int1: { v: 1 },
      arr: { v: [1] },
      map: { v: { k: 1 } },
    });
    expect(ids(await col.orderBy('v').get())).toEqual([
      'nul',
      'fal',
      'tru',
      'int1',
      'dbl',
      'int2',
      'ts',
      'str',
      'arr',
      'map',
    ]);
    // Range filters match only values of the operand's type; ints and doubles compare.
    expect(ids(await col.where('v', '>=', 1.5).get())).toEqual(['dbl', 'int2']);
    expect(ids(await col.where('v', '==', 2.0).get())).toEqual(['int2']);
  });
});

describe('cursors', () => {
  let col: CollectionReference;
  // score ties, so the id tie-breaker matters
  const data = {
    f: { score: 20, group: 'x' },
    a: { score: 10, group: 'x' },
    d: { score: 20, group: 'y' },
    b: { score: 30, group: 'x' },
    e: { score: 10, group: 'y' },
    c: { score: 20, group: 'x' },
    g: { score: 40, group: 'x' },
  };
  beforeAll(async () => {
    col = t.root('cursors');
    await seed(col, data);
  });

  test('startAt/startAfter/endAt/endBefore with values over two orderBy fields', async () => {
    const asc = col.orderBy('score').orderBy(docId); // a e c d f b g
    expect(ids(await asc.startAt(20, 'd').get())).toEqual(['d', 'f', 'b', 'g']);
    expect(ids(await asc.startAfter(20, 'd').get())).toEqual(['f', 'b', 'g']);
    expect(ids(await asc.endAt(20, 'd').get())).toEqual(['a', 'e', 'c', 'd']);
    expect(ids(await asc.endBefore(20, 'd').get())).toEqual(['a', 'e', 'c']);
    expect(ids(await asc.startAfter(10, 'e').endBefore(30, 'b').get())).toEqual(['c', 'd', 'f']);
    // A cursor with fewer values than orderBy fields bounds the first fields only.
    expect(ids(await asc.startAt(20).get())).toEqual(['c', 'd', 'f', 'b', 'g']);
    expect(ids(await asc.startAfter(20).get())).toEqual(['b', 'g']);
    expect(ids(await asc.endAt(20).get())).toEqual(['a', 'e', 'c', 'd', 'f']);
  });

  test('cursors in descending order', async () => {
    const desc = col.orderBy('score', 'desc').orderBy(docId, 'desc'); // g b f d c e a
    expect(ids(await desc.startAt(20, 'd').get())).toEqual(['d', 'c', 'e', 'a']);
    expect(ids(await desc.startAfter(20, 'd').get())).toEqual(['c', 'e', 'a']);
    expect(ids(await desc.endAt(20, 'd').get())).toEqual(['g', 'b', 'f', 'd']);
    expect(ids(await desc.endBefore(20, 'd').get())).toEqual(['g', 'b', 'f']);
    // Mixed directions: score desc, id asc.
    const mixed = col.orderBy('score', 'desc').orderBy(docId); // g b c d f a e
    expect(ids(await mixed.startAfter(20, 'c').get())).toEqual(['d', 'f', 'a', 'e']);
  });

  test('cursors on documentId alone', async () => {
    expect(ids(await col.orderBy(docId).startAfter('c').endAt('e').get())).toEqual(['d', 'e']);
    expect(ids(await col.orderBy(docId, 'desc').startAt('c').get())).toEqual(['c', 'b', 'a']);
  });

  test('snapshot cursors add the implicit orderBy of the document id', async () => {
    const d = await col.doc('d').get();
    expect(ids(await col.orderBy('score').startAfter(d).get())).toEqual(['f', 'b', 'g']);
    expect(ids(await col.orderBy('score', 'desc').startAfter(d).get())).toEqual(['c', 'e', 'a']);
    expect(ids(await col.orderBy('score').endBefore(d).get())).toEqual(['a', 'e', 'c']);
    expect(ids(await col.orderBy('score', 'desc').endAt(d).get())).toEqual(['g', 'b', 'f', 'd']);
  });

  test('paginating with a documentId tie-breaker visits every document once, both ways', async () => {
    const asc = col.orderBy('score').orderBy(docId);
    const desc = col.orderBy('score', 'desc').orderBy(docId, 'desc');
    expect(await paginate(asc, 2)).toEqual(['a', 'e', 'c', 'd', 'f', 'b', 'g']);
    expect(await paginate(desc, 2)).toEqual(['g', 'b', 'f', 'd', 'c', 'e', 'a']);
    expect(await paginate(desc, 3)).toEqual(['g', 'b', 'f', 'd', 'c', 'e', 'a']);
  });

  test('cursors combined with equality and range filters', async () => {
    const q = col
      .where('group', '==', 'x')
      .where('score', '>=', 20)
      .orderBy('score', 'desc')
      .orderBy(docId, 'desc'); // g b f c
    expect(await paginate(q, 1)).toEqual(['g', 'b', 'f', 'c']);
    expect(ids(await q.startAfter(30, 'b').get())).toEqual(['f', 'c']);
    expect(ids(await q.startAt(20).get())).toEqual(['f', 'c']);
    // inequality field with implicit order and a snapshot cursor
    const c = await col.doc('c').get();
    expect(ids(await col.where('score', '<', 30).startAfter(c).get())).toEqual(['d', 'f']);
  });

  test('limitToLast returns the last documents in query order', async () => {
    const q = col.orderBy('score').orderBy(docId).limitToLast(3);
    expect(ids(await q.get())).toEqual(['f', 'b', 'g']);
    expect(
      ids(await col.orderBy('score').orderBy(docId).endBefore(20, 'f').limitToLast(2).get()),
    ).toEqual(['c', 'd']);
  });

  test('offset and limit', async () => {
    expect(ids(await col.orderBy(docId).offset(2).limit(3).get())).toEqual(['c', 'd', 'e']);
  });
});

describe('filters', () => {
  let col: CollectionReference;
  beforeAll(async () => {
    col = t.root('filters');
    await seed(col, {
      a: { tags: ['calm', 'sleep'], n: 1, nested: { k: 'x' }, maybe: null },
      b: { tags: ['anxious'], n: 2, nested: { k: 'y' }, maybe: 'set' },
      c: { tags: ['calm'], n: 3, nested: { k: 'x' } },
      d: { n: 4, maybe: Number.NaN },
      e: { n: 0 },
    });
  });

  test('array-contains and array-contains-any', async () => {
    expect(ids(await col.where('tags', 'array-contains', 'calm').get())).toEqual(['a', 'c']);
    expect(ids(await col.where('tags', 'array-contains-any', ['sleep', 'anxious']).get())).toEqual([
      'a',
      'b',
    ]);
  });

  test('in and not-in', async () => {
    expect(ids(await col.where('n', 'in', [1, 3, 9]).get())).toEqual(['a', 'c']);
    // not-in is an inequality: it orders by n
    expect(ids(await col.where('n', 'not-in', [1, 3]).get())).toEqual(['e', 'b', 'd']);
  });

  test('!= leaves out documents without the field and null values', async () => {
    expect(ids(await col.where('maybe', '!=', 'set').get())).toEqual(['d']);
    expect(ids(await col.where('maybe', '!=', null).get())).toEqual(['d', 'b']);
  });

  test('== null and == NaN', async () => {
    expect(ids(await col.where('maybe', '==', null).get())).toEqual(['a']);
    expect(ids(await col.where('maybe', '==', Number.NaN).get())).toEqual(['d']);
  });

  test('filters on nested fields', async () => {
    expect(ids(await col.where('nested.k', '==', 'x').get())).toEqual(['a', 'c']);
    expect(ids(await col.orderBy('nested.k', 'desc').get())).toEqual(['b', 'c', 'a']);
  });

  test('filters on the document id', async () => {
    expect(ids(await col.where(docId, '>=', 'b').where(docId, '<', 'd').get())).toEqual(['b', 'c']);
    expect(ids(await col.where(docId, 'in', ['a', 'd', 'zz']).get())).toEqual(['a', 'd']);
  });

  test('OR filters', async () => {
    const q = col.where(
      Filter.or(Filter.where('n', '==', 1), Filter.where('tags', 'array-contains', 'anxious')),
    );
    expect(ids(await q.get())).toEqual(['a', 'b']);
    const nested = col.where(
      Filter.and(
        Filter.where('n', '>', 1),
        Filter.or(Filter.where('nested.k', '==', 'x'), Filter.where('maybe', '==', 'set')),
      ),
    );
    expect(ids(await nested.get())).toEqual(['b', 'c']);
  });

  test('range filters on Timestamps with a descending order', async () => {
    const moods = t.root('timestamps');
    const base = Date.UTC(2026, 0, 1);
    await seed(moods, {
      m1: { at: Timestamp.fromMillis(base + 1000) },
      m2: { at: Timestamp.fromMillis(base + 3000) },
      m3: { at: Timestamp.fromMillis(base + 2000) },
      m4: { at: Timestamp.fromMillis(base + 5000) },
      m5: { at: 'not a timestamp' },
      m9: { at: Timestamp.fromMillis(base + 3000) },
    });
    const q = moods
      .where('at', '>=', Timestamp.fromMillis(base + 2000))
      .where('at', '<', Timestamp.fromMillis(base + 5000))
      .orderBy('at', 'desc')
      .orderBy(docId, 'desc');
    expect(ids(await q.get())).toEqual(['m9', 'm2', 'm3']);
  });
});

describe('projections and aggregations', () => {
  test('select() returns only the selected fields', async () => {
    const col = t.root('select');
    await seed(col, { a: { keep: 1, drop: 2, deep: { x: 1, y: 2 } } });
    const [doc] = (await col.select('keep', 'deep.y').get()).docs;
    expect(doc!.data()).toEqual({ keep: 1, deep: { y: 2 } });
    const [bare] = (await col.select().get()).docs;
    expect(bare!.data()).toEqual({});
    const [masked] = await t.db.getAll(col.doc('a'), { fieldMask: ['drop'] });
    expect(masked!.data()).toEqual({ drop: 2 });
  });

  test('count(), sum() and average() with filters and limit', async () => {
    const col = t.root('aggregate');
    await seed(col, {
      a: { n: 1, g: 'x' },
      b: { n: 2.5, g: 'x' },
      c: { n: 'text', g: 'x' },
      d: { n: 4, g: 'y' },
    });
    expect((await col.count().get()).data().count).toBe(4);
    expect((await col.where('g', '==', 'x').count().get()).data().count).toBe(3);
    expect((await col.orderBy(docId).limit(2).count().get()).data().count).toBe(2);
    const agg = await col
      .where('g', '==', 'x')
      .aggregate({ total: AggregateField.sum('n'), mean: AggregateField.average('n') })
      .get();
    expect(agg.data()).toEqual({ total: 3.5, mean: 1.75 });
  });
});

describe('subcollections and collection groups', () => {
  test('queries on a subcollection see only that parent', async () => {
    const users = t.root('users');
    await users.doc('u1').collection('moods').doc('m1').set({ score: 3 });
    await users.doc('u1').collection('moods').doc('m2').set({ score: 5 });
    await users.doc('u2').collection('moods').doc('m3').set({ score: 4 });
    const q = users.doc('u1').collection('moods').orderBy('score', 'desc');
    expect(ids(await q.get())).toEqual(['m2', 'm1']);
  });

  test('a collection-group query spans every parent and depth', async () => {
    const group = t.uniqueId('cg');
    const users = t.root('cg-users');
    await users.doc('u1').collection(group).doc('a').set({ day: 2 });
    await users.doc('u2').collection(group).doc('b').set({ day: 1 });
    await users.doc('u2').collection('other').doc('x').collection(group).doc('c').set({ day: 3 });
    await users.doc('u3').collection(`${group}-not`).doc('d').set({ day: 0 });
    const q = t.db.collectionGroup(group).where('day', '>=', 1).orderBy('day', 'desc');
    const snapshot = await q.get();
    expect(ids(snapshot)).toEqual(['c', 'a', 'b']);
    expect(snapshot.docs.map((d) => d.ref.path)).toEqual([
      `${users.id}/u2/other/x/${group}/c`,
      `${users.id}/u1/${group}/a`,
      `${users.id}/u2/${group}/b`,
    ]);
    expect((await t.db.collectionGroup(group).count().get()).data().count).toBe(3);
  });
});

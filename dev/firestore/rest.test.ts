import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFirestoreEmulator } from './emulator.ts';
import type { FirestoreEmulator } from './emulator.ts';

// The Node emulator's REST front end (see README.md, "REST"), as a client that speaks HTTP
// meets it. The Firestore client's own use of it is covered by the conformance tests.
const DB = 'projects/demo-rest-test/databases/(default)';
let emulator: FirestoreEmulator;
let base: string;

before(async () => {
  process.env.STILLA_FIRESTORE_EMULATOR = 'node';
  emulator = await startFirestoreEmulator({ port: 0 });
  base = `http://${emulator.hostPort}/v1/${DB}/documents`;
});
after(() => emulator.stop());

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('a commit, a read and a query round-trip proto3 JSON', async () => {
  const name = `${DB}/documents/notes/n1`;
  const commit = await post(':commit', {
    writes: [
      {
        update: {
          name,
          fields: {
            n: { integerValue: '42' },
            at: { timestampValue: '2026-12-02T10:00:00.123456Z' },
            tags: { arrayValue: { values: [{ stringValue: 'a' }] } },
          },
        },
      },
    ],
  });
  assert.equal(commit.status, 200);
  const committed = (await commit.json()) as { commitTime: string; writeResults: unknown[] };
  assert.match(committed.commitTime, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  assert.equal(committed.writeResults.length, 1);

  const got = await post(':batchGet', { documents: [name, `${DB}/documents/notes/none`] });
  const items = (await got.json()) as {
    found?: { fields: Record<string, unknown> };
    missing?: string;
  }[];
  assert.equal(items.length, 2);
  assert.deepEqual(items[0]!.found!.fields, {
    n: { integerValue: '42' },
    at: { timestampValue: '2026-12-02T10:00:00.123456Z' },
    tags: { arrayValue: { values: [{ stringValue: 'a' }] } },
  });
  assert.equal(items[1]!.missing, `${DB}/documents/notes/none`);

  const query = await post(':runQuery', {
    structuredQuery: {
      from: [{ collectionId: 'notes' }],
      where: {
        fieldFilter: {
          field: { fieldPath: 'n' },
          op: 'GREATER_THAN',
          value: { integerValue: '1' },
        },
      },
    },
  });
  const rows = (await query.json()) as { document?: { name: string } }[];
  assert.deepEqual(
    rows.filter((r) => r.document).map((r) => r.document!.name),
    [name],
  );
});

test('a transaction id handed out over REST is accepted back', async () => {
  const begin = await post(':beginTransaction', {});
  const { transaction } = (await begin.json()) as { transaction: string };
  assert.equal(Buffer.from(transaction, 'base64').length, 16);
  const rollback = await post(':rollback', { transaction });
  assert.equal(rollback.status, 200);
  const again = await post(':commit', { transaction, writes: [] });
  assert.equal(again.status, 400); // ended: Firestore's INVALID_ARGUMENT
});

test('errors answer Google error bodies with the HTTP status of their gRPC code', async () => {
  const cases: [Response, number, string][] = [
    [await post(':commit', '{not json'), 400, 'INVALID_ARGUMENT'],
    [await post(':commit', { writes: 'no' }), 400, 'INVALID_ARGUMENT'],
    [
      await post(':commit', {
        writes: [
          {
            update: { name: `${DB}/documents/notes/x`, fields: {} },
            currentDocument: { exists: true },
          },
        ],
      }),
      404,
      'NOT_FOUND',
    ],
    [await post(':listen', {}), 501, 'UNIMPLEMENTED'],
    [await fetch(`${base}/notes/n1`), 501, 'UNIMPLEMENTED'],
  ];
  for (const [res, status, name] of cases) {
    assert.equal(res.status, status);
    const body = (await res.json()) as { error: { code: number; status: string; message: string } };
    assert.equal(body.error.code, status);
    assert.equal(body.error.status, name);
    assert.ok(body.error.message.length > 0);
  }
});

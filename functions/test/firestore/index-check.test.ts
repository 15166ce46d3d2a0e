/**
 * The index coverage check, end to end: a real query through firebase-admin against the
 * patched emulator is recorded in its query log, and the check (dev/firestore/index-check.ts,
 * run as the CLI) fails with the index to add when firestore.indexes.json lacks it.
 *
 * Uses its own emulator (dev/firestore/main.ts on a free port) so that its query log holds
 * exactly these queries.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import type { App } from 'firebase-admin/app';
import { FieldPath, getFirestore } from 'firebase-admin/firestore';
import type { Firestore } from 'firebase-admin/firestore';
import { PROJECT_ID } from './helpers';

const repo = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'stilla-index-check-'));
const queryLog = join(dir, 'queries.jsonl');

let emulator: ChildProcess;
let app: App;
let db: Firestore;

/** Starts dev/firestore/main.ts (Node emulator, free port) and resolves its host:port. */
function startEmulator(): Promise<string> {
  emulator = spawn(
    process.execPath,
    [join(repo, 'dev/firestore/main.ts'), '--port', '0', '--query-log', queryLog],
    {
      cwd: repo,
      env: { ...process.env, STILLA_FIRESTORE_EMULATOR: 'node' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((done, fail) => {
    let out = '';
    emulator.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const hostPort = /FIRESTORE_EMULATOR_HOST=(\S+)/.exec(out)?.[1];
      if (hostPort) done(hostPort);
    });
    emulator.once('exit', (code) => fail(new Error(`emulator exited (${code}): ${out}`)));
  });
}

beforeAll(async () => {
  const hostPort = await startEmulator();
  // The SDK reads FIRESTORE_EMULATOR_HOST when the instance is created: point this one at
  // the dedicated emulator without disturbing the other tests' setting.
  const previous = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = hostPort;
  try {
    app = initializeApp({ projectId: PROJECT_ID }, `index-check-${randomUUID()}`);
    db = getFirestore(app);
  } finally {
    if (previous === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
    else process.env.FIRESTORE_EMULATOR_HOST = previous;
  }
}, 30_000);

afterAll(async () => {
  await db?.terminate();
  if (app) await deleteApp(app);
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((done) => emulator.once('exit', done));
    emulator.kill('SIGTERM');
    await exited;
  }
});

function runCheck(indexes: object): { status: number | null; stdout: string } {
  const indexesPath = join(dir, `indexes-${randomUUID()}.json`);
  writeFileSync(indexesPath, JSON.stringify(indexes));
  const result = spawnSync(
    process.execPath,
    [join(repo, 'dev/firestore/index-check.ts'), '--log', queryLog, '--indexes', indexesPath],
    { encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout + result.stderr };
}

const timelineIndex = {
  collectionGroup: 'moods',
  queryScope: 'COLLECTION',
  fields: [
    { fieldPath: 'kind', order: 'ASCENDING' },
    { fieldPath: 'at', order: 'DESCENDING' },
  ],
};

test('a query that needs a missing composite index fails the check, naming the index', async () => {
  const moods = db.collection('users').doc('u1').collection('moods');
  await moods.doc('m1').set({ kind: 'calm', at: 1 });
  // needs (kind ASC, at DESC); the documentId tie-breaker is implicit in that index
  const page = await moods
    .where('kind', '==', 'calm')
    .orderBy('at', 'desc')
    .orderBy(FieldPath.documentId(), 'desc')
    .limit(10)
    .get();
  expect(page.size).toBe(1);
  // served by single-field indexes: needs no composite
  await moods.where('kind', '==', 'calm').get();

  const recorded = readFileSync(queryLog, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as object);
  expect(recorded).toContainEqual({
    rpc: 'RunQuery',
    parent: `projects/${PROJECT_ID}/databases/(default)/documents/users/u1`,
    collectionId: 'moods',
    allDescendants: false,
    filters: [{ field: 'kind', op: 'EQUAL' }],
    orderBy: [
      { field: 'at', direction: 'DESCENDING' },
      { field: '__name__', direction: 'DESCENDING' },
    ],
  });

  const missing = runCheck({ indexes: [], fieldOverrides: [] });
  expect(missing.status).toBe(1);
  expect(missing.stdout).toContain('MISSING composite index');
  expect(missing.stdout).toContain(
    JSON.stringify(timelineIndex, null, 2)
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n'),
  );

  const complete = runCheck({ indexes: [timelineIndex], fieldOverrides: [] });
  expect(complete.stdout).toContain('OK');
  expect(complete.status).toBe(0);

  const extra = { ...timelineIndex, collectionGroup: 'messages' };
  const unused = runCheck({ indexes: [timelineIndex, extra], fieldOverrides: [] });
  expect(unused.status).toBe(1);
  expect(unused.stdout).toContain('UNUSED composite index');
});

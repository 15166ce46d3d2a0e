/**
 * The account export of a large account (20,000 moods, 250 chat sessions of 20 messages = 5,000
 * messages, 24 allocation months by default), served by the Functions Framework (the 2nd-gen
 * runtime) from functions/lib: time to first byte, time to the last byte, size, and the server
 * process's peak memory, side by side with a baseline that reads the same account whole and
 * serialises it at once (what an export without streaming does), in a process of its own.
 * Bounded: every process it starts is stopped.
 *
 *   npm --prefix functions run build && node dev/bench/export.ts [--moods 20000] [--sessions 250]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { localParams } from './local-params.ts';
import { getFreePort } from '../redis-bridge/redis-server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const { values } = parseArgs({
  options: {
    moods: { type: 'string', default: '20000' },
    sessions: { type: 'string', default: '250' },
    messages: { type: 'string', default: '20' },
    months: { type: 'string', default: '24' },
    /** Caps the server's V8 heap (as a 256 MiB instance would): proves the export fits in it. */
    'server-heap-mb': { type: 'string', default: '' },
  },
});
const moodCount = Number(values.moods);
const sessionCount = Number(values.sessions);
const messagesPerSession = Number(values.messages);
const monthCount = Number(values.months);

const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');
const requireFunctions = createRequire(join(functionsDir, 'package.json'));
const PROJECT = 'demo-stilla-export';
const UID = 'export-bench-user';

type Admin = {
  initializeApp(options: { projectId: string }, name: string): unknown;
};
/** The little of firebase-admin's Firestore the seeding uses (dev/ has no firebase types). */
interface DocRef {
  collection(path: string): { doc(): DocRef };
}
interface Db {
  bulkWriter(): { create(ref: DocRef, data: object): Promise<unknown>; close(): Promise<void> };
  collection(path: string): { doc(): DocRef };
  doc(path: string): DocRef;
}
interface TimestampClass {
  fromMillis(ms: number): object;
}
type FirestoreModule = {
  getFirestore(app: unknown): Db;
  Timestamp: TimestampClass;
};

const unsignedToken = (sub: string) => unsignedFor(PROJECT, sub);

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

async function seed(db: Db, Timestamp: TimestampClass) {
  const writer = db.bulkWriter();
  const start = Date.parse('2021-01-01T00:00:00.000Z');
  const note = 'A calm walk by the sea, then coffee with a friend. Slept well. '.repeat(2);
  for (let i = 0; i < moodCount; i++) {
    const at = Timestamp.fromMillis(start + i * 90 * 60 * 1000);
    void writer.create(db.collection(`users/${UID}/moods`).doc(), {
      score: (i % 10) + 1,
      note,
      tags: ['walk', 'sleep'],
      recordedAt: at,
      createdAt: at,
    });
  }
  for (let s = 0; s < sessionCount; s++) {
    const session = db.collection(`users/${UID}/chatSessions`).doc();
    const created = start + s * 86_400_000;
    void writer.create(session, {
      title: `Session ${s}`,
      createdAt: Timestamp.fromMillis(created),
      updatedAt: Timestamp.fromMillis(created + messagesPerSession * 1000),
      messageCount: messagesPerSession,
      lastMessagePreview: 'Thank you for telling me.',
    });
    for (let m = 0; m < messagesPerSession; m++) {
      void writer.create(session.collection('messages').doc(), {
        seq: m + 1,
        role: m % 2 === 0 ? 'user' : 'assistant',
        content: 'I have been feeling a bit low this week, but talking helps. '.repeat(3),
        createdAt: Timestamp.fromMillis(created + m * 1000),
      });
    }
  }
  for (let m = 0; m < monthCount; m++) {
    const month = `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    void writer.create(db.doc(`users/${UID}/allocations/${month}`), {
      currency: 'SEK',
      revision: 1,
      categories: [
        { key: 'rent', label: 'Rent', budget: 900_000, actual: 900_000 },
        { key: 'food', label: 'Food', budget: 400_000, actual: 350_000 },
      ],
      updatedAt: Timestamp.fromMillis(start),
    });
  }
  await writer.close();
}

async function serve(env: Record<string, string>) {
  const port = await getFreePort();
  const child = spawn(
    process.execPath,
    [framework, '--target=account', `--port=${port}`, '--source=lib'],
    {
      cwd: functionsDir,
      env: {
        ...process.env,
        ...env,
        ...(values['server-heap-mb']
          ? { NODE_OPTIONS: `--max-old-space-size=${values['server-heap-mb']}` }
          : {}),
      },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 400; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((res) => res.arrayBuffer());
      return { url, child };
    } catch {
      await sleep(25);
    }
  }
  throw new Error('account did not start');
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
}

/** The baseline: reads everything with one query per collection, serialises it whole. */
const BASELINE = `
const { createRequire } = require('node:module');
const req = createRequire(process.argv[2]);
const { initializeApp } = req('firebase-admin/app');
const { getFirestore } = req('firebase-admin/firestore');
const fs = require('node:fs');
(async () => {
  const db = getFirestore(initializeApp({ projectId: process.argv[3] }));
  const uid = process.argv[4];
  const started = performance.now();
  const iso = (t) => t.toDate().toISOString();
  const moods = (await db.collection('users/' + uid + '/moods').orderBy('recordedAt').get()).docs
    .map((d) => ({ id: d.id, ...d.data(), recordedAt: iso(d.get('recordedAt')), createdAt: iso(d.get('createdAt')) }));
  const sessions = [];
  for (const s of (await db.collection('users/' + uid + '/chatSessions').orderBy('createdAt').get()).docs) {
    const messages = (await s.ref.collection('messages').orderBy('seq').get()).docs
      .map((m) => ({ id: m.id, ...m.data(), createdAt: iso(m.get('createdAt')) }));
    sessions.push({ id: s.id, ...s.data(), createdAt: iso(s.get('createdAt')), updatedAt: iso(s.get('updatedAt')), messages });
  }
  const allocations = (await db.collection('users/' + uid + '/allocations').get()).docs.map((d) => ({ month: d.id, ...d.data() }));
  const body = JSON.stringify({ exportedAt: new Date().toISOString(), userId: uid, moods, chatSessions: sessions, allocations });
  const ms = performance.now() - started;
  const hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  process.stdout.write(JSON.stringify({ ms, bytes: Buffer.byteLength(body), peakMiB: hwm }));
  process.exit(0);
})();
`;

const firestore = await startFirestoreEmulator({ port: 0 });
const env = {
  ...localParams(functionsDir),
  GCLOUD_PROJECT: PROJECT,
  FUNCTIONS_EMULATOR: 'true',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
  FIRESTORE_EMULATOR_HOST: firestore.hostPort,
  UPSTASH_REDIS_REST_URL: '',
  UPSTASH_REDIS_REST_TOKEN: '',
  OPENAI_API_KEY: '',
  SENTRY_DSN: '',
};
process.env.FIRESTORE_EMULATOR_HOST = firestore.hostPort;
const lines: string[] = [];
try {
  const { initializeApp } = requireFunctions('firebase-admin/app') as Admin;
  const { getFirestore, Timestamp } = requireFunctions(
    'firebase-admin/firestore',
  ) as FirestoreModule;
  const db = getFirestore(initializeApp({ projectId: PROJECT }, 'bench'));
  const seeding = performance.now();
  await seed(db, Timestamp);
  const documents = moodCount + sessionCount * (1 + messagesPerSession) + monthCount;
  lines.push(
    `seeded ${documents} documents (${moodCount} moods, ${sessionCount} sessions x ${messagesPerSession} messages, ${monthCount} months) in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  const server = await serve(env);
  const idle = peakRssMiB(server.child.pid as number);
  const started = performance.now();
  const res = await fetch(server.url, {
    headers: { Authorization: `Bearer ${unsignedToken(UID)}` },
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let firstByte = 0;
  let bytes = 0;
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!firstByte) firstByte = performance.now() - started;
    bytes += value.byteLength;
    chunks.push(value);
  }
  const total = performance.now() - started;
  const peak = peakRssMiB(server.child.pid as number);
  await stop(server.child);
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    moods: unknown[];
    chatSessions: { messages: unknown[] }[];
    allocations?: unknown[];
  };
  const messages = (parsed.chatSessions ?? []).reduce((n, s) => n + s.messages.length, 0);

  const dir = mkdtempSync(join(tmpdir(), 'stilla-export-'));
  writeFileSync(join(dir, 'baseline.cjs'), BASELINE);
  const baseline = await new Promise<{ ms: number; bytes: number; peakMiB: number }>(
    (done, fail) => {
      const child = spawn(
        process.execPath,
        [join(dir, 'baseline.cjs'), join(functionsDir, 'package.json'), PROJECT, UID],
        { env: { ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) =>
        code === 0 ? done(JSON.parse(out)) : fail(new Error(`baseline exited ${code}`)),
      );
    },
  );

  lines.push(
    `streamed export (account GET, Functions Framework${values['server-heap-mb'] ? `, V8 heap capped at ${values['server-heap-mb']} MiB` : ''}): status ${res.status}, ${(bytes / 2 ** 20).toFixed(1)} MiB, ` +
      `${parsed.moods.length} moods, ${(parsed.chatSessions ?? []).length} sessions, ${messages} messages, ${parsed.allocations?.length ?? 0} months`,
    `  first byte ${firstByte.toFixed(0)} ms, last byte ${total.toFixed(0)} ms; server peak RSS ${peak.toFixed(0)} MiB (${idle.toFixed(0)} MiB when idle before the export: +${(peak - idle).toFixed(0)} MiB)`,
    `baseline (read whole, JSON.stringify at once, own process): ${baseline.ms.toFixed(0)} ms to a ${(baseline.bytes / 2 ** 20).toFixed(1)} MiB string (nothing sent yet); peak RSS ${baseline.peakMiB.toFixed(0)} MiB`,
  );
} finally {
  await firestore.stop();
}
console.log(lines.join('\n'));

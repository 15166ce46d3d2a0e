/**
 * The fake Sentry endpoint receives what the real SDK (the functions' own
 * @sentry/google-cloud-serverless) sends, decoded, in memory and in its file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { startFakeSentry } from './server.ts';

const functionsDir = resolve(import.meta.dirname, '..', '..', 'functions');

test('records an exception sent by the real Sentry SDK', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fake-sentry-')), 'events.jsonl');
  const sentry = await startFakeSentry({ file });
  try {
    // The functions' own SDK (dev/ has no dependency of its own on it).
    const Sentry = createRequire(join(functionsDir, 'package.json'))(
      '@sentry/google-cloud-serverless',
    ) as {
      init(options: Record<string, unknown>): void;
      captureException(error: unknown): void;
      flush(ms: number): Promise<boolean>;
      close(ms: number): Promise<boolean>;
    };
    Sentry.init({ dsn: sentry.dsn, defaultIntegrations: false, tracesSampleRate: 0 });
    Sentry.captureException(new Error('fake-sentry-probe'));
    assert.equal(await Sentry.flush(5_000), true);
    const [envelope] = sentry.envelopes();
    assert.ok(envelope, 'no envelope received');
    assert.match(envelope.path, /^\/api\/1\/envelope\/?$/);
    assert.match(envelope.body, /fake-sentry-probe/);
    assert.equal(JSON.parse(readFileSync(file, 'utf8').trim()).body, envelope.body);
    await Sentry.close(1_000);
  } finally {
    await sentry.stop();
  }
});

test('answers 404 to anything but envelopes and the event list', async () => {
  const sentry = await startFakeSentry();
  try {
    const base = new URL(sentry.dsn.replace('public@', '')).origin;
    assert.equal((await fetch(`${base}/elsewhere`, { method: 'POST' })).status, 404);
    assert.deepEqual(await (await fetch(`${base}/__events`)).json(), []);
  } finally {
    await sentry.stop();
  }
});

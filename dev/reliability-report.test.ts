import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReliability, type ReliabilityRun } from './reliability-report.ts';

const run: ReliabilityRun = {
  generatedAt: '2026-12-01T00:00:00.000Z',
  suites: [{ project: 'integration', passed: 400, failed: 0 }],
  figures: [
    { category: 'fuzz', target: 'moodLog POST', cases: 1000, statuses: { '400': 700, '201': 300 } },
    { category: 'fuzz', target: 'moodGet GET', cases: 1000, statuses: { '200': 999, '503': 1 } },
    { category: 'auth', cases: 17 },
    { category: 'object-authorization', cases: 40 },
    {
      category: 'faults',
      fault: 'Firestore down',
      answeredMs: { moodLog: 9067.4 },
      recoveryMs: 2952,
      requestsLost: 0,
    },
    {
      category: 'privacy',
      searched: 5000,
      skipped: 12,
      logLines: 20000,
      sentryEnvelopes: 1,
      leaks: [],
    },
  ],
};

test('sums the figures into the summary and lists every target and fault', () => {
  const page = renderReliability(run);
  assert.match(page, /\| 2,000 requests \| 1 answered 5xx \|/);
  assert.match(page, /\| moodLog POST \| 1,000 \| 201: 300, 400: 700 \|/);
  assert.match(page, /\| Firestore down \| moodLog 9,067 \| 2,952 \| 0 \|/);
  assert.match(page, /1 faults survived \| 0 requests lost/);
  assert.match(
    page,
    /5,000 private values searched in 20,000 log lines and 1 Sentry envelopes \| 0 found/,
  );
  assert.match(page, /\| integration \| 400 \| 0 \|/);
});

test('says when the privacy check did not run', () => {
  const page = renderReliability({ ...run, figures: [] });
  assert.match(page, /privacy of the functions' log and error reports \| not run/);
});

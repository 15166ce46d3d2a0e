import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLeaks, isSearchable, needlesOf } from './privacy-check.ts';

test('finds a value as sent, JSON-escaped, or cut to its first characters', () => {
  const note = 'slept "badly"\nagain, woke at four and could not get back to sleep';
  const texts = [
    {
      where: 'log' as const,
      text: `{"message":"request","note":"${JSON.stringify(note).slice(1, 40)}"}`,
    },
    { where: 'sentry' as const, text: 'nothing here' },
  ];
  assert.deepEqual(findLeaks([note], texts).leaks, [
    { where: 'log', valueStart: note.slice(0, 12) },
  ]);
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
  assert.equal(findLeaks([token], [{ where: 'sentry', text: `Bearer ${token}` }]).leaks.length, 1);
});

test('reports nothing when no value appears, and skips values too plain to search', () => {
  const result = findLeaks(
    ['a perfectly private note', 'aaaaaaaaaaaaaa', 'short', '          x'],
    [{ where: 'log', text: 'request status 201 latencyMs 12 aaaaaaaaaaaaaa' }],
  );
  assert.deepEqual(result, { leaks: [], searched: 1, skipped: 3 });
  assert.equal(isSearchable('0123456789'), true);
  assert.equal(isSearchable('  abab  abab  '), false);
});

test('a long value whose prefix is uniform is searched for whole only', () => {
  assert.deepEqual(needlesOf(`${' '.repeat(30)}distinct words`), [
    `${' '.repeat(30)}distinct words`,
  ]);
});

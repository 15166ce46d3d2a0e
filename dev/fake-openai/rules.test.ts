import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule, RuleBook, RuleError } from './rules.ts';

test('parseRule accepts every behaviour kind and copies the rule', () => {
  const behaviors: unknown[] = [
    { latencyMs: 10 },
    { deltaDelayMs: 5 },
    { hang: true },
    {
      status: 429,
      message: 'slow down',
      retryAfter: 2,
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
    { status: 500, latencyMs: 3 },
    { malformed: true },
    { malformed: 'wrong-shape' },
    { content: 'exact', finishReason: 'length' },
    { flagged: true, categories: ['self-harm/intent', 'self-harm/instructions'] },
    { streamBreak: true, afterDeltas: 1, deltaDelayMs: 1 },
  ];
  for (const behavior of behaviors) {
    const input = { match: 'tok', times: 2, behavior };
    const rule = parseRule(input);
    assert.deepEqual(rule, input);
    assert.notEqual(rule.behavior, behavior, 'the stored rule must not alias the caller object');
  }
});

test('parseRule rejects malformed rules with a useful message', () => {
  const cases: [unknown, RegExp][] = [
    [null, /JSON object/],
    [{ behavior: { status: 429 }, mach: 'x' }, /unknown rule key "mach"/],
    [{ behavior: { status: 429, retry_after: 1 } }, /unknown key "retry_after"/],
    [{ behavior: { status: 200 } }, /400 to 599/],
    [{ behavior: { hang: true, status: 500 } }, /mixes hang and status/],
    [{ behavior: {} }, /needs one of/],
    [{ behavior: { latencyMs: -1 } }, /non-negative/],
    [{ times: 0, behavior: { hang: true } }, /positive integer/],
    [{ endpoint: 'embeddings', behavior: { hang: true } }, /endpoint/],
    [{ endpoint: 'chat', behavior: { flagged: true } }, /does not apply to the chat endpoint/],
    [
      { endpoint: 'moderations', behavior: { content: 'x' } },
      /does not apply to the moderations endpoint/,
    ],
    [{ behavior: { flagged: true, categories: ['selfharm'] } }, /unknown moderation category/],
    [{ behavior: { malformed: 'yes' } }, /malformed must be/],
    [{ behavior: { content: 5 } }, /content must be a string/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseRule(input),
      (error: unknown) => error instanceof RuleError && message.test(error.message),
      JSON.stringify(input),
    );
  }
});

test('the newest matching rule wins and times counts down', () => {
  const book = new RuleBook();
  const broad = book.add({ behavior: { status: 500 } });
  const narrow = book.add({ match: 'alpha', times: 2, behavior: { content: 'A' } });
  assert.equal(book.take('chat', '{"x":"alpha"}')?.id, narrow);
  assert.equal(book.take('chat', '{"x":"beta"}')?.id, broad);
  assert.equal(book.take('chat', '{"x":"alpha"}')?.id, narrow);
  // Used up: removed, and the older broad rule applies again.
  assert.equal(book.take('chat', '{"x":"alpha"}')?.id, broad);
  assert.deepEqual(
    book.list().map((r) => [r.id, r.hits, r.remaining]),
    [[broad, 2, null]],
  );
  assert.equal(book.remove(narrow), false);
  assert.equal(book.remove(broad), true);
  assert.equal(book.take('chat', '{}'), undefined);
});

test('a behaviour only matches the endpoints it makes sense for', () => {
  const book = new RuleBook();
  const flag = book.add({ match: 'hurt', times: 1, behavior: { flagged: true } });
  const content = book.add({ match: 'hurt', times: 1, behavior: { content: 'reply' } });
  // The chat request takes the content rule and leaves the moderation rule for the moderation call.
  assert.equal(book.take('chat', '{"m":"hurt"}')?.id, content);
  assert.equal(book.take('chat', '{"m":"hurt"}'), undefined);
  assert.equal(book.take('moderations', '{"input":"hurt"}')?.id, flag);
  const chatOnly = book.add({ endpoint: 'chat', behavior: { status: 503 } });
  assert.equal(book.take('moderations', '{}'), undefined);
  assert.equal(book.take('chat', '{}')?.id, chatOnly);
});

test('rule ids are never reused, even after clear', () => {
  const book = new RuleBook();
  const first = book.add({ behavior: { hang: true } });
  book.clear();
  const second = book.add({ behavior: { hang: true } });
  assert.notEqual(first, second);
  assert.equal(book.remove(first), false);
});

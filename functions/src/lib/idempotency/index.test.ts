import {
  IDEMPOTENCY_KEY_PATTERN,
  idempotencyKeyOf,
  idempotencyRecordId,
  requestFingerprint,
  runOnce,
} from './index';
import { ApiError } from '../http/errors';

describe('requestFingerprint', () => {
  const input = { score: 5, note: 'x', tags: ['a'], recordedAt: null };

  it('fingerprints equal inputs alike and different inputs differently', () => {
    expect(requestFingerprint(input)).toBe(requestFingerprint({ ...input, tags: ['a'] }));
    expect(requestFingerprint(input)).not.toBe(requestFingerprint({ ...input, score: 6 }));
    expect(requestFingerprint(input)).not.toBe(
      requestFingerprint({ ...input, recordedAt: '2026-01-01T00:00:00.000Z' }),
    );
  });

  it('ignores key order at every level, and undefined fields', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      requestFingerprint({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1, g: undefined }),
    );
  });

  it('keeps array order and types apart', () => {
    expect(requestFingerprint([1, 2])).not.toBe(requestFingerprint([2, 1]));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: '1' }));
    expect(requestFingerprint({ a: null })).not.toBe(requestFingerprint({}));
  });
});

describe('idempotencyRecordId', () => {
  it('is stable, per operation, and a valid Firestore id for any key', () => {
    const id = idempotencyRecordId('moodLog', 'key-1');
    expect(id).toBe(idempotencyRecordId('moodLog', 'key-1'));
    expect(id).not.toBe(idempotencyRecordId('aiChat', 'key-1'));
    expect(id).not.toBe(idempotencyRecordId('moodLog', 'key-2'));
    expect(idempotencyRecordId('moodLog', '..')).toMatch(/^moodLog\.[A-Za-z0-9_-]{32}$/);
  });
});

describe('idempotencyKeyOf', () => {
  it('returns the key, or undefined when absent', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': 'abc:1.2_3-4' })).toBe('abc:1.2_3-4');
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(IDEMPOTENCY_KEY_PATTERN.test('x'.repeat(128))).toBe(true);
  });

  it.each([[''], ['x'.repeat(129)], ['has space'], ['semi;colon'], ['a, b'], ['ä']])(
    'rejects %j with 400 invalid_argument',
    (key) => {
      let thrown: unknown;
      try {
        idempotencyKeyOf({ 'idempotency-key': key });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).code).toBe('invalid_argument');
      expect((thrown as ApiError).details?.[0]?.path).toBe('Idempotency-Key');
    },
  );
});

describe('runOnce without a key', () => {
  it('runs the work with a claim whose completion writes nothing', async () => {
    const writes: unknown[] = [];
    const writer = { update: (...args: unknown[]) => writes.push(args) };
    const result = await runOnce(
      { uid: 'u', operation: 'op', key: undefined, fingerprint: 'f' },
      async (claim) => {
        claim.completeIn(writer as unknown as FirebaseFirestore.WriteBatch, 42);
        return 42;
      },
    );
    expect(result).toEqual({ value: 42, replayed: false });
    expect(writes).toEqual([]);
  });
});

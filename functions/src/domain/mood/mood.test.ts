import { idempotentMoodId, requestFingerprint } from './mood';

describe('idempotency helpers', () => {
  const input = { score: 5, note: 'x', tags: ['a'], recordedAt: null };

  it('fingerprints equal inputs alike and different inputs differently', () => {
    expect(requestFingerprint(input)).toBe(requestFingerprint({ ...input, tags: ['a'] }));
    expect(requestFingerprint(input)).not.toBe(requestFingerprint({ ...input, score: 6 }));
    expect(requestFingerprint(input)).not.toBe(
      requestFingerprint({ ...input, recordedAt: '2026-01-01T00:00:00.000Z' }),
    );
  });

  it('derives a per-user, valid Firestore id from the key', () => {
    const id = idempotentMoodId('u1', 'key-1');
    expect(id).toBe(idempotentMoodId('u1', 'key-1'));
    expect(id).not.toBe(idempotentMoodId('u2', 'key-1'));
    expect(id).toMatch(/^k_[A-Za-z0-9_-]{27}$/);
  });
});

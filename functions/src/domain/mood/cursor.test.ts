import { decodeCursor, encodeCursor, filterFingerprint } from './cursor';

const filters = filterFingerprint({ tag: 'walk', from: 1, to: undefined });

describe('cursor', () => {
  it('round-trips a position for the same user and filters', () => {
    const cursor = encodeCursor('u1', filters, { at: 1_700_000_000_123, id: 'abc' });
    expect(decodeCursor('u1', filters, cursor)).toEqual({ at: 1_700_000_000_123, id: 'abc' });
  });

  it('rejects another user, other filters, edits and truncation', () => {
    const cursor = encodeCursor('u1', filters, { at: 5, id: 'abc' });
    expect(decodeCursor('u2', filters, cursor)).toBeNull();
    expect(decodeCursor('u1', filterFingerprint({ tag: 'sea' }), cursor)).toBeNull();
    expect(decodeCursor('u1', filters, cursor.slice(0, -1))).toBeNull();
    expect(decodeCursor('u1', filters, `x${cursor}`)).toBeNull();
    expect(decodeCursor('u1', filters, 'garbage')).toBeNull();
    const [payload, mac] = cursor.split('.');
    const edited = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), a: 6 }),
    ).toString('base64url');
    expect(decodeCursor('u1', filters, `${edited}.${mac}`)).toBeNull();
  });

  it('fingerprints filters independently of key order and of undefined vs missing', () => {
    expect(filterFingerprint({ a: 1, b: 'x' })).toBe(filterFingerprint({ b: 'x', a: 1 }));
    expect(filterFingerprint({ a: 1, b: undefined })).toBe(filterFingerprint({ a: 1, b: null }));
    expect(filterFingerprint({ a: 1 })).not.toBe(filterFingerprint({ a: 2 }));
  });
});

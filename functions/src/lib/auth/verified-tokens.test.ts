import { VerifiedTokenCache } from './verified-tokens';

const verified = (uid: string, exp: number | undefined) => ({
  uid,
  claims: exp === undefined ? { sub: uid } : { sub: uid, exp },
});

describe('VerifiedTokenCache', () => {
  it('answers a token verified before, and only that exact token', () => {
    const cache = new VerifiedTokenCache({ now: () => 1_000_000 });
    cache.set('a.b.c', verified('u1', 2_000));
    expect(cache.get('a.b.c')?.uid).toBe('u1');
    expect(cache.get('a.b.c ')).toBeUndefined();
    expect(cache.get('a.b.C')).toBeUndefined();
  });

  it('forgets a token when it expires', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache({ now: () => now });
    cache.set('t', verified('u1', 1_060)); // expires at 1,060,000 ms
    now = 1_059_999;
    expect(cache.get('t')?.uid).toBe('u1');
    now = 1_060_000;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not keep a token without exp or already expired', () => {
    const cache = new VerifiedTokenCache({ now: () => 5_000_000 });
    cache.set('no-exp', verified('u1', undefined));
    cache.set('expired', verified('u2', 4_999));
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 2, now: () => 0 });
    cache.set('t1', verified('u1', 100));
    cache.set('t2', verified('u2', 100));
    cache.set('t2', verified('u2', 100)); // a repeat does not evict
    expect(cache.get('t1')?.uid).toBe('u1');
    cache.set('t3', verified('u3', 100));
    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')?.uid).toBe('u2');
    expect(cache.get('t3')?.uid).toBe('u3');
  });
});

/**
 * The shared response cache on Redis. Each user has one hash per data scope
 * (`stilla:cache:{uid}:{scope}`) holding the cached responses of that scope plus a generation
 * counter `__gen`. A write bumps the generation, which makes every entry cached before it
 * stale at once: a user's next read after their own write is always fresh (read-your-writes),
 * whatever the TTL. An entry is stored only if the generation is still the one read before the
 * data was loaded, so a slow read that raced a write cannot store stale data.
 * Reads are EVAL (a "write-mode" command for the Upstash auto-pipeline), so they share one HTTP
 * round trip with the rate-limit script issued in the same tick. The scripts: ./lua-scripts.ts.
 */
import { getRedis, redisCall } from '../redis/client';
import { INVALIDATE_SCRIPT, READ_SCRIPT, STORE_SCRIPT } from './lua-scripts';

/** Data scopes a write can invalidate. */
export const CACHE_SCOPES = ['moods', 'allocations', 'chat'] as const;
export type CacheScope = (typeof CACHE_SCOPES)[number];

export type CacheState = 'HIT' | 'MISS' | 'BYPASS';

export interface CacheLookup {
  state: CacheState;
  body?: unknown;
  /** Response headers stored with the entry (e.g. `ETag`), to be sent again on a HIT. */
  headers?: Record<string, string>;
  /** The generation read with the entry; pass it to {@link storeCache}. */
  generation?: string;
}

/** How long a user's cache hash lives after its last write (longer than any entry TTL). */
const HASH_TTL_MS = 15 * 60 * 1000;
/** Entries per hash before expired ones are swept. */
const SWEEP_OVER_ENTRIES = 64;

/**
 * Invalidations that could not reach Redis, per `uid\nscope`. This instance sends them ahead of
 * its next cache read of that user's scope (same pipeline). That covers a function that both
 * writes and reads a scope; across functions (moodLog -> moodGet), an entry cached before a
 * Redis outage can outlive a write made during it by at most its TTL.
 */
const pendingInvalidations = new Set<string>();

export function cacheKey(uid: string, scope: CacheScope): string {
  return `stilla:cache:${uid}:${scope}`;
}

interface StoredEntry {
  /** Expiry, Unix ms. First, so the sweep in STORE_SCRIPT can read it with a pattern. */
  x: number;
  /** The generation the entry was computed at: stale once a write has bumped `__gen`. */
  g: string;
  b: unknown;
  /** Response headers of the entry, when it has any. */
  h?: Record<string, string>;
}

/** The Upstash client JSON-parses results by default; accept both shapes. */
function parseEntry(raw: unknown): StoredEntry | null {
  try {
    const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (value && typeof value === 'object' && 'x' in value && 'g' in value && 'b' in value) {
      return value as StoredEntry;
    }
  } catch {
    // A corrupt entry is a miss.
  }
  return null;
}

/** Looks up `field` in the user's scope. Issues its Redis command synchronously. */
export function readCache(
  uid: string,
  scope: CacheScope,
  field: string,
  now = Date.now(),
): Promise<CacheLookup> {
  const key = cacheKey(uid, scope);
  const pendingKey = `${uid}\n${scope}`;
  return redisCall(
    'cache read',
    (redis) => {
      if (pendingInvalidations.has(pendingKey)) {
        // Issued in this tick, ahead of the read: same pipeline, applied first.
        redis.eval(INVALIDATE_SCRIPT, [key], [String(HASH_TTL_MS)]).then(
          () => pendingInvalidations.delete(pendingKey),
          () => undefined,
        );
      }
      return redis.eval<string[], [unknown, unknown]>(READ_SCRIPT, [key], [field]);
    },
    ([rawEntry, rawGeneration]): CacheLookup => {
      const generation =
        rawGeneration === null || rawGeneration === undefined ? '0' : String(rawGeneration);
      const entry = rawEntry === null || rawEntry === undefined ? null : parseEntry(rawEntry);
      if (entry && entry.x > now && String(entry.g) === generation) {
        return { state: 'HIT', body: entry.b, generation, ...(entry.h ? { headers: entry.h } : {}) };
      }
      return { state: 'MISS', generation };
    },
    (): CacheLookup => ({ state: 'BYPASS' }),
  );
}

/**
 * Stores a response (body and the headers to send with it again) computed after a MISS, unless
 * a write has bumped the generation since.
 */
export async function storeCache(
  uid: string,
  scope: CacheScope,
  field: string,
  generation: string,
  ttlSeconds: number,
  response: { body: unknown; headers?: Record<string, string> },
  now = Date.now(),
): Promise<void> {
  const entry: StoredEntry = { x: now + ttlSeconds * 1000, g: generation, b: response.body };
  if (response.headers && Object.keys(response.headers).length > 0) entry.h = response.headers;
  await redisCall(
    'cache store',
    (redis) =>
      redis.eval(
        STORE_SCRIPT,
        [cacheKey(uid, scope)],
        [
          generation,
          field,
          JSON.stringify(entry),
          String(HASH_TTL_MS),
          String(SWEEP_OVER_ENTRIES),
          String(now),
        ],
      ),
    () => undefined,
    () => undefined,
  );
}

/**
 * Makes every cached response of the user's scopes stale. Called after a successful write.
 * Returns false when Redis could not be told (then entries expire by their TTL).
 */
export async function invalidateCache(
  uid: string,
  scopes: readonly CacheScope[],
): Promise<boolean> {
  if (scopes.length === 0) return true;
  return redisCall(
    'cache invalidation',
    (redis) =>
      redis.eval(
        INVALIDATE_SCRIPT,
        scopes.map((scope) => cacheKey(uid, scope)),
        [String(HASH_TTL_MS)],
      ),
    () => true,
    () => {
      // Redis configured but skipped (circuit open) or failing: send it with the next read.
      if (getRedis()) {
        // Bounded: past this many, all are forgotten (their entries still expire by TTL).
        if (pendingInvalidations.size > 10_000) pendingInvalidations.clear();
        scopes.forEach((scope) => pendingInvalidations.add(`${uid}\n${scope}`));
      }
      return false;
    },
  );
}

/**
 * The response cache's Lua scripts (lib/cache/response-cache.ts), each run with EVAL on one
 * user's hash per data scope. The hash holds the cached entries plus the generation counter
 * {@link GENERATION_FIELD}, which every write bumps.
 */

/** The hash field of the generation counter. */
const GENERATION_FIELD = '__gen';

/** KEYS[1] the hash, ARGV[1] the entry's field: `[entry, generation]`. */
export const READ_SCRIPT = `return redis.call('HMGET', KEYS[1], ARGV[1], '${GENERATION_FIELD}')`;

/**
 * Stores an entry unless the generation moved on since it was read; sweeps expired entries once
 * the hash is large. KEYS[1] the hash; ARGV: generation read, field, entry JSON, hash TTL (ms),
 * entries before a sweep, now (Unix ms). Returns 1 when stored, 0 when the entry was stale.
 */
export const STORE_SCRIPT = `
local gen = redis.call('HGET', KEYS[1], '${GENERATION_FIELD}') or '0'
if gen ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[5]) then
  local now = tonumber(ARGV[6])
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local expires = string.match(all[i + 1], '^{"x":(%d+)')
    if expires and tonumber(expires) < now then redis.call('HDEL', KEYS[1], all[i]) end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** Bumps the generation of every hash in KEYS (ARGV[1]: hash TTL in ms). Returns #KEYS. */
export const INVALIDATE_SCRIPT = `
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], '${GENERATION_FIELD}', 1)
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return #KEYS`;

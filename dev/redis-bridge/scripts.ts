/**
 * Lua script compatibility between Upstash and open-source Redis.
 *
 * @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`, an
 * Upstash-only flag that Redis 7.0 rejects ("Unexpected flag in script
 * shebang"). The bridge strips unknown flags before EVAL / SCRIPT LOAD. That
 * changes the script's SHA1, while the SDK calls EVALSHA with the SHA1 of the
 * original text (hard-coded in the SDK), so the bridge remembers
 * original SHA1 -> stripped SHA1 and rewrites EVALSHA. The SDK's first EVALSHA
 * gets NOSCRIPT, it falls back to EVAL once, and from then on EVALSHA hits.
 */
import { createHash } from 'node:crypto';

/** Script flags that Redis 7.0 accepts in a `#!lua flags=...` shebang. */
const REDIS_SCRIPT_FLAGS = new Set([
  'no-writes',
  'allow-oom',
  'allow-stale',
  'no-cluster',
  'allow-cross-slot-keys',
]);

/** SHA1 hex of a script, as Redis computes it for EVALSHA. */
export function scriptSha(script: string): string {
  return createHash('sha1').update(script, 'utf8').digest('hex');
}

/**
 * Removes shebang flags that open-source Redis does not know (such as
 * `allow-key-locking`) and returns the script unchanged (same string) if there
 * are none. The shebang line itself is kept, so Lua line numbers in errors
 * still match the original script.
 */
export function stripUnsupportedScriptFlags(script: string): string {
  if (!script.startsWith('#!')) return script;
  const newline = script.indexOf('\n');
  const line = newline === -1 ? script : script.slice(0, newline);
  const rest = newline === -1 ? '' : script.slice(newline);
  let changed = false;
  const parts: string[] = [];
  for (const part of line.split(' ')) {
    if (!part.startsWith('flags=')) {
      parts.push(part);
      continue;
    }
    const flags = part
      .slice('flags='.length)
      .split(',')
      .filter((f) => f !== '');
    const kept = flags.filter((f) => REDIS_SCRIPT_FLAGS.has(f));
    if (kept.length === flags.length) {
      parts.push(part);
      continue;
    }
    changed = true;
    if (kept.length > 0) parts.push(`flags=${kept.join(',')}`);
  }
  return changed ? parts.join(' ') + rest : script;
}

/** A command rewritten for Redis, plus an optional fix-up of its reply. */
export interface ScriptRewrite {
  args: string[];
  mapReply?: (reply: unknown) => unknown;
}

/**
 * Remembers which SHA1 the client knows a script by and which SHA1 Redis
 * knows it by. Bounded, because a client that generates scripts could
 * otherwise grow it without limit; an evicted entry only costs one NOSCRIPT.
 */
export class ScriptShaMap {
  readonly #clientToRedis = new Map<string, string>();
  readonly #maxEntries: number;

  /** @param maxEntries how many rewritten scripts to remember (default 10 000) */
  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  /** Number of scripts whose SHA1 the bridge rewrites. */
  get size(): number {
    return this.#clientToRedis.size;
  }

  /** Rewrites EVAL/EVALSHA/SCRIPT LOAD/SCRIPT EXISTS; other commands pass through untouched. */
  rewrite(args: string[]): ScriptRewrite {
    const name = (args[0] ?? '').toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && args.length > 1) {
      return { args: [args[0]!, this.#strip(args[1]!), ...args.slice(2)] };
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args.length > 1) {
      return { args: [args[0]!, this.#toRedis(args[1]!), ...args.slice(2)] };
    }
    if (name === 'SCRIPT' && args.length > 2) {
      const sub = args[1]!.toUpperCase();
      if (sub === 'LOAD') {
        const original = args[2]!;
        const stripped = this.#strip(original);
        if (stripped === original) return { args };
        // Answer with the SHA1 the client computed itself, so that the hash it
        // gets back is the one it will later send with EVALSHA.
        const clientSha = scriptSha(original);
        return {
          args: [args[0]!, args[1]!, stripped, ...args.slice(3)],
          mapReply: (reply) =>
            reply === null || reply instanceof Error ? reply : Buffer.from(clientSha),
        };
      }
      if (sub === 'EXISTS') {
        return { args: [args[0]!, args[1]!, ...args.slice(2).map((sha) => this.#toRedis(sha))] };
      }
    }
    return { args };
  }

  #strip(script: string): string {
    const stripped = stripUnsupportedScriptFlags(script);
    if (stripped !== script) this.#remember(scriptSha(script), scriptSha(stripped));
    return stripped;
  }

  #toRedis(sha: string): string {
    return this.#clientToRedis.get(sha.toLowerCase()) ?? sha;
  }

  #remember(clientSha: string, redisSha: string): void {
    if (this.#clientToRedis.has(clientSha)) return;
    if (this.#clientToRedis.size >= this.#maxEntries) {
      const oldest = this.#clientToRedis.keys().next().value;
      if (oldest !== undefined) this.#clientToRedis.delete(oldest);
    }
    this.#clientToRedis.set(clientSha, redisSha);
  }
}

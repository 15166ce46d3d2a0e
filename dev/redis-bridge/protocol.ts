/**
 * Pure pieces of the Upstash REST protocol: turning request JSON into Redis
 * arguments, deciding how a command may run, and writing Redis replies back as
 * the JSON that @upstash/redis 1.39 decodes. No I/O here so it is unit-testable.
 */

/** A command error that the bridge raises itself (bad input, unsupported command). */
export class BridgeCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeCommandError';
  }
}

/**
 * Converts one command from a request body (`["SET", "k", "v"]`) into Redis
 * arguments. The SDK sends numbers and booleans unquoted (its serializer keeps
 * them) and JSON-stringifies everything else, so only scalars are accepted.
 */
export function toRedisArgs(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BridgeCommandError('ERR command must be a non-empty JSON array');
  }
  const args: string[] = [];
  for (const arg of value) {
    if (typeof arg === 'string') args.push(arg);
    else if (typeof arg === 'number' || typeof arg === 'boolean') args.push(String(arg));
    else throw new BridgeCommandError('ERR command arguments must be strings, numbers or booleans');
  }
  return args;
}

/**
 * How a command may be run through the bridge's shared connection.
 * - `shared`: on the one multiplexed connection (almost everything).
 * - `isolated`: a blocking command, which would stall every other request
 *   queued behind it on the shared connection, so it gets its own connection.
 */
export type CommandRoute = 'shared' | 'isolated';

// These change per-connection state (or never reply normally) and would corrupt
// the shared connection for every other request; Upstash REST refuses them too.
const REFUSED = new Set([
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
  'QUIT',
  'RESET',
  'HELLO',
  'AUTH',
  'SELECT',
  'SYNC',
  'PSYNC',
  'REPLCONF',
]);
const REFUSED_CLIENT_SUBCOMMANDS = new Set(['REPLY', 'TRACKING', 'KILL', 'SETNAME', 'CACHING']);
const BLOCKING = new Set([
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
]);

/** Decides where a command runs, or throws a {@link BridgeCommandError} if the bridge refuses it. */
export function routeCommand(args: readonly string[]): CommandRoute {
  const name = (args[0] ?? '').toUpperCase();
  if (REFUSED.has(name)) {
    throw new BridgeCommandError(
      `ERR command '${name}' is not supported over the Upstash REST bridge`,
    );
  }
  if (name === 'CLIENT' && REFUSED_CLIENT_SUBCOMMANDS.has((args[1] ?? '').toUpperCase())) {
    throw new BridgeCommandError(
      `ERR command 'CLIENT ${args[1]}' is not supported over the Upstash REST bridge`,
    );
  }
  if (BLOCKING.has(name)) return 'isolated';
  if (
    (name === 'XREAD' || name === 'XREADGROUP') &&
    args.some((a) => a.toUpperCase() === 'BLOCK')
  ) {
    return 'isolated';
  }
  return 'shared';
}

const INTEGER = /^-?\d+$/;

/**
 * Writes a reply as JSON text. The reply is what node-redis decodes with the
 * bridge's type mapping: bulk and simple strings as Buffers, integers as
 * decimal strings, null, nested arrays, and errors nested in arrays as Errors.
 * With `base64`, every string (nested ones too) is
 * base64 of its bytes, which is what the SDK decodes when it sends
 * `Upstash-Encoding: base64`; integers stay JSON numbers and null stays null.
 * Integers are written from Redis's own digits, so 64-bit values are not
 * rounded on the way out.
 */
export function encodeReply(reply: unknown, base64: boolean): string {
  if (reply === null || reply === undefined) return 'null';
  if (Buffer.isBuffer(reply)) {
    return base64 ? `"${reply.toString('base64')}"` : JSON.stringify(reply.toString('utf8'));
  }
  // Integers arrive as strings (NUMBER is mapped to String); other strings never
  // come from node-redis with our mapping, but encode them safely if they do.
  if (typeof reply === 'string') {
    if (INTEGER.test(reply)) return reply;
    return encodeString(reply, base64);
  }
  if (typeof reply === 'number') return Number.isFinite(reply) ? String(reply) : 'null';
  if (typeof reply === 'bigint') return reply.toString();
  if (reply instanceof Error) {
    // An error nested in an array (e.g. a Lua table holding redis.error_reply):
    // the JSON has no place for it, so it travels as its message.
    return encodeString(reply.message, base64);
  }
  if (Array.isArray(reply)) {
    let out = '[';
    for (let i = 0; i < reply.length; i++) {
      if (i > 0) out += ',';
      out += encodeReply(reply[i], base64);
    }
    return out + ']';
  }
  return encodeString(String(reply), base64);
}

function encodeString(value: string, base64: boolean): string {
  return base64 ? `"${Buffer.from(value, 'utf8').toString('base64')}"` : JSON.stringify(value);
}

/** One pipeline or transaction entry: `{"result": ...}` or `{"error": "..."}`. */
export function encodeEntry(
  entry: { reply: unknown } | { error: string },
  base64: boolean,
): string {
  if ('error' in entry) return `{"error":${JSON.stringify(entry.error)}}`;
  return `{"result":${encodeReply(entry.reply, base64)}}`;
}

/** True if the request asked for base64 strings (`Upstash-Encoding: base64`, any case). */
export function wantsBase64(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && value.trim().toLowerCase() === 'base64';
}

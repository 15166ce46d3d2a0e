/**
 * CLI: run the Upstash REST bridge (optionally with its own redis-server).
 *
 *   node dev/redis-bridge/main.ts --port 8079 --redis-port 6390 --token T [--start-redis]
 *
 * Options: --host (default 127.0.0.1), --redis-url (instead of --redis-port),
 * --token (or UPSTASH_REDIS_REST_TOKEN). Prints the URL once listening; stops
 * the bridge (and the redis-server it started) on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startRedisServer } from './redis-server.ts';
import type { RedisServerHandle } from './redis-server.ts';
import { startRedisBridge } from './server.ts';
import type { RedisBridge } from './server.ts';

const USAGE =
  'usage: node dev/redis-bridge/main.ts [--port 8079] [--redis-port 6390 | --redis-url URL] --token T [--start-redis] [--host 127.0.0.1]';

function fail(message: string): never {
  console.error(`redis-bridge: ${message}\n${USAGE}`);
  process.exit(2);
}

function portOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--${name} must be a port number`);
  return port;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'redis-port': { type: 'string' },
      'redis-url': { type: 'string' },
      token: { type: 'string' },
      'start-redis': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = portOption(parsed.port, 8079, 'port');
const redisPort = portOption(parsed['redis-port'], 6390, 'redis-port');
const token = parsed.token ?? process.env.UPSTASH_REDIS_REST_TOKEN;
if (token === undefined || token === '') fail('--token is required');
if (parsed['start-redis'] && parsed['redis-url'] !== undefined)
  fail('--start-redis starts a local server; do not combine it with --redis-url');

let redisServer: RedisServerHandle | null = null;
let bridge: RedisBridge | null = null;
let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) {
    // A second Ctrl-C while shutting down: give up waiting.
    process.exit(130);
  }
  stopping = true;
  console.log(`redis-bridge: ${signal}, stopping`);
  await bridge?.stop();
  await redisServer?.stop();
  process.exit(0);
};
// Registered before starting anything, so a signal during startup still
// stops the redis-server this process started.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

if (parsed['start-redis']) {
  try {
    redisServer = await startRedisServer({ port: redisPort });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  console.log(`redis-server (pid ${redisServer.pid}) listening on ${redisServer.url}`);
}
const redisUrl = parsed['redis-url'] ?? `redis://127.0.0.1:${redisPort}`;

try {
  bridge = await startRedisBridge({
    port,
    host: parsed.host,
    redisUrl,
    token,
    log: (message) => console.log(`redis-bridge: ${message}`),
  });
} catch (error) {
  await redisServer?.stop();
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
}
// Scripts (bench.ts, the stack) wait for this exact line.
console.log(`Upstash REST bridge listening on ${bridge.url}`);
console.log(`UPSTASH_REDIS_REST_URL=${bridge.url}`);

/**
 * Shared setup for the bridge tests: a real redis-server on a free port and a
 * bridge in front of it. Not a test file itself (no `.test.ts`).
 */
import { Redis } from '@upstash/redis';
import type { RedisConfigNodejs } from '@upstash/redis';
import { getFreePort, startRedisServer } from './redis-server.ts';
import type { RedisServerHandle } from './redis-server.ts';
import { startRedisBridge } from './server.ts';
import type { RedisBridge } from './server.ts';

export const TEST_TOKEN = 'test-token';

export interface TestStack {
  redisServer: RedisServerHandle;
  bridge: RedisBridge;
  /** A real @upstash/redis client for the bridge; no retries unless overridden, so failures show at once. */
  client(overrides?: Partial<RedisConfigNodejs>): Redis;
  /** POSTs raw JSON to a data endpoint, as the SDK does (base64 unless told otherwise). */
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** Starts redis-server and a bridge; call `stop()` in an `after` hook. */
export async function startTestStack(): Promise<TestStack> {
  const redisServer = await startRedisServer({ port: await getFreePort() });
  let bridge: RedisBridge;
  try {
    bridge = await startRedisBridge({ port: 0, redisUrl: redisServer.url, token: TEST_TOKEN });
  } catch (error) {
    await redisServer.stop();
    throw error;
  }
  return {
    redisServer,
    bridge,
    client: (overrides = {}) =>
      new Redis({ url: bridge.url, token: TEST_TOKEN, retry: { retries: 0 }, ...overrides }),
    post: async (path, body, headers = {}) => {
      const res = await fetch(`${bridge.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'content-type': 'application/json',
          'upstash-encoding': 'base64',
          ...headers,
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: JSON.parse(text) as unknown };
    },
    stop: async () => {
      await bridge.stop();
      await redisServer.stop();
    },
  };
}

/** Base64 of a UTF-8 string, as the bridge encodes strings in replies. */
export function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** A unique key prefix per test, so tests sharing one Redis do not see each other's keys. */
export function uniqueKey(name: string): string {
  return `${name}:${process.hrtime.bigint().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}

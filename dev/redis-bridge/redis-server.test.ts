/** The redis-server launcher: finds the binary, starts without persistence, stops for real. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createClient } from 'redis';
import { findRedisServer, getFreePort, startRedisServer } from './redis-server.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('redis-server launcher', () => {
  it('finds redis-server on PATH, and returns null when PATH has none', () => {
    const found = findRedisServer();
    assert.ok(found !== null && found.endsWith('/redis-server'), `found ${found}`);
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      assert.equal(findRedisServer(), null);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('starts without persistence, answers, and stop() really ends the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
    try {
      const server = await startRedisServer({ port: await getFreePort(), dir });
      const client = createClient({ url: server.url, RESP: 2 });
      try {
        await client.connect();
        assert.equal(await client.ping(), 'PONG');
        const config = { ...(await client.configGet('*')) };
        assert.equal(config.save, '');
        assert.equal(config.appendonly, 'no');
        assert.equal(config.bind, '127.0.0.1');
        assert.equal(config.port, String(server.port));
      } finally {
        client.destroy();
        await server.stop();
      }
      assert.equal(isRunning(server.pid), false);
      assert.equal(await canConnect(server.port), false);
      await server.stop(); // idempotent
      assert.deepEqual(readdirSync(dir), [], 'nothing written to disk');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes its own temp directory on stop', async () => {
    const server = await startRedisServer({ port: await getFreePort() });
    const client = createClient({ url: server.url, RESP: 2 });
    let dir: string | undefined;
    try {
      await client.connect();
      dir = { ...(await client.configGet('dir')) }.dir;
    } finally {
      client.destroy();
    }
    assert.ok(dir !== undefined && existsSync(dir));
    await server.stop();
    assert.equal(existsSync(dir), false);
  });

  it('fails clearly when the port is taken, leaving the first server alone', async () => {
    const first = await startRedisServer({ port: await getFreePort() });
    try {
      await assert.rejects(startRedisServer({ port: first.port }), /Address already in use/);
      assert.equal(isRunning(first.pid), true);
    } finally {
      await first.stop();
    }
  });

  it('rejects bad ports and missing binaries', async () => {
    await assert.rejects(startRedisServer({ port: 0 }), /invalid redis port/);
    await assert.rejects(
      startRedisServer({ port: await getFreePort(), bin: '/nonexistent/redis-server' }),
      /ENOENT/,
    );
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts the CLI on a free port and resolves with the process and the URL it printed. */
async function startCli(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [mainPath, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = child.stdout;
  assert.ok(stdout);
  const lines = createInterface({ input: stdout });
  const [url] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`CLI exited early with ${String(code)}`);
    }),
  ])) as [string];
  return { child, url };
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, ms: Date.now() - started };
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`the CLI prints its base URL and stops cleanly on ${signal}, even with a hung request`, async () => {
    const { child, url } = await startCli();
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const models = await fetch(`${url}/models`, { headers: { authorization: 'Bearer test' } });
      assert.equal(models.status, 200);
      const rule = await fetch(`${url.replace(/\/v1$/, '')}/__rules`, {
        method: 'POST',
        body: JSON.stringify({ behavior: { hang: true } }),
      });
      assert.equal(rule.status, 201);
      const hung = fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      }).then(
        () => 'answered',
        () => 'connection closed',
      );
      // Wait until the server has the request, so the signal arrives while it is hanging.
      for (let i = 0; i < 200; i++) {
        const seen = (await (await fetch(`${url}/__requests`)).json()) as unknown[];
        if (seen.length > 1) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill(signal);
      const { code, ms } = await exitOf(child);
      assert.equal(code, 0);
      assert.ok(ms < 2000, `took ${ms} ms to exit`);
      assert.equal(await hung, 'connection closed');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}

test('the CLI rejects a bad port', async () => {
  const child = spawn(process.execPath, [mainPath, '--port', 'abc'], { stdio: 'ignore' });
  const { code } = await exitOf(child);
  assert.equal(code, 2);
});

/**
 * Benchmark of the bridge as the Functions will use it: the bridge runs in its
 * own process (main.ts --start-redis), the real clients here.
 *
 *   node dev/redis-bridge/bench.ts [--seconds 5] [--callers 50] [--compare]
 *
 * Prints single GET round-trip latency and `ratelimit.limit()` throughput with
 * N concurrent callers (auto-pipelining on, as by default; --compare adds a
 * run with it off).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { getFreePort } from './redis-server.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    callers: { type: 'string', default: '50' },
    compare: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const callers = Number(values.callers);
const TOKEN = 'bench-token';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms`;
}

async function startBridgeProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const [port, redisPort] = [await getFreePort(), await getFreePort()];
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      main,
      '--port',
      String(port),
      '--redis-port',
      String(redisPort),
      '--token',
      TOKEN,
      '--start-redis',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Upstash REST bridge listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`bridge exited (${code}) before listening:\n${output}`)),
    );
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function bridgeStats(
  url: string,
  reset = false,
): Promise<{ requests: number; commands: number }> {
  const res = await fetch(`${url}/__stats${reset ? '/reset' : ''}`, {
    method: reset ? 'POST' : 'GET',
  });
  return (await res.json()) as { requests: number; commands: number };
}

async function measureGet(url: string): Promise<void> {
  const redis = new Redis({ url, token: TOKEN });
  await redis.set('bench:get', 'value');
  for (let i = 0; i < 200; i++) await redis.get('bench:get');
  const samples: number[] = [];
  const deadline = performance.now() + Math.min(2000, (seconds * 1000) / 2);
  while (performance.now() < deadline) {
    const t0 = performance.now();
    await redis.get('bench:get');
    samples.push(performance.now() - t0);
  }
  console.log(
    `single GET round trip (@upstash/redis -> bridge -> redis, ${samples.length} sequential): ${summary(samples)}`,
  );
}

async function measureLimit(url: string, autoPipelining: boolean): Promise<void> {
  const redis = new Redis({ url, token: TOKEN, enableAutoPipelining: autoPipelining });
  const ratelimit = new Ratelimit({
    redis,
    // Never actually limits: every call runs the full script in Redis.
    limiter: Ratelimit.slidingWindow(1_000_000_000, '1 h'),
    ephemeralCache: false,
    prefix: `bench:${autoPipelining ? 'auto' : 'plain'}`,
  });
  await ratelimit.limit('warmup'); // loads the script (NOSCRIPT -> EVAL once)
  await bridgeStats(url, true);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, i) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const result = await ratelimit.limit(`user-${i}`);
        latencies.push(performance.now() - t0);
        if (!result.success) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const stats = await bridgeStats(url);
  console.log(
    `ratelimit.limit(), ${callers} concurrent callers, auto-pipelining ${autoPipelining ? 'on' : 'off'}: ` +
      `${Math.round(latencies.length / elapsed)}/s (${latencies.length} in ${elapsed.toFixed(1)} s, ${failures} not allowed), ` +
      `latency ${summary(latencies)}; ${stats.requests} HTTP requests, ${(stats.commands / stats.requests).toFixed(1)} commands each`,
  );
}

const bridge = await startBridgeProcess();
try {
  console.log(
    `bridge ${bridge.url} (own process, with its own redis-server); node ${process.version}`,
  );
  await measureGet(bridge.url);
  await measureLimit(bridge.url, true);
  if (values.compare) await measureLimit(bridge.url, false);
} finally {
  await bridge.stop();
}

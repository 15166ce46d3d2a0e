/**
 * Cold start of a Stilla instance: from process spawn to the first `health` response, served by
 * the Functions Framework (the 2nd-gen runtime) from functions/lib, against a local Firestore.
 * Runs side by side: the code as shipped (heavy modules loaded on first use) and the baseline
 * with STILLA_EAGER_LOAD=1 (everything loaded at start, as a naive codebase would). Prints
 * medians over alternating runs.
 *
 *   node dev/bench/cold-start.ts [--runs 7]
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { localParams } from './local-params.ts';
import { getFreePort } from '../redis-bridge/redis-server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');

const params = localParams(functionsDir);
const firestore = await startFirestoreEmulator({ port: 0 });

async function coldStart(eager: boolean): Promise<{ firstResponseMs: number; status: number }> {
  const port = await getFreePort();
  const started = performance.now();
  const child = spawn(framework, ['--target=health', `--port=${port}`, '--source=lib'], {
    cwd: functionsDir,
    env: {
      ...process.env,
      ...params,
      UPSTASH_REDIS_REST_URL: '',
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      GCLOUD_PROJECT: 'demo-bench',
      STILLA_EAGER_LOAD: eager ? '1' : '',
      OPENAI_API_KEY: '',
      UPSTASH_REDIS_REST_TOKEN: '',
      SENTRY_DSN: eager ? 'https://public@127.0.0.1:9/1' : '',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, {
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        return { firstResponseMs: performance.now() - started, status: res.status };
      } catch {
        if (performance.now() - started > 30_000) throw new Error('no response within 30 s');
        await sleep(5);
      }
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results = { lazy: [] as number[], eager: [] as number[] };
await coldStart(false); // warm the OS file cache once, unmeasured
for (let i = 0; i < runs; i++) {
  for (const mode of ['lazy', 'eager'] as const) {
    const { firstResponseMs, status } = await coldStart(mode === 'eager');
    if (status !== 200) throw new Error(`health answered ${status}`);
    results[mode].push(firstResponseMs);
  }
}
await firestore.stop();
console.log(
  `cold start, spawn to first health 200 (Functions Framework, ${runs} runs each, alternating)`,
);
for (const mode of ['lazy', 'eager'] as const) {
  const xs = results[mode];
  console.log(
    `  ${mode === 'lazy' ? 'lazy (shipped) ' : 'eager (baseline)'}  median ${median(xs).toFixed(0)} ms   min ${Math.min(...xs).toFixed(0)}   max ${Math.max(...xs).toFixed(0)}`,
  );
}

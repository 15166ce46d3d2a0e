/**
 * `node dev/bench/mix.ts --short` end to end (needs functions/lib built): it starts and stops
 * its own stack on free ports and writes a report whose structure is checked here. No timing
 * is asserted: figures come from the benchmark, not from tests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { BenchResults } from './report.ts';

const root = resolve(import.meta.dirname, '..', '..');

test('the short benchmark writes PERFORMANCE.md, CAPACITY.md, charts and figures', () => {
  const out = mkdtempSync(join(tmpdir(), 'stilla-bench-'));
  try {
    const run = spawnSync(
      process.execPath,
      [join(root, 'dev', 'bench', 'mix.ts'), '--short', '--out', out],
      { cwd: root, encoding: 'utf8', timeout: 240_000 },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

    const results = JSON.parse(
      readFileSync(join(out, 'performance', 'results.json'), 'utf8'),
    ) as BenchResults;
    assert.equal(results.mode, 'short');
    const fns = results.processes.map((p) => p.fn);
    for (const fn of ['hello', 'moodGet', 'moodLog', 'weeklyAnalysis', 'aiHistory', 'aiChat']) {
      assert.ok(fns.includes(fn), `${fn} measured`);
      assert.ok(
        results.coldStarts.some((c) => c.fn === fn),
        `${fn} cold start`,
      );
      // Where its cold start went: the first request came after listening, and the Stilla
      // functions loaded their own code while the baseline did not.
      const profile = results.coldProfiles.find((c) => c.fn === fn);
      assert.ok(profile && profile.responseMs > profile.arrivalMs, `${fn} cold-start profile`);
      assert.ok(profile.arrivalMs >= profile.listeningMs, `${fn} served after listening`);
      assert.equal((profile.before.stilla ?? 0) > 0, fn !== 'hello', `${fn}: Stilla's modules`);
      const row = results.mix.find((m) => m.name === fn);
      assert.ok(row && row.requests > 0, `${fn} received requests`);
    }
    for (const p of results.processes) {
      assert.ok(Number.isFinite(p.cpuMsPerRequest), `${p.fn} CPU per request`);
      assert.ok(p.rssMb > 0, `${p.fn} memory`);
      if (p.fn !== 'hello') assert.notEqual(p.redisRoundTripsPerRequest, null);
    }
    // The cached phase was measured (whether its reads were all hits is a target the report checks).
    assert.ok(results.cached.moodGet.requests > 0);
    assert.equal(typeof results.cached.moodGet.firestoreReadsPerRequest, 'number');
    // ...and the same reads by the code paths before the CPU work (STILLA_BENCH_BEFORE=1).
    assert.ok(results.cached.before && results.cached.before.requests > 0);
    // The sweep: the lower rate, then the main rate, each with where the cores went.
    assert.deepEqual(
      results.sweep?.map((row) => row.rate),
      [30, 60],
    );
    for (const row of results.sweep ?? []) {
      const parts = row.cores.map((c) => c.part);
      for (const part of [
        'function moodGet',
        'Firestore emulator',
        'load generator (+ key server)',
      ]) {
        assert.ok(parts.includes(part), `${part} at ${row.rate} req/s`);
      }
      assert.ok(row.answeredPerSecond > 0);
    }

    const md = readFileSync(join(out, 'PERFORMANCE.md'), 'utf8');
    for (const heading of [
      '## Targets',
      '## Where this machine holds the targets',
      '### Where the cores go',
      '## The mix',
      '## Cost per request',
      '### Cached reads',
      '## Cold starts',
      '### Where a cold start goes',
      '## What else was running',
    ]) {
      assert.ok(md.includes(heading), heading);
    }
    assert.match(md, /!\[p95 latency per second\]\(performance\/latency\.svg\)/);
    for (const chart of ['latency.svg', 'cpu.svg']) {
      const svg = readFileSync(join(out, 'performance', chart), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(svg, /<\/svg>\n$/);
    }
    assert.match(svg(out, 'latency.svg'), /<polyline /);

    const capacity = readFileSync(join(out, 'CAPACITY.md'), 'utf8');
    for (const part of [
      '## Assumptions',
      '## Formulas',
      '## Totals',
      '## Prices',
      '1,000,000 daily users',
    ]) {
      assert.ok(capacity.includes(part), part);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

const svg = (out: string, name: string) => readFileSync(join(out, 'performance', name), 'utf8');

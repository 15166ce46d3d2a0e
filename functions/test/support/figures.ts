/**
 * Figures for docs/RELIABILITY.md: tests append what they measured (cases, statuses, timings) as
 * small JSON files under the test data directory; dev/reliability-report.ts sums them up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { requireEnv } from './api';

/** Adds `figures` to this run's reliability figures, under `category`. */
export function recordFigures(category: string, figures: Record<string, unknown>): void {
  const dir = join(dirname(requireEnv('STILLA_TEST_SIGNING_KEY')), 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${category}-${randomUUID()}.json`),
    JSON.stringify({ category, ...figures }),
  );
}

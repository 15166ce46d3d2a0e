/**
 * `npm run reliability`: runs the whole `npm test` (with `STILLA_FUZZ_CASES`, default 1,000
 * cases per function and method here), then writes docs/RELIABILITY.md from the figures the
 * tests recorded (dev/reliability-report.ts). `--report-only` rewrites the page from the last
 * run's figures without testing again. Exits non-zero when the tests failed (the page is
 * written all the same, and says so in its totals).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './run.ts';
import { readRun, renderReliability } from './reliability-report.ts';

const root = resolve(import.meta.dirname, '..');
const dataDir = join(root, '.dev-data', 'test');
let code = 0;
if (!process.argv.includes('--report-only')) {
  ({ code } = await run(process.execPath, [join(root, 'dev', 'test.ts')], {
    cwd: root,
    env: { STILLA_FUZZ_CASES: process.env.STILLA_FUZZ_CASES ?? '1000' },
  }));
}
const page = join(root, 'docs', 'RELIABILITY.md');
writeFileSync(page, renderReliability(readRun(dataDir)));
console.log(`\n[stilla reliability] wrote ${page}`);
process.exit(code);

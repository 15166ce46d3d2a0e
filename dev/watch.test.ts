/**
 * The process tree of a dev command that owns a `tsc --watch` (dev/bootstrap.mjs -> dev/watch.ts
 * -> tsc in a process group of its own, as in `npm start`) leaves no process behind on any stop
 * signal, sent to the top process alone (kill PID) or to its whole process group (a terminal,
 * a process manager, a container stop).
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { STOP_SIGNALS } from './lifecycle.ts';

const root = resolve(import.meta.dirname, '..');
const projectDir = mkdtempSync(join(tmpdir(), 'stilla-watch-test-'));
after(() => rmSync(projectDir, { recursive: true, force: true }));
writeFileSync(
  join(projectDir, 'tsconfig.json'),
  // The smallest real project: no default lib checks, so tsc starts in a fraction of a second.
  JSON.stringify({
    compilerOptions: { strict: true, outDir: 'out', skipLibCheck: true, lib: ['es5'], types: [] },
    files: ['a.ts'],
  }),
);
writeFileSync(join(projectDir, 'a.ts'), 'export const a: number = 1;\n');

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** Every descendant of `pid` (by parent links, so also those in process groups of their own). */
function descendants(pid: number): Proc[] {
  const all = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }));
  const found: Proc[] = [];
  const parents = [pid];
  while (parents.length > 0) {
    const parent = parents.pop();
    for (const proc of all.filter((p) => p.ppid === parent)) {
      found.push(proc);
      parents.push(proc.pid);
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

for (const signal of STOP_SIGNALS) {
  for (const target of ['process', 'group'] as const) {
    test(`${signal} to the ${target} stops the watcher and every other child`, async () => {
      const top = spawn(
        process.execPath,
        [
          join(root, 'dev', 'bootstrap.mjs'),
          'watch',
          '--project',
          join(projectDir, 'tsconfig.json'),
        ],
        { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<number | null>((done) => top.once('exit', (code) => done(code)));
      let output = '';
      await new Promise<void>((ready, fail) => {
        top.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Watching for file changes')) ready();
        });
        top.once('exit', () => fail(new Error(`exited before watching:\n${output}`)));
      });
      const tree = descendants(top.pid as number);
      assert.ok(
        tree.some((proc) => proc.args.includes('--watch')),
        `tsc --watch among ${JSON.stringify(tree)}`,
      );

      process.kill(target === 'group' ? -(top.pid as number) : (top.pid as number), signal);
      assert.equal(await exited, 0);
      // The top process waits for its children, which wait for theirs: nothing may be left now.
      assert.deepEqual(
        tree.filter((proc) => isAlive(proc.pid)),
        [],
      );
    });
  }
}

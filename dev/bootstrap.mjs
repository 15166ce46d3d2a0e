#!/usr/bin/env node
// The entry of `npm start` and `npm test`. Runs on the Node of the machine (20 is enough):
// installs the root and functions dependencies when they are missing or the lockfiles changed,
// then runs dev/<command>.ts on the Node 22 that the root `node` package provides.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const command = process.argv[2];
if (!['start', 'test', 'watch', 'demo', 'reliability'].includes(command)) {
  console.error('usage: node dev/bootstrap.mjs start|test|watch|demo|reliability');
  process.exit(2);
}
const rootBin = join(root, 'node_modules', '.bin');
const pathWithNode22 = () => `${rootBin}:${process.env.PATH ?? ''}`;

function ensureInstalled(dir, label) {
  const lock = join(dir, 'package-lock.json');
  const marker = join(dir, 'node_modules', '.stilla-installed');
  const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return;
  console.log(`[stilla] installing ${label} dependencies`);
  // `npm install` rather than `npm ci`: the lockfile lists only the platform packages the
  // registry mirror here serves, which `npm ci` refuses; install respects the lock all the same.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, PATH: pathWithNode22() },
  });
  if (result.status !== 0) {
    console.error(`[stilla] npm install failed in ${dir}`);
    process.exit(result.status ?? 1);
  }
  writeFileSync(marker, want);
}

ensureInstalled(root, 'root');
// Installed with Node 22 first on PATH: firebase-admin's optional Firestore client requires it.
ensureInstalled(join(root, 'functions'), 'functions');

const node22 = join(rootBin, 'node');
const child = spawn(
  node22,
  [
    '--disable-warning=ExperimentalWarning',
    join(root, 'dev', `${command}.ts`),
    ...process.argv.slice(3),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: pathWithNode22() },
  },
);
// Every stop signal is forwarded, and this process stays until the child has stopped all it
// started. (Ctrl-C or a kill of the whole group also reaches the child directly; it stops once.)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/**
 * `npm start`: builds the functions, keeps rebuilding them on change, and runs the whole local
 * stack until it is stopped (Ctrl-C, SIGTERM or SIGHUP, also in the middle of starting), then
 * stops every process it started.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { onStopSignal, startTscWatch } from './lifecycle.ts';
import { run } from './run.ts';
import { PORTS, startStack, stopProcess, type Stack } from './stack.ts';
import {
  API_REFERENCE_PORT,
  startApiReference,
  type ApiReference,
} from './api-reference/server.ts';

const root = resolve(import.meta.dirname, '..');
const functionsDir = join(root, 'functions');
const tsc = join(functionsDir, 'node_modules', '.bin', 'tsc');
const say = (line: string) => console.log(`[stilla] ${line}`);

const stopRequested = new AbortController();
let starting: Promise<Stack> | undefined;
let stack: Stack | undefined;
let watch: ChildProcess | undefined;
let reference: ApiReference | undefined;
let stopping: Promise<void> | undefined;

/** Stops whatever has started so far; the same promise for every caller. */
function stopEverything(): Promise<void> {
  stopping ??= (async () => {
    say('stopping…');
    stopRequested.abort();
    // An aborted start stops what it had started, then rejects; a finished one is stopped here.
    const started = await starting?.catch(() => undefined);
    await reference?.close();
    await started?.stop();
    if (watch) await stopProcess(watch, 3_000);
    say('stopped; no process left behind');
  })();
  return stopping;
}
onStopSignal(stopEverything);

/** After a stop signal: wait for the stop that the signal started, and exit like it does. */
async function ifStoppedExit(): Promise<void> {
  if (!stopRequested.signal.aborted) return;
  await stopEverything();
  process.exit(0);
}

say('building functions');
const build = await run(tsc, ['-p', 'tsconfig.build.json'], {
  cwd: functionsDir,
  signal: stopRequested.signal,
});
await ifStoppedExit();
if (build.code !== 0) {
  say('the functions do not compile; fix the errors above and run npm start again');
  process.exit(build.code);
}
// Rebuild on change; the Functions emulator reloads functions/lib by itself.
watch = startTscWatch(tsc, { cwd: functionsDir, project: 'tsconfig.build.json', stdout: 'ignore' });
starting = startStack({
  mode: 'dev',
  root,
  dataDir: join(root, '.dev-data'),
  say,
  signal: stopRequested.signal,
});
try {
  stack = await starting;
} catch (error) {
  await ifStoppedExit();
  say(`the stack did not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopEverything();
  process.exit(1);
}

const url = stack!.functionsUrl;
try {
  reference = await startApiReference({
    root,
    port: API_REFERENCE_PORT,
    connectOrigins: [new URL(url).origin],
  });
} catch (error) {
  say(
    `the API reference page did not start: ${error instanceof Error ? error.message : String(error)}`,
  );
}
// The functions index.ts exports, so the list never names one that does not exist.
const names = [
  ...readFileSync(join(functionsDir, 'src', 'index.ts'), 'utf8').matchAll(/^export \{ (\w+) \}/gm),
].map((match) => match[1]);
console.log(`
Stilla is running${stack!.redisAvailable ? '' : ' (DEGRADED: no Redis)'}. Functions:
${names.map((name) => `  ${url}/${name}`).join('\n')}

API reference (docs/openapi.json in Swagger UI): ${reference?.url ?? 'not running'}

Try it (signs up an anonymous user in the Auth emulator, then logs a mood):

  curl -s ${url}/health

  TOKEN=$(curl -s -X POST 'http://127.0.0.1:${PORTS.dev.auth}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local' \\
    -H 'Content-Type: application/json' -d '{"returnSecureToken":true}' \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).idToken')

  curl -s -X POST ${url}/moodLog -H "Authorization: Bearer $TOKEN" \\
    -H 'Content-Type: application/json' -d '{"score":7,"note":"A walk by the sea","tags":["walk"]}'

  curl -s "${url}/moodGet?limit=5" -H "Authorization: Bearer $TOKEN"

Emulator log: .dev-data/logs/emulators-dev.log. Press Ctrl-C to stop.
`);

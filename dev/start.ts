/**
 * `npm start`: builds the functions, keeps rebuilding them on change, and runs the whole local
 * stack until Ctrl-C, then stops every process it started.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './run.ts';
import { PORTS, startStack, stopProcess } from './stack.ts';
import {
  API_REFERENCE_PORT,
  startApiReference,
  type ApiReference,
} from './api-reference/server.ts';

const root = resolve(import.meta.dirname, '..');
const functionsDir = join(root, 'functions');
const tsc = join(functionsDir, 'node_modules', '.bin', 'tsc');
const say = (line: string) => console.log(`[stilla] ${line}`);

say('building functions');
const build = await run(tsc, ['-p', 'tsconfig.build.json'], {
  cwd: functionsDir,
});
if (build.code !== 0) {
  say('the functions do not compile; fix the errors above and run npm start again');
  process.exit(build.code);
}
// Rebuild on change; the Functions emulator reloads functions/lib by itself.
const watch = spawn(tsc, ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  cwd: functionsDir,
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let reference: ApiReference | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await reference?.close();
    await stack?.stop();
    await stopProcess(watch, 3_000);
    say('stopped; no process left behind');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  stack = await startStack({
    mode: 'dev',
    root,
    dataDir: join(root, '.dev-data'),
    say,
  });
} catch (error) {
  say(`the stack did not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
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

  TOKEN=$(curl -s -X POST 'http://127.0.0.1:${PORTS.auth}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local' \\
    -H 'Content-Type: application/json' -d '{"returnSecureToken":true}' \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).idToken')

  curl -s -X POST ${url}/moodLog -H "Authorization: Bearer $TOKEN" \\
    -H 'Content-Type: application/json' -d '{"score":7,"note":"A walk by the sea","tags":["walk"]}'

  curl -s "${url}/moodGet?limit=5" -H "Authorization: Bearer $TOKEN"

Emulator log: .dev-data/logs/emulators-dev.log. Press Ctrl-C to stop.
`);

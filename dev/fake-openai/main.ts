/**
 * CLI: `node dev/fake-openai/main.ts [--port 8078] [--host 127.0.0.1]`
 * Prints the base URL (ending in /v1) as its first stdout line, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeOpenAI } from './server.ts';

const usage = `usage: node dev/fake-openai/main.ts [--port 8078] [--host 127.0.0.1]

Serves a fake OpenAI API for tests and prints its base URL (ending in /v1).
Control endpoints: POST/GET/DELETE /__rules, DELETE /__rules/:id, GET/DELETE /__requests?match=..., GET /__health.
--port 0 picks a free port.`;

let values: { port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port ?? '8078');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${JSON.stringify(values.port)}\n\n${usage}`);
  process.exit(2);
}

const fake = await startFakeOpenAI({ port, host: values.host ?? '127.0.0.1' }).catch(
  (error: unknown) => {
    console.error(`fake-openai could not start: ${(error as Error).message}`);
    process.exit(1);
  },
);
console.log(fake.url);

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second signal means the operator wants out now.
    process.exit(1);
  }
  stopping = true;
  console.error(`fake-openai: ${signal}, stopping`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`fake-openai: stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

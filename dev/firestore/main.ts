/**
 * Runs the local Firestore emulator on its own:
 *   node dev/firestore/main.ts [--port 8080] [--host 127.0.0.1] [--query-log FILE]
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'query-log': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}

const emulator = await startFirestoreEmulator({
  host: values.host,
  port,
  queryLog: values['query-log'],
});
console.log(
  `Firestore emulator (${emulator.kind}) ready: FIRESTORE_EMULATOR_HOST=${emulator.hostPort}`,
);
if (values['query-log']) {
  console.log(
    emulator.kind === 'node'
      ? `recording queries to ${values['query-log']}`
      : 'the official emulator does not record queries: --query-log is ignored',
  );
}

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the Firestore emulator`);
  await emulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

/**
 * The two port blocks of the local stack: `npm start` (firebase.json, functions/.env.demo-stilla)
 * and `npm test` (staged config, functions/.env.demo-stilla-test) share no port, and every
 * file that names a port names its own mode's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { PORTS, PROJECT_IDS, withPorts, type StackMode } from './stack.ts';

const root = resolve(import.meta.dirname, '..');
const firebaseJson = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8')) as {
  emulators: Record<string, { port?: number }>;
};

/** KEY=value lines of a dotenv file. */
function dotenv(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

test('the dev and test blocks share no port, and no block repeats one', () => {
  const dev = Object.values(PORTS.dev);
  const testPorts = Object.values(PORTS.test);
  assert.equal(new Set(dev).size, dev.length);
  assert.equal(new Set(testPorts).size, testPorts.length);
  assert.deepEqual(
    dev.filter((port) => testPorts.includes(port)),
    [],
  );
});

test('firebase.json (npm start) has the dev ports of every emulator it configures', () => {
  for (const [name, config] of Object.entries(firebaseJson.emulators)) {
    if (config.port === undefined) continue;
    assert.equal(config.port, PORTS.dev[name as keyof typeof PORTS.dev], name);
  }
});

test('the staged test config gets the test port of every emulator', () => {
  const staged = withPorts(firebaseJson.emulators, PORTS.test) as typeof firebaseJson.emulators;
  const names = Object.keys(firebaseJson.emulators).filter(
    (name) => firebaseJson.emulators[name]?.port !== undefined,
  );
  assert.ok(names.includes('functions') && names.includes('hub') && names.includes('logging'));
  for (const name of names) {
    assert.equal(staged[name]?.port, PORTS.test[name as keyof typeof PORTS.test], name);
  }
  assert.throws(() => withPorts({ storage: { port: 9199 } }, PORTS.test), /no storage port/);
});

for (const mode of ['dev', 'test'] as StackMode[]) {
  test(`functions/.env.${PROJECT_IDS[mode]} points at the ${mode} stack's ports`, () => {
    const env = dotenv(join(root, 'functions', `.env.${PROJECT_IDS[mode]}`));
    assert.equal(env.UPSTASH_REDIS_REST_URL, `http://127.0.0.1:${PORTS[mode].redisBridge}`);
    if (mode === 'test') {
      assert.equal(env.OPENAI_BASE_URL, `http://127.0.0.1:${PORTS.test.fakeOpenAI}/v1`);
    }
  });
}

/**
 * The layer rule of eslint.config.mjs fires: endpoints -> data -> domain -> lib, and a wrong-way
 * import fails `npm test`'s lint step. Lints snippets through the ESLint CLI (its config is ESM,
 * which Jest's CommonJS runtime cannot import), as if they were files of the given layer.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const functionsDir = path.resolve(__dirname, '..');
const eslintBin = path.join(functionsDir, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The messages of `rule` for `code` linted as the file `filePath` (under functions/). */
function ruleErrors(rule: string, filePath: string, code: string): string[] {
  const run = spawnSync(
    process.execPath,
    [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', filePath],
    { cwd: functionsDir, input: code, encoding: 'utf8' },
  );
  const results = JSON.parse(run.stdout) as {
    messages: { ruleId: string | null; message: string }[];
  }[];
  return results
    .flatMap((result) => result.messages)
    .filter((message) => message.ruleId === rule)
    .map((message) => message.message);
}

const layerErrors = (filePath: string, code: string) =>
  ruleErrors('no-restricted-imports', filePath, code);

describe('layer rule (eslint no-restricted-imports)', () => {
  it.each([
    ['src/lib/llm/probe.ts', "import type { SafetyLevel } from '../../domain/safety';"],
    ['src/lib/http/probe.ts', "export { createMood } from '../../data/moods';"],
    ['src/domain/mood/probe.ts', "import { createMood } from '../../data/moods';"],
    ['src/domain/probe.ts', "import { health } from '../endpoints/health';"],
    ['src/data/probe.ts', "import { moodGet } from '../endpoints/moodGet';"],
    ['src/endpoints/probe.ts', "import * as all from '../index';"],
  ])(
    'rejects %s importing upwards: %s',
    (filePath, code) => {
      expect(layerErrors(filePath, `${code}\nexport {};\n`)).toEqual([
        expect.stringContaining('(layers: endpoints -> data -> domain -> lib)'),
      ]);
    },
    30_000,
  );

  it.each([
    ['src/endpoints/probe.ts', "import { createMood } from '../data/moods';"],
    ['src/data/probe.ts', "import { maxLevel } from '../domain/safety';"],
    ['src/domain/probe.ts', "import { logger } from '../lib/log/logger';"],
    ['src/lib/http/probe.ts', "import { logger } from '../log/logger';"],
  ])(
    'allows %s importing downwards: %s',
    (filePath, code) => {
      expect(layerErrors(filePath, `${code}\nexport {};\n`)).toEqual([]);
    },
    30_000,
  );
});

describe('data errors rule (eslint no-restricted-imports)', () => {
  it('rejects data/ throwing HTTP errors instead of its own', () => {
    const code =
      "import { notFound } from '../lib/http/errors';\nexport const f = () => notFound();\n";
    expect(layerErrors('src/data/probe.ts', code)).toEqual([
      expect.stringContaining('data/ throws its own errors'),
    ]);
    expect(layerErrors('src/endpoints/probe.ts', code)).toEqual([]);
  }, 30_000);
});

describe('Firestore paths rule (eslint no-restricted-syntax)', () => {
  it('rejects a path built outside src/lib/firestore/paths.ts', () => {
    const code = 'export const p = (uid: string) => `users/${uid}/moods`;\n';
    expect(ruleErrors('no-restricted-syntax', 'src/data/probe.ts', code)).toEqual([
      'Build Firestore paths in src/lib/firestore/paths.ts only.',
    ]);
    expect(ruleErrors('no-restricted-syntax', 'src/lib/firestore/paths.ts', code)).toEqual([]);
  }, 30_000);
});

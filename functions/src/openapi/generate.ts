/**
 * Writes docs/openapi.json from the code (`npm --prefix functions run openapi`), or with
 * `--check` fails when the committed file differs from what the code generates (npm test).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as exported from '../index';
import { buildOpenApiDocument } from './document';
import { endpointsOf } from './endpoints';

const DOCUMENT_PATH = join(__dirname, '..', '..', '..', 'docs', 'openapi.json');

const text = `${JSON.stringify(buildOpenApiDocument(endpointsOf(exported)), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(DOCUMENT_PATH, 'utf8');
  } catch {
    // missing: stale
  }
  if (committed !== text) {
    process.stderr.write(
      'docs/openapi.json is stale: it differs from what the code generates. Run `npm --prefix functions run openapi` and commit the result.\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/openapi.json is up to date with the code.\n');
} else {
  writeFileSync(DOCUMENT_PATH, text);
  process.stdout.write(`wrote ${DOCUMENT_PATH}\n`);
}

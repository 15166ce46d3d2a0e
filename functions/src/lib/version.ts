import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The deployed version: the package version plus the Cloud Run revision when there is one. */
export function version(): string {
  if (cached === undefined) {
    // lib/ and src/ both sit one level below the package root.
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    const revision = process.env.K_REVISION;
    cached = `${pkg.version ?? '0.0.0'}${revision ? `+${revision}` : ''}`;
  }
  return cached;
}

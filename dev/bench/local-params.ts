import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The params of `functions/.env.demo-stilla` as environment variables: deployed functions get
 * every param that way, so a function served by the bare Functions Framework needs them too.
 */
export function localParams(functionsDir: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(functionsDir, '.env.demo-stilla'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * Property-based fuzzing of every function and method over HTTP (issue 14): bodies, query
 * strings and headers generated from docs/openapi.json's shapes plus hostile mutations. For
 * every case: never a 5xx, the response valid against the OpenAPI document (callFunction checks
 * it), and afterwards the user's whole account (the export) holds exactly what the accepted
 * requests stored, nothing from a rejected one.
 */
import fc from 'fast-check';
import { callFunction, type CallResult } from './support/api';
import { signedToken, validClaims } from './support/auth';
import {
  bodyArbitrary,
  bodySchema,
  casesPerTarget,
  freshIp,
  headersArbitrary,
  inParallel,
  queryArbitrary,
  querySchemas,
  fuzzTargets,
  type FuzzTarget,
} from './support/fuzz';
import { recordFigures } from './support/figures';

/** From docs/openapi.json, so every function the code exports is fuzzed. */
const TARGETS = fuzzTargets();
type Target = FuzzTarget;

it('fuzzes every function and method of the document', () => {
  expect(TARGETS.map((t) => `${t.name} ${t.method}`)).toEqual(
    expect.arrayContaining(['health GET', 'moodLog POST', 'aiChat POST', 'allocations PATCH']),
  );
  expect(TARGETS.length).toBeGreaterThanOrEqual(12);
});

/** Requests of one batch run together, as one user (whose account is then checked). */
const BATCH = 10;

interface Case {
  query: { text: string; mutated: string };
  body: { text: string; mutated: string } | undefined;
  headers: Record<string, string>;
}

function caseArbitrary(target: Target): fc.Arbitrary<Case> {
  return fc.record({
    query: queryArbitrary(querySchemas(target.name, target.method)),
    body: target.body
      ? bodyArbitrary(bodySchema(target.name, target.method))
      : fc.constant(undefined),
    headers: headersArbitrary(target.headers),
  });
}

interface Stored {
  moods: number;
  messages: number;
  /** Months set by an accepted PUT (a fresh user has none, so a PATCH can only be 404). */
  months: string[];
}

/** What an accepted request stored: entries in the export it must account for. */
function stored(target: Target, res: CallResult): Stored {
  const none: Stored = { moods: 0, messages: 0, months: [] };
  if (target.name === 'moodLog' && res.status === 201) return { ...none, moods: 1 };
  if (target.name === 'aiChat' && res.status === 200) {
    const complete = res.body?.reply !== undefined || /^event: done$/m.test(res.text);
    return { ...none, messages: complete ? 2 : 0 };
  }
  if (target.name === 'allocations' && target.method === 'PUT' && res.status === 200) {
    return { ...none, months: [res.body.month as string] };
  }
  return none;
}

describe.each(TARGETS)('fuzzing $name $method', (target) => {
  it('answers every generated request with a documented non-5xx status and stores only what it accepted', async () => {
    const statuses: Record<string, number> = {};
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArbitrary(target), { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          const token = target.auth ? await signedToken(validClaims()) : undefined;
          const results = await inParallel(batch, BATCH, async (c) => {
            const headers: Record<string, string> = { 'X-Forwarded-For': freshIp(), ...c.headers };
            const res = await callFunction(target.name, {
              method: target.method,
              ...(token ? { token } : {}),
              rawQuery: c.query.text,
              ...(c.body !== undefined ? { body: c.body.text } : {}),
              headers,
            });
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            return { c, res };
          });
          cases += results.length;
          for (const { c, res } of results) {
            // health's 503 is its documented "down" report of a dependency (a loaded machine
            // can time out its probes), not an answer to the request's input.
            const healthDown = target.name === 'health' && res.status === 503;
            if (healthDown) expect(res.body.status).toBe('down');
            if (res.status >= 500 && !healthDown) {
              throw new Error(
                `${res.status} for ${JSON.stringify(c).slice(0, 2000)}: ${res.text.slice(0, 500)}`,
              );
            }
          }
          if (!token || (target.name === 'account' && target.method === 'DELETE')) return;
          const expected = results.reduce(
            (sum, { res }) => {
              const s = stored(target, res);
              return {
                moods: sum.moods + s.moods,
                messages: sum.messages + s.messages,
                months: [...new Set([...sum.months, ...s.months])].sort(),
              };
            },
            { moods: 0, messages: 0, months: [] as string[] },
          );
          const exported = await callFunction('account', { token });
          expect(exported.status).toBe(200);
          const messages = (exported.body.chatSessions as { messages: unknown[] }[]).reduce(
            (n, s) => n + s.messages.length,
            0,
          );
          const months = (exported.body.allocations as { month: string }[])
            .map((a) => a.month)
            .sort();
          expect({ moods: exported.body.moods.length, messages, months }).toEqual(expected);
        },
      ),
      { numRuns: Math.max(1, Math.round(casesPerTarget() / BATCH)), endOnFailure: true },
    );
    console.log(
      `fuzz ${target.name} ${target.method}: ${cases} cases, statuses ${JSON.stringify(statuses)}`,
    );
    recordFigures('fuzz', { target: `${target.name} ${target.method}`, cases, statuses });
  }, 600_000);
});

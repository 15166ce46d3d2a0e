/**
 * Property-based fuzzing over HTTP: requests generated from the shapes in docs/openapi.json
 * (which is generated from the endpoints' zod schemas), mixed with hostile mutations, sent in
 * parallel batches against the running stack.
 */
import fc from 'fast-check';

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file, read once
const openapi = require('../../../docs/openapi.json') as Json;

function resolveRef(schema: Json): Json {
  let node = schema;
  for (let hops = 0; typeof node.$ref === 'string' && hops < 10; hops++) {
    let target: unknown = openapi;
    for (const key of (node.$ref as string).slice(2).split('/')) target = (target as Json)[key];
    node = {
      ...(target as Json),
      ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')),
    };
  }
  return node;
}

/** One function and method to fuzz, and what it reads. */
export interface FuzzTarget {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  auth: boolean;
  body: boolean;
  /** Request headers to vary. */
  headers: string[];
}

/** Headers every target gets varied: the request id, CORS's Origin, the language. */
const COMMON_HEADERS = ['X-Request-Id', 'Origin', 'Accept-Language'];

/**
 * Every function and method of docs/openapi.json (generated from the exports), OPTIONS aside:
 * whether it needs a token and takes a body, and the headers it declares, plus `Accept` where it
 * can stream and `Content-Type` where it takes a body. A new function is fuzzed without a line here.
 */
export function fuzzTargets(): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [path, operations] of Object.entries(openapi.paths as Json)) {
    for (const [method, op] of Object.entries(operations as Json) as [string, Json][]) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const security = (op.security ?? (openapi as Json).security ?? []) as unknown[];
      const declared = ((op.parameters ?? []) as Json[])
        .map((p) => resolveRef(p))
        .filter((p) => p.in === 'header')
        .map((p) => p.name as string);
      const ok = ((op.responses as Json)['200'] ?? {}) as Json;
      const streams = 'text/event-stream' in ((ok.content ?? {}) as Json);
      const body = op.requestBody !== undefined;
      targets.push({
        name: path.slice(1),
        method: method.toUpperCase() as FuzzTarget['method'],
        auth: security.length > 0,
        body,
        headers: [
          ...new Set([
            ...COMMON_HEADERS,
            ...declared,
            ...(streams ? ['Accept'] : []),
            ...(body ? ['Content-Type'] : []),
          ]),
        ],
      });
    }
  }
  return targets;
}

/** The request body schema of `method /name` in docs/openapi.json. */
export function bodySchema(name: string, method: string): Json {
  const op = (openapi.paths as Json)[`/${name}`] as Json;
  const body = (op[method.toLowerCase()] as Json).requestBody as Json;
  return resolveRef(((body.content as Json)['application/json'] as Json).schema as Json);
}

/** The query parameters of `method /name`: name → schema. */
export function querySchemas(name: string, method: string): Record<string, Json> {
  const op = ((openapi.paths as Json)[`/${name}`] as Json)[method.toLowerCase()] as Json;
  const params = (op.parameters ?? []) as Json[];
  return Object.fromEntries(
    params
      .filter((p) => p.in === 'query')
      .map((p) => [p.name as string, resolveRef(p.schema as Json)]),
  );
}

const VALID_DATES = fc
  .date({ min: new Date('2000-01-02T00:00:00Z'), max: new Date(), noInvalidDate: true })
  .map((d) => d.toISOString());

/** A value that fits `schema` (as far as JSON Schema says: the zod refinements may still refuse it). */
export function fromSchema(raw: Json): fc.Arbitrary<unknown> {
  const schema = resolveRef(raw);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const anyOf = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map(fromSchema));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer':
          return fc.integer({
            min: (schema.minimum as number | undefined) ?? -1000,
            max: (schema.maximum as number | undefined) ?? 1000,
          });
        case 'number':
          return fc.double({ noNaN: true, noDefaultInfinity: true });
        case 'array':
          return fc.array(fromSchema((schema.items as Json | undefined) ?? {}), {
            maxLength: (schema.maxItems as number | undefined) ?? 5,
          });
        case 'object': {
          const properties = (schema.properties ?? {}) as Record<string, Json>;
          const required = (schema.required ?? []) as string[];
          return fc.record(
            Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromSchema(v)])),
            { requiredKeys: required },
          );
        }
        default: {
          if (schema.format === 'date-time') return VALID_DATES;
          if (typeof schema.pattern === 'string')
            return fc.stringMatching(new RegExp(schema.pattern));
          return fc.string({
            minLength: (schema.minLength as number | undefined) ?? 0,
            maxLength: Math.min((schema.maxLength as number | undefined) ?? 40, 200),
            unit: fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom(...'abcdefghij åäö ABC 0123-_'.split('')) },
              { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
            ),
          });
        }
      }
    }),
  );
}

/** Strings that have broken parsers, validators and stores before. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ud83d\ude00',
  '\u202e\u0041\u0042',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\r\n',
  '\u001b[31m',
  '\u0085',
  'e\u0301'.repeat(50),
  '𝕏'.repeat(3000),
  'a'.repeat(5000),
  '%00',
  '%ZZ',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '${7*7}',
  '{{7*7}}',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(400),
  '2026-02-30T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-11-22T10:00:00',
  '2026-W00',
  '2026-W54',
  '0000-W01',
  'Europe/Stockholm',
  'Etc/GMT+14',
  '+01:00',
];

/** JSON values of the wrong type, extreme size or hostile shape. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    0.5,
    1e308,
    -1e308,
    2 ** 53 + 1,
    Number.MAX_SAFE_INTEGER,
    1e21,
    5e-324,
    [],
    {},
    [null],
    { __proto__: null, length: 1 },
    JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 200 }).map((depth) => nest(depth)),
);

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** A JSON body as sent on the wire: mostly a (mutated) valid body, sometimes raw garbage. */
export function bodyArbitrary(schema: Json): fc.Arbitrary<{ text: string; mutated: string }> {
  const properties = Object.keys((schema.properties ?? {}) as Json);
  const valid = fromSchema(schema) as fc.Arbitrary<Json>;
  const asText = (mutated: string) => (value: unknown) => ({
    text: JSON.stringify(value),
    mutated,
  });
  return fc.oneof(
    { weight: 4, arbitrary: valid.map(asText('none')) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...properties), hostileValue)
        .map(([body, key, value]) => ({ ...body, [key]: value }))
        .map(asText('field')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...properties))
        .map(([body, key]) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key)))
        .map(asText('missing')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 8 })),
          hostileValue,
        )
        .map(([body, key, value]) => {
          const json = JSON.stringify(body);
          const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
          return {
            text: json === '{}' ? `{${extra}}` : `${json.slice(0, -1)},${extra}}`,
            mutated: 'unknown-key',
          };
        }),
    },
    {
      // A duplicated key: the later value wins in JSON.parse; it must still be validated.
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...properties), hostileValue)
        .map(([body, key, value]) => {
          const json = JSON.stringify(body);
          const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
          return {
            text: json === '{}' ? `{${extra}}` : `${json.slice(0, -1)},${extra}}`,
            mutated: 'duplicate-key',
          };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.constantFrom(
            '',
            '{',
            '{"a":',
            '[',
            'nul',
            '{"score":5,}',
            '\ufeff{"score":5}',
            '{"score":5}garbage',
          ),
          fc.integer({ min: 1000, max: 30000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
          fc.integer({ min: 1000, max: 10000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
        )
        .map((text) => ({ text, mutated: 'raw' })),
    },
  );
}

/** A query string: valid parameters, hostile values, unknown and prototype names, duplicates, bad escapes. */
export function queryArbitrary(
  params: Record<string, Json>,
): fc.Arbitrary<{ text: string; mutated: string }> {
  const names = Object.keys(params);
  // A lone surrogate cannot be percent-encoded as UTF-8: send the bytes of one (invalid UTF-8).
  const enc = (value: unknown) =>
    String(value).replace(/[\s\S]/gu, (ch) =>
      /[\ud800-\udfff]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch),
    );
  const validPairs =
    names.length === 0
      ? fc.constant([] as [string, string][])
      : fc
          .uniqueArray(fc.constantFrom(...names), { maxLength: names.length })
          .chain((chosen) =>
            fc.tuple(
              ...chosen.map((n) =>
                fromSchema(params[n] as Json).map((v) => [n, String(v)] as [string, string]),
              ),
            ),
          );
  const serialise = (pairs: [string, string][]) =>
    pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const anyName = names.length ? fc.constantFrom(...names) : fc.constantFrom(...PROTOTYPE_KEYS);
  return fc.oneof(
    {
      weight: names.length ? 8 : 12,
      arbitrary: validPairs.map((p) => ({ text: serialise(p), mutated: 'none' })),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(validPairs, anyName, hostileValue).map(([pairs, name, value]) => ({
        text: serialise([
          ...pairs.filter(([k]) => k !== name),
          [
            name,
            (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 1500),
          ],
        ]),
        mutated: 'value',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          validPairs,
          fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 10 })),
        )
        .map(([pairs, name]) => ({
          text: serialise([...pairs, [name, '1']]),
          mutated: 'unknown-param',
        })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(validPairs, anyName).map(([pairs, name]) => ({
        text: `${serialise(pairs)}&${name}=1&${name}=2`,
        mutated: 'duplicate',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          anyName,
          fc.constantFrom(
            '%',
            '%ZZ',
            '%ED%A0%80',
            '%C0%AE',
            '%00',
            '%FF',
            '[]=1',
            '[a]=1',
            '=',
            '&&&',
            '#frag',
          ),
        )
        .map(([name, tail]) => ({
          text: `${name}${tail.startsWith('[') ? '' : '='}${tail}`,
          mutated: 'encoding',
        })),
    },
  );
}

/** Printable Latin-1 (what a fetch header value may hold). */
const headerValue = fc.oneof(
  fc.string({
    maxLength: 200,
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  }),
  fc.constantFrom(
    '',
    ' ',
    'a'.repeat(1500),
    '*',
    'sv',
    'sv-SE,sv;q=0.9,en;q=0.5',
    'en;q=abc',
    ';;;',
    'x'.repeat(129),
    'W/"x"',
    '\u00ff\u00e5',
  ),
);

const SPECIFIC_HEADERS: Record<string, fc.Arbitrary<string>> = {
  'Content-Type': fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'text/plain',
        'application/merge-patch+json',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        '',
      ),
    },
  ),
  'If-Match': fc.constantFrom('*', '"x"', 'W/"x"', '""', 'garbage', '"a", "b"'),
  'If-None-Match': fc.constantFrom('*', '"x"', 'W/"x"', 'garbage'),
  Accept: fc.constantFrom('application/json', 'text/event-stream', '*/*', 'text/html', 'x'),
  'Idempotency-Key': fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) },
    { weight: 1, arbitrary: headerValue },
  ),
};

/** Extra request headers, each present or not: the ones the functions read, with any value. */
export function headersArbitrary(names: string[]): fc.Arbitrary<Record<string, string>> {
  return fc.record(Object.fromEntries(names.map((n) => [n, SPECIFIC_HEADERS[n] ?? headerValue])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;
}

/** A distinct client IP per request, so that per-IP windows (health, failed sign-ins) stay clear. */
export const freshIp = (): string =>
  `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

/** Cases per function and method (STILLA_FUZZ_CASES scales the run; default 300). */
export const casesPerTarget = (): number => Number(process.env.STILLA_FUZZ_CASES ?? 300);

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

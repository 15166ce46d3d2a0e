/**
 * JSON Schema helpers for the fake OpenAI server:
 * - `generateFromSchema` builds a deterministic document that validates against a schema, so a
 *   structured-output request gets a reply its caller can parse and validate;
 * - `validateAgainstSchema` checks a document against a schema (used by `breakDocument` and tests);
 * - `breakDocument` builds valid JSON that does NOT fit a schema (the `malformed: 'wrong-shape'` reply).
 *
 * Coverage is the subset OpenAI structured outputs accept plus the common extras that zod emits:
 * type (string or array), const, enum, properties, required, additionalProperties,
 * patternProperties, min/maxProperties, items (schema or draft-4 tuple array), prefixItems,
 * min/maxItems, uniqueItems, min/maxLength, pattern, format, minimum/maximum,
 * exclusiveMinimum/exclusiveMaximum (number or draft-4 boolean form), multipleOf,
 * anyOf/oneOf/allOf/not, and local `$ref` (`#`, `#/$defs/...`, `#/definitions/...`).
 * Other keywords are ignored. `pattern` is honoured on a best-effort basis: candidate strings are
 * tried against it, and no regex-driven string synthesis is attempted.
 */

/** Any JSON value. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A schema object as it arrives in a request body (untrusted, so values are `unknown`). */
type SchemaObject = { readonly [key: string]: unknown };

/** Raised when a schema cannot be satisfied or is not understood (e.g. a remote `$ref`). */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Options for `generateFromSchema`. */
export interface GenerateOptions {
  /**
   * Nesting depth after which optional properties are left out, arrays get their minimum
   * length and nullable values become null, so recursive schemas terminate. Default 8.
   */
  softDepth?: number;
}

// Beyond this depth the schema forces infinite recursion (a required, non-nullable self-reference).
const HARD_DEPTH = 64;

interface GenContext {
  readonly root: unknown;
  readonly depth: number;
  readonly softDepth: number;
  /** Property name or array position the value is generated for; used to make readable strings. */
  readonly label: string;
  /** Index of an array item; varied so `uniqueItems` arrays get distinct items. */
  readonly variant: number;
  readonly path: string;
}

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Resolves a local JSON-pointer `$ref` against the root schema. */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) {
    throw new SchemaError(`only local $ref values are supported, got ${JSON.stringify(ref)}`);
  }
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) {
    throw new SchemaError(`unsupported $ref ${JSON.stringify(ref)} (anchors are not supported)`);
  }
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      node = node[Number(token)];
    } else if (isSchemaObject(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      throw new SchemaError(`$ref ${JSON.stringify(ref)} does not resolve`);
    }
  }
  if (node === undefined) throw new SchemaError(`$ref ${JSON.stringify(ref)} does not resolve`);
  return node;
}

function withoutKeys(schema: SchemaObject, keys: readonly string[]): SchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

/**
 * Merges `$ref` targets and `allOf` members into one schema object so generation sees every
 * constraint at once. Conflicting keywords: the later one wins, which is right for the
 * annotations zod puts beside a `$ref` and good enough for the usual `allOf` shapes.
 */
function flatten(schema: SchemaObject, root: unknown, depth = 0): SchemaObject {
  if (depth > HARD_DEPTH)
    throw new SchemaError('$ref/allOf nesting too deep (circular reference?)');
  let result = schema;
  if (typeof result['$ref'] === 'string') {
    const target = resolveRef(root, result['$ref']);
    if (target === false)
      throw new SchemaError(`$ref ${result['$ref']} points to the false schema`);
    const base = isSchemaObject(target) ? flatten(target, root, depth + 1) : {};
    result = { ...base, ...withoutKeys(result, ['$ref']) };
  }
  if (Array.isArray(result['allOf'])) {
    let merged: SchemaObject = withoutKeys(result, ['allOf']);
    for (const member of result['allOf']) {
      if (member === false) throw new SchemaError('allOf contains the false schema');
      if (!isSchemaObject(member)) continue;
      const flat = flatten(member, root, depth + 1);
      const properties = {
        ...asSchemaMap(merged['properties']),
        ...asSchemaMap(flat['properties']),
      };
      const required = [
        ...new Set([...asStringArray(merged['required']), ...asStringArray(flat['required'])]),
      ];
      merged = { ...merged, ...flat, properties, required };
    }
    result = merged;
  }
  return result;
}

function asSchemaMap(value: unknown): SchemaObject {
  return isSchemaObject(value) ? value : {};
}

/** The JSON types a schema allows, inferred from keywords when `type` is absent. */
function allowedTypes(schema: SchemaObject): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return asStringArray(type);
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema)
    return ['object'];
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return ['array'];
  if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) {
    return ['string'];
  }
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return ['number'];
  return [];
}

/**
 * Builds a deterministic JSON document that validates against `schema`.
 * Objects get every declared property (required or not), strings read like `fake <property>`,
 * numbers sit inside their bounds, arrays have `max(minItems, 1)` items (capped by maxItems),
 * and for nullable values the non-null branch is used. Throws `SchemaError` when the schema
 * cannot be satisfied by these rules.
 */
export function generateFromSchema(schema: unknown, options: GenerateOptions = {}): JsonValue {
  const ctx: GenContext = {
    root: schema,
    depth: 0,
    softDepth: options.softDepth ?? 8,
    label: 'value',
    variant: 0,
    path: '$',
  };
  return generate(schema, ctx);
}

function generate(schema: unknown, ctx: GenContext): JsonValue {
  if (ctx.depth > HARD_DEPTH) {
    throw new SchemaError(
      `schema recursion at ${ctx.path} never terminates (required self-reference?)`,
    );
  }
  if (schema === undefined || schema === true) return `fake ${ctx.label}`;
  if (schema === false) throw new SchemaError(`the schema at ${ctx.path} accepts nothing`);
  if (!isSchemaObject(schema)) throw new SchemaError(`the schema at ${ctx.path} is not an object`);
  const s = flatten(schema, ctx.root);

  if ('const' in s) return toJson(s['const'], ctx);
  if (Array.isArray(s['enum'])) {
    if (s['enum'].length === 0) throw new SchemaError(`empty enum at ${ctx.path}`);
    return toJson(s['enum'][ctx.variant % s['enum'].length], ctx);
  }

  const branches = Array.isArray(s['anyOf'])
    ? s['anyOf']
    : Array.isArray(s['oneOf'])
      ? s['oneOf']
      : undefined;
  if (branches) {
    const rest = withoutKeys(s, ['anyOf', 'oneOf']);
    const deep = ctx.depth >= ctx.softDepth;
    const isNull = (branch: unknown) => isSchemaObject(branch) && branch['type'] === 'null';
    // The non-null branch makes a more useful document; past the soft depth, null ends recursion.
    const ordered = [
      ...branches.filter((b) => isNull(b) === deep),
      ...branches.filter((b) => isNull(b) !== deep),
    ];
    let lastError: unknown;
    for (const branch of ordered) {
      if (branch === false) continue;
      try {
        return generate(
          isSchemaObject(branch) ? { ...rest, ...flatten(branch, ctx.root) } : rest,
          ctx,
        );
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof SchemaError
      ? lastError
      : new SchemaError(`no usable anyOf/oneOf branch at ${ctx.path}`);
  }

  const types = allowedTypes(s);
  const nonNull = types.filter((t) => t !== 'null');
  const type =
    types.length === 0
      ? 'string'
      : (ctx.depth >= ctx.softDepth && types.includes('null')) || nonNull.length === 0
        ? 'null'
        : nonNull[0];
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return ctx.variant % 2 === 1;
    case 'integer':
    case 'number':
      return generateNumber(s, type === 'integer', ctx);
    case 'string':
      return generateString(s, ctx);
    case 'array':
      return generateArray(s, ctx);
    case 'object':
      return generateObject(s, ctx);
    default:
      throw new SchemaError(`unknown type ${JSON.stringify(type)} at ${ctx.path}`);
  }
}

function toJson(value: unknown, ctx: GenContext): JsonValue {
  if (value === undefined) throw new SchemaError(`undefined const/enum value at ${ctx.path}`);
  // const/enum values came from parsed JSON, so they are JSON already; the round trip proves it.
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function child(ctx: GenContext, key: string, label: string, variant: number): GenContext {
  return { ...ctx, depth: ctx.depth + 1, label, variant, path: `${ctx.path}${key}` };
}

function generateObject(s: SchemaObject, ctx: GenContext): JsonValue {
  const properties = asSchemaMap(s['properties']);
  const required = asStringArray(s['required']);
  const additional = s['additionalProperties'];
  const deep = ctx.depth >= ctx.softDepth;
  // Object.fromEntries defines own properties, so keys like "__proto__" stay plain data.
  const entries: [string, JsonValue][] = [];
  const seen = new Set<string>();
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (deep && !required.includes(key)) continue;
    entries.push([key, generate(propertySchema, child(ctx, `.${key}`, key, 0))]);
    seen.add(key);
  }
  for (const key of required) {
    if (seen.has(key)) continue;
    if (additional === false) {
      throw new SchemaError(
        `${ctx.path}.${key} is required but not declared while additionalProperties is false`,
      );
    }
    entries.push([
      key,
      generate(isSchemaObject(additional) ? additional : true, child(ctx, `.${key}`, key, 0)),
    ]);
    seen.add(key);
  }
  const minProperties = asNumber(s['minProperties']) ?? 0;
  for (let i = 1; seen.size < minProperties; i++) {
    if (additional === false) throw new SchemaError(`minProperties cannot be met at ${ctx.path}`);
    const key = `extra_${i}`;
    if (seen.has(key)) continue;
    entries.push([
      key,
      generate(isSchemaObject(additional) ? additional : true, child(ctx, `.${key}`, key, 0)),
    ]);
    seen.add(key);
  }
  return Object.fromEntries(entries);
}

function generateArray(s: SchemaObject, ctx: GenContext): JsonValue {
  const minItems = asNumber(s['minItems']) ?? 0;
  const maxItems = asNumber(s['maxItems']) ?? Number.POSITIVE_INFINITY;
  // draft 2020-12 tuples use prefixItems + items; draft 4-7 tuples use an items array + additionalItems.
  const prefix = Array.isArray(s['prefixItems'])
    ? s['prefixItems']
    : Array.isArray(s['items'])
      ? s['items']
      : [];
  const rest: unknown = Array.isArray(s['items']) ? s['additionalItems'] : s['items'];
  const deep = ctx.depth >= ctx.softDepth;
  let count = deep
    ? minItems
    : Math.max(minItems, Math.min(1, maxItems), Math.min(prefix.length, maxItems));
  if (count > maxItems) throw new SchemaError(`minItems > maxItems at ${ctx.path}`);
  if (rest === false && count > prefix.length) {
    if (minItems > prefix.length) throw new SchemaError(`minItems cannot be met at ${ctx.path}`);
    count = Math.min(count, prefix.length);
  }
  const singular =
    ctx.label.endsWith('s') && ctx.label.length > 1 ? ctx.label.slice(0, -1) : `${ctx.label} item`;
  const items: JsonValue[] = [];
  for (let i = 0; i < count; i++) {
    const itemSchema = i < prefix.length ? prefix[i] : rest;
    items.push(generate(itemSchema, child(ctx, `[${i}]`, singular, i)));
  }
  return items;
}

/** Returns [lower, upper] bounds (inclusive for integers; exclusive flags kept for numbers). */
function numberBounds(s: SchemaObject): {
  lo?: number;
  hi?: number;
  loExclusive: boolean;
  hiExclusive: boolean;
} {
  let lo = asNumber(s['minimum']);
  let hi = asNumber(s['maximum']);
  let loExclusive = false;
  let hiExclusive = false;
  const exMin = s['exclusiveMinimum'];
  const exMax = s['exclusiveMaximum'];
  if (exMin === true && lo !== undefined) loExclusive = true;
  if (exMax === true && hi !== undefined) hiExclusive = true;
  const exMinNumber = asNumber(exMin);
  const exMaxNumber = asNumber(exMax);
  if (exMinNumber !== undefined && (lo === undefined || exMinNumber >= lo)) {
    lo = exMinNumber;
    loExclusive = true;
  }
  if (exMaxNumber !== undefined && (hi === undefined || exMaxNumber <= hi)) {
    hi = exMaxNumber;
    hiExclusive = true;
  }
  return { lo, hi, loExclusive, hiExclusive };
}

function generateNumber(s: SchemaObject, integer: boolean, ctx: GenContext): number {
  const { lo, hi, loExclusive, hiExclusive } = numberBounds(s);
  const multipleOf = asNumber(s['multipleOf']);
  const inRange = (v: number) =>
    (lo === undefined || (loExclusive ? v > lo : v >= lo)) &&
    (hi === undefined || (hiExclusive ? v < hi : v <= hi));
  const fits = (v: number) =>
    inRange(v) && (!integer || Number.isInteger(v)) && isMultiple(v, multipleOf);

  // A readable default (the middle of the range, or near the one bound), nudged by the variant
  // so that items of a uniqueItems array differ.
  let base: number;
  if (lo !== undefined && hi !== undefined) base = (lo + hi) / 2;
  else if (lo !== undefined) base = lo + 1;
  else if (hi !== undefined) base = Math.min(integer ? 1 : 0.5, hi - 1);
  else base = integer ? 1 : 0.5;
  const candidates: number[] = [];
  const step = multipleOf ?? 1;
  for (const start of [base + ctx.variant * step, base]) {
    let v = integer ? Math.floor(start) : start;
    if (multipleOf !== undefined) v = Math.round(v / multipleOf) * multipleOf;
    candidates.push(v, v + step, v - step);
  }
  if (lo !== undefined) {
    const first =
      multipleOf !== undefined
        ? Math.ceil(lo / multipleOf) * multipleOf
        : integer
          ? Math.ceil(lo)
          : lo;
    candidates.push(first, first + step);
  }
  if (hi !== undefined) {
    const last =
      multipleOf !== undefined
        ? Math.floor(hi / multipleOf) * multipleOf
        : integer
          ? Math.floor(hi)
          : hi;
    candidates.push(last, last - step);
  }
  for (const candidate of candidates) {
    // Rounding noise such as 0.30000000000000004 is cleaned up so documents stay readable.
    const v = Number(candidate.toPrecision(12));
    if (fits(v)) return v;
  }
  throw new SchemaError(`no ${integer ? 'integer' : 'number'} satisfies the bounds at ${ctx.path}`);
}

function isMultiple(value: number, multipleOf: number | undefined): boolean {
  if (multipleOf === undefined || multipleOf <= 0) return true;
  const quotient = value / multipleOf;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  'date-time': '2026-01-15T09:30:00Z',
  date: '2026-01-15',
  time: '09:30:00',
  duration: 'P1D',
  email: 'fake.user@example.com',
  'idn-email': 'fake.user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/fake',
  'uri-reference': 'https://example.com/fake',
  iri: 'https://example.com/fake',
  url: 'https://example.com/fake',
  uuid: '3f2b8c4e-1d2a-4b6c-9e7f-0a1b2c3d4e5f',
  regex: '^fake$',
  'json-pointer': '/fake',
};

function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Pads with readable filler to `min` code points and cuts to `max` code points. */
function fitLength(text: string, min: number, max: number): string {
  let points = codePoints(text);
  const filler = codePoints(' lorem ipsum dolor sit amet');
  for (let i = 0; points.length < min; i++) points.push(filler[i % filler.length] ?? 'x');
  if (points.length > max) {
    points = points.slice(0, max);
    // Cut at a word boundary when that still honours minLength ("fake note" -> "fake", not "fake ").
    const lastSpace = points.lastIndexOf(' ');
    if (lastSpace >= Math.max(min, 1)) points = points.slice(0, lastSpace);
  }
  // A trailing space reads oddly and some patterns reject it; swap it for a letter.
  if (points.length > 0 && points[points.length - 1] === ' ') points[points.length - 1] = 'x';
  return points.join('');
}

function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function generateString(s: SchemaObject, ctx: GenContext): string {
  const min = asNumber(s['minLength']) ?? 0;
  const max = asNumber(s['maxLength']) ?? Number.POSITIVE_INFINITY;
  if (min > max) throw new SchemaError(`minLength > maxLength at ${ctx.path}`);
  const format = typeof s['format'] === 'string' ? s['format'] : undefined;
  const formatted = format !== undefined ? FORMAT_EXAMPLES[format] : undefined;
  // Items of an array get a numeric suffix so that uniqueItems holds; it is kept clear of the
  // maxLength cut, which would otherwise remove it again.
  const suffix = ctx.variant > 0 ? ` ${ctx.variant + 1}` : '';
  const plain = `fake ${ctx.label}`;
  const preferred =
    formatted ??
    (suffix && max > suffix.length
      ? fitLength(plain, Math.max(0, min - suffix.length), max - suffix.length) + suffix
      : plain);
  const pattern = typeof s['pattern'] === 'string' ? compilePattern(s['pattern']) : undefined;
  if (!pattern) return fitLength(preferred, min, max);
  const raw = [
    preferred,
    `fake${ctx.variant || ''}`,
    `fake_${ctx.label}`,
    ...Object.values(FORMAT_EXAMPLES),
    'a',
    'A',
    '0',
    '1',
    'abc',
    'ABC',
    '123',
    'fake-value',
    '#000000',
    '+15555550123',
  ];
  for (const candidate of raw) {
    const fitted = fitLength(candidate, min, max);
    if (pattern.test(fitted)) return fitted;
    // Padding with letters may break the pattern; repeating the candidate's own characters may not.
    const repeated = fitLength(
      candidate.repeat(Math.max(1, Math.ceil(min / Math.max(1, candidate.length)))),
      min,
      max,
    );
    if (pattern.test(repeated)) return repeated;
  }
  // Best effort: the pattern is beyond the candidate list; the caller's validation will say so.
  return fitLength(preferred, min, max);
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Validates `value` against `schema` (same keyword coverage as the generator, plus `format`
 * checks for date-time, date, time, email, uuid and uri). Returns human-readable errors such as
 * `$.items[0].score: 12 > maximum 10`; an empty array means valid.
 */
export function validateAgainstSchema(schema: unknown, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, value, '$', schema, errors, 0);
  return errors;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isSchemaObject(value);
    default:
      return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isSchemaObject(a) && isSchemaObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

const FORMAT_CHECKS: Readonly<Record<string, RegExp>> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/,
};

function check(
  schema: unknown,
  value: unknown,
  path: string,
  root: unknown,
  errors: string[],
  depth: number,
): void {
  if (depth > HARD_DEPTH) {
    errors.push(`${path}: schema nesting too deep`);
    return;
  }
  if (schema === true || schema === undefined) return;
  if (schema === false) {
    errors.push(`${path}: no value is allowed here`);
    return;
  }
  if (!isSchemaObject(schema)) {
    errors.push(`${path}: schema is not an object`);
    return;
  }
  let s: SchemaObject = schema;
  if (typeof s['$ref'] === 'string') {
    let target: unknown;
    try {
      target = resolveRef(root, s['$ref']);
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
      return;
    }
    check(target, value, path, root, errors, depth + 1);
    s = withoutKeys(s, ['$ref']);
  }
  const sub = (childSchema: unknown, childValue: unknown, childPath: string) =>
    check(childSchema, childValue, childPath, root, errors, depth + 1);
  const passes = (childSchema: unknown) => {
    const branchErrors: string[] = [];
    check(childSchema, value, path, root, branchErrors, depth + 1);
    return branchErrors.length === 0;
  };

  if (Array.isArray(s['allOf'])) for (const member of s['allOf']) sub(member, value, path);
  if (Array.isArray(s['anyOf']) && !s['anyOf'].some(passes)) {
    errors.push(`${path}: matches none of the anyOf branches`);
  }
  if (Array.isArray(s['oneOf'])) {
    const matching = s['oneOf'].filter(passes).length;
    if (matching !== 1)
      errors.push(`${path}: matches ${matching} oneOf branches, expected exactly 1`);
  }
  if ('not' in s && passes(s['not'])) errors.push(`${path}: matches the "not" schema`);
  if ('const' in s && !deepEqual(s['const'], value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not the const ${JSON.stringify(s['const'])}`);
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((option) => deepEqual(option, value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s['enum'])}`);
  }
  const type = s['type'];
  if (type !== undefined) {
    const types = typeof type === 'string' ? [type] : asStringArray(type);
    if (!types.some((t) => typeMatches(t, value))) {
      errors.push(
        `${path}: expected ${types.join(' | ')}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
      );
      return;
    }
  }

  if (typeof value === 'string') checkString(s, value, path, errors);
  else if (typeof value === 'number') checkNumber(s, value, path, errors);
  else if (Array.isArray(value)) checkArray(s, value, path, errors, sub);
  else if (isSchemaObject(value)) checkObject(s, value, path, errors, sub);
}

function checkString(s: SchemaObject, value: string, path: string, errors: string[]): void {
  const length = codePoints(value).length;
  const min = asNumber(s['minLength']);
  const max = asNumber(s['maxLength']);
  if (min !== undefined && length < min)
    errors.push(`${path}: length ${length} < minLength ${min}`);
  if (max !== undefined && length > max)
    errors.push(`${path}: length ${length} > maxLength ${max}`);
  if (typeof s['pattern'] === 'string') {
    const pattern = compilePattern(s['pattern']);
    if (pattern && !pattern.test(value))
      errors.push(`${path}: ${JSON.stringify(value)} does not match /${s['pattern']}/`);
  }
  const format = typeof s['format'] === 'string' ? FORMAT_CHECKS[s['format']] : undefined;
  if (format && !format.test(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not a valid ${String(s['format'])}`);
}

function checkNumber(s: SchemaObject, value: number, path: string, errors: string[]): void {
  const { lo, hi, loExclusive, hiExclusive } = numberBounds(s);
  if (lo !== undefined && (loExclusive ? value <= lo : value < lo)) {
    errors.push(`${path}: ${value} < ${loExclusive ? 'exclusive ' : ''}minimum ${lo}`);
  }
  if (hi !== undefined && (hiExclusive ? value >= hi : value > hi)) {
    errors.push(`${path}: ${value} > ${hiExclusive ? 'exclusive ' : ''}maximum ${hi}`);
  }
  const multipleOf = asNumber(s['multipleOf']);
  if (!isMultiple(value, multipleOf))
    errors.push(`${path}: ${value} is not a multiple of ${multipleOf}`);
}

function checkArray(
  s: SchemaObject,
  value: unknown[],
  path: string,
  errors: string[],
  sub: (schema: unknown, value: unknown, path: string) => void,
): void {
  const min = asNumber(s['minItems']);
  const max = asNumber(s['maxItems']);
  if (min !== undefined && value.length < min)
    errors.push(`${path}: ${value.length} items < minItems ${min}`);
  if (max !== undefined && value.length > max)
    errors.push(`${path}: ${value.length} items > maxItems ${max}`);
  if (s['uniqueItems'] === true) {
    for (let i = 0; i < value.length; i++) {
      for (let j = i + 1; j < value.length; j++) {
        if (deepEqual(value[i], value[j]))
          errors.push(`${path}: items ${i} and ${j} are equal (uniqueItems)`);
      }
    }
  }
  const prefix = Array.isArray(s['prefixItems'])
    ? s['prefixItems']
    : Array.isArray(s['items'])
      ? s['items']
      : [];
  const rest: unknown = Array.isArray(s['items']) ? s['additionalItems'] : s['items'];
  value.forEach((item, i) => {
    if (i < prefix.length) sub(prefix[i], item, `${path}[${i}]`);
    else if (rest === false) errors.push(`${path}[${i}]: no item is allowed here`);
    else sub(rest, item, `${path}[${i}]`);
  });
}

function checkObject(
  s: SchemaObject,
  value: SchemaObject,
  path: string,
  errors: string[],
  sub: (schema: unknown, value: unknown, path: string) => void,
): void {
  const properties = asSchemaMap(s['properties']);
  const patterns = Object.entries(asSchemaMap(s['patternProperties']))
    .map(([source, schema]) => ({ re: compilePattern(source), schema }))
    .filter((p): p is { re: RegExp; schema: unknown } => p.re !== undefined);
  for (const key of asStringArray(s['required'])) {
    if (!Object.hasOwn(value, key))
      errors.push(`${path}: missing required property ${JSON.stringify(key)}`);
  }
  const count = Object.keys(value).length;
  const minProperties = asNumber(s['minProperties']);
  const maxProperties = asNumber(s['maxProperties']);
  if (minProperties !== undefined && count < minProperties)
    errors.push(`${path}: ${count} properties < minProperties ${minProperties}`);
  if (maxProperties !== undefined && count > maxProperties)
    errors.push(`${path}: ${count} properties > maxProperties ${maxProperties}`);
  for (const [key, propertyValue] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    let declared = false;
    if (Object.hasOwn(properties, key)) {
      declared = true;
      sub(properties[key], propertyValue, childPath);
    }
    for (const { re, schema } of patterns) {
      if (re.test(key)) {
        declared = true;
        sub(schema, propertyValue, childPath);
      }
    }
    if (declared) continue;
    const additional = s['additionalProperties'];
    if (additional === false)
      errors.push(`${childPath}: property is not allowed (additionalProperties: false)`);
    else if (isSchemaObject(additional)) sub(additional, propertyValue, childPath);
  }
}

// ---------------------------------------------------------------------------------------------
// Deliberately wrong documents

/**
 * Returns valid JSON that does not validate against `schema`: the generated document with its
 * first required property removed and an undeclared one added, or, if the schema still accepts
 * that, an array of strings. Falls back to a bare string when even that validates (e.g. `{}`).
 */
export function breakDocument(schema: unknown): JsonValue {
  let base: JsonValue;
  try {
    base = generateFromSchema(schema);
  } catch {
    base = {};
  }
  const candidates: JsonValue[] = [];
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    const flat = isSchemaObject(schema) ? flatten(schema, schema) : {};
    const required = asStringArray(flat['required']);
    const broken = Object.fromEntries(Object.entries(base).filter(([key]) => key !== required[0]));
    candidates.push({ ...broken, unexpected_field: 'this property is not in the schema' });
  }
  candidates.push(
    ['not', 'what', 'the', 'schema', 'asked', 'for'],
    'not what the schema asked for',
    42,
  );
  for (const candidate of candidates) {
    if (validateAgainstSchema(schema, candidate).length > 0) return candidate;
  }
  return candidates[candidates.length - 1] ?? null;
}

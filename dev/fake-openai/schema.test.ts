import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakDocument, generateFromSchema, SchemaError, validateAgainstSchema } from './schema.ts';

// ajv (a transitive dependency of firebase-tools in the root node_modules) gives an independent
// second opinion on the validator. It is not a declared dependency, so the cross-check is skipped
// when it is missing; the specifier is a variable so the type-check does not depend on it either.
type AjvValidate = ((data: unknown) => boolean) & { errors?: unknown };
interface AjvInstance {
  compile(schema: unknown): AjvValidate;
}
type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;

async function loadAjv(): Promise<AjvInstance | undefined> {
  try {
    const ajvSpecifier = 'ajv/dist/2020.js';
    const formatsSpecifier = 'ajv-formats';
    const ajvModule = (await import(ajvSpecifier)) as { default: AjvConstructor };
    const formatsModule = (await import(formatsSpecifier)) as {
      default: (ajv: AjvInstance) => void;
    };
    const ajv = new ajvModule.default({ strict: false, allErrors: true });
    formatsModule.default(ajv);
    return ajv;
  } catch {
    return undefined;
  }
}
const ajv = await loadAjv();

test(
  'ajv cross-check is active',
  { skip: ajv ? false : 'ajv is not installed; only the built-in validator runs' },
  () => {
    assert.ok(ajv);
  },
);

/** Asserts the document validates with our validator and, when available, with ajv. */
function assertValid(schema: unknown, document: unknown): void {
  assert.deepEqual(validateAgainstSchema(schema, document), [], JSON.stringify(document));
  if (ajv) {
    const validate = ajv.compile(schema);
    assert.ok(
      validate(document),
      `ajv: ${JSON.stringify(validate.errors)} for ${JSON.stringify(document)}`,
    );
  }
}

function assertInvalid(schema: unknown, document: unknown, expected: RegExp): void {
  const errors = validateAgainstSchema(schema, document);
  assert.ok(
    errors.some((e) => expected.test(e)),
    `expected an error like ${expected} for ${JSON.stringify(document)}, got ${JSON.stringify(errors)}`,
  );
  if (ajv)
    assert.equal(ajv.compile(schema)(document), false, `ajv accepted ${JSON.stringify(document)}`);
}

/** A check-in analysis in the shape Stilla is likely to ask for: bounds, enums, nullables, nesting. */
const checkInSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created_at: { type: 'string', format: 'date-time' },
    mood: { type: 'integer', minimum: 1, maximum: 10 },
    energy: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    emotions: {
      type: 'array',
      items: { type: 'string', enum: ['calm', 'anxious', 'sad', 'hopeful', 'tired'] },
      minItems: 2,
      maxItems: 4,
      uniqueItems: true,
    },
    summary: { type: 'string', minLength: 40, maxLength: 120 },
    title: { type: 'string', maxLength: 6 },
    suggestion: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'null' }] },
    tags: { type: ['array', 'null'], items: { type: 'string', maxLength: 8 }, maxItems: 3 },
    risk: { type: 'string', enum: ['none', 'low', 'high'] },
    follow_up: {
      type: 'object',
      properties: {
        question: { type: 'string', minLength: 1 },
        scale: {
          type: 'array',
          items: { type: 'integer', minimum: 0, maximum: 4 },
          minItems: 3,
          maxItems: 3,
        },
      },
      required: ['question', 'scale'],
      additionalProperties: false,
    },
  },
  required: [
    'id',
    'created_at',
    'mood',
    'energy',
    'emotions',
    'summary',
    'title',
    'suggestion',
    'tags',
    'risk',
    'follow_up',
  ],
  additionalProperties: false,
};

test('generates a document that validates against a non-trivial schema', () => {
  const document = generateFromSchema(checkInSchema);
  assertValid(checkInSchema, document);
  assert.ok(document !== null && typeof document === 'object' && !Array.isArray(document));
  // Hand checks of the constraints, independent of any validator.
  assert.deepEqual(Object.keys(document).sort(), [...checkInSchema.required].sort());
  const mood = document['mood'];
  assert.ok(typeof mood === 'number' && Number.isInteger(mood) && mood >= 1 && mood <= 10);
  const energy = document['energy'];
  assert.ok(typeof energy === 'number' && energy > 0 && energy <= 1);
  const emotions = document['emotions'];
  assert.ok(Array.isArray(emotions) && emotions.length >= 2 && emotions.length <= 4);
  assert.equal(new Set(emotions).size, emotions.length);
  const summary = document['summary'];
  assert.ok(typeof summary === 'string' && summary.length >= 40 && summary.length <= 120);
  const title = document['title'];
  assert.ok(typeof title === 'string' && title.length <= 6);
  // The non-null branch is preferred, so callers see a realistic document.
  assert.equal(typeof document['suggestion'], 'string');
  assert.ok(Array.isArray(document['tags']));
  assert.match(String(document['id']), /^[0-9a-f-]{36}$/);
});

test('is deterministic', () => {
  assert.deepEqual(generateFromSchema(checkInSchema), generateFromSchema(checkInSchema));
});

const validCases: Record<string, unknown> = {
  'recursive $defs tree terminates': {
    $defs: {
      node: {
        type: 'object',
        properties: {
          label: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/$defs/node' } },
        },
        required: ['label', 'children'],
        additionalProperties: false,
      },
    },
    $ref: '#/$defs/node',
  },
  'recursion through # and a nullable': {
    type: 'object',
    properties: { value: { type: 'integer' }, next: { anyOf: [{ $ref: '#' }, { type: 'null' }] } },
    required: ['value', 'next'],
    additionalProperties: false,
  },
  'definitions and $ref with sibling annotations': {
    definitions: { score: { type: 'number', minimum: -1, maximum: 1 } },
    type: 'object',
    properties: { sentiment: { $ref: '#/definitions/score', description: 'from -1 to 1' } },
    required: ['sentiment'],
  },
  'allOf merges properties and required': {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { properties: { b: { type: 'integer', minimum: 5 } }, required: ['b'] },
    ],
  },
  oneOf: {
    oneOf: [
      { type: 'integer', minimum: 10 },
      { type: 'string', maxLength: 2 },
    ],
  },
  'multipleOf within bounds': { type: 'number', minimum: 0.3, maximum: 1.2, multipleOf: 0.25 },
  'exclusive integer bounds': { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 2 },
  'only an upper bound': { type: 'integer', maximum: -5 },
  'simple pattern': { type: 'string', pattern: '^[a-z]+$' },
  'digit pattern with length': { type: 'string', pattern: '^\\d+$', minLength: 4, maxLength: 4 },
  'minProperties via additionalProperties': {
    type: 'object',
    additionalProperties: { type: 'boolean' },
    minProperties: 2,
  },
  'tuple with prefixItems': {
    type: 'array',
    prefixItems: [{ type: 'string' }, { type: 'integer' }],
    items: false,
  },
  const: { type: 'object', properties: { kind: { const: 'check-in' } }, required: ['kind'] },
  'unique integers': {
    type: 'array',
    items: { type: 'integer', minimum: 0, maximum: 9 },
    minItems: 3,
    uniqueItems: true,
  },
  'unique strings': {
    type: 'array',
    items: { type: 'string', maxLength: 12 },
    minItems: 3,
    uniqueItems: true,
  },
  'non-ASCII property names and lengths': {
    type: 'object',
    properties: { stämning: { type: 'string', minLength: 3, maxLength: 5 } },
    required: ['stämning'],
  },
  'type array with null only': { type: ['null'] },
  'empty schema': {},
  formats: {
    type: 'object',
    properties: {
      day: { type: 'string', format: 'date' },
      email: { type: 'string', format: 'email' },
      link: { type: 'string', format: 'uri' },
    },
    required: ['day', 'email', 'link'],
  },
};

for (const [name, schema] of Object.entries(validCases)) {
  test(`generates valid documents: ${name}`, () => {
    assertValid(schema, generateFromSchema(schema));
  });
}

test('past the soft depth, optional properties are dropped and nullables become null', () => {
  const schema = validCases['recursion through # and a nullable'];
  let node = generateFromSchema(schema, { softDepth: 3 });
  let depth = 0;
  while (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    node = node['next'] ?? null;
    depth++;
  }
  assert.ok(depth >= 2 && depth <= 4, `depth ${depth}`);
});

test('a pattern beyond the candidate list still yields a string (best effort)', () => {
  const value = generateFromSchema({ type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' });
  assert.equal(typeof value, 'string');
});

test('unsatisfiable or unsupported schemas throw SchemaError', () => {
  const bad: unknown[] = [
    false,
    { type: 'string', minLength: 5, maxLength: 2 },
    { type: 'object', required: ['x'], additionalProperties: false },
    { $ref: 'https://example.com/schema.json' },
    { $ref: '#/$defs/missing' },
    { type: 'object', properties: { self: { $ref: '#' } }, required: ['self'] },
    { type: 'integer', minimum: 1.2, maximum: 1.8 },
    { enum: [] },
  ];
  for (const schema of bad) {
    assert.throws(() => generateFromSchema(schema), SchemaError, JSON.stringify(schema));
  }
});

test('the validator reports violations (and ajv agrees they are violations)', () => {
  const valid = generateFromSchema(checkInSchema) as Record<string, unknown>;
  assertInvalid(checkInSchema, { ...valid, mood: 11 }, /mood: 11 > maximum 10/);
  assertInvalid(checkInSchema, { ...valid, mood: 2.5 }, /mood: expected integer/);
  assertInvalid(checkInSchema, { ...valid, energy: 0 }, /energy: 0 < exclusive minimum 0/);
  assertInvalid(checkInSchema, { ...valid, emotions: ['calm'] }, /minItems 2/);
  assertInvalid(checkInSchema, { ...valid, emotions: ['calm', 'calm'] }, /uniqueItems/);
  assertInvalid(checkInSchema, { ...valid, emotions: ['calm', 'angry'] }, /is not one of/);
  assertInvalid(checkInSchema, { ...valid, summary: 'short' }, /minLength 40/);
  assertInvalid(checkInSchema, { ...valid, suggestion: 3 }, /anyOf/);
  assertInvalid(checkInSchema, { ...valid, extra: true }, /additionalProperties/);
  assertInvalid(checkInSchema, { ...valid, created_at: 'yesterday' }, /date-time/);
  const { risk: _risk, ...withoutRisk } = valid;
  assertInvalid(checkInSchema, withoutRisk, /missing required property "risk"/);
  assertInvalid(
    checkInSchema,
    { ...valid, follow_up: { question: 'q', scale: [1, 2, 9] } },
    /scale\[2\]: 9 > maximum 4/,
  );
  assertInvalid(validCases['oneOf'], 5, /oneOf/);
  assertInvalid(validCases['oneOf'], 'abc', /oneOf/);
});

test('breakDocument returns JSON that does not fit the schema', () => {
  for (const schema of [checkInSchema, ...Object.values(validCases)]) {
    const broken = breakDocument(schema);
    if (JSON.stringify(schema) === '{}') continue; // the empty schema accepts everything
    assert.notDeepEqual(validateAgainstSchema(schema, broken), [], JSON.stringify(schema));
  }
});

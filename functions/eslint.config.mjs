// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Each layer under src/ and the folders above it that it must not import. */
const LAYERS = [
  { layer: 'lib', above: ['domain', 'data', 'endpoints', 'openapi', 'index'] },
  { layer: 'domain', above: ['data', 'endpoints', 'openapi', 'index'] },
  {
    layer: 'data',
    above: ['endpoints', 'openapi', 'index'],
    // data/ refuses with its own typed errors (data/errors.ts); lib/http/errors.ts maps them.
    also: [
      {
        regex: '^\\.\\./lib/http/errors$',
        message:
          'data/ throws its own errors (data/errors.ts), mapped to HTTP in lib/http/errors.ts.',
      },
    ],
  },
  { layer: 'endpoints', above: ['openapi', 'index'] },
];

const layerRules = LAYERS.map(({ layer, above, also = [] }) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // A relative path that climbs out of the layer into a folder above it.
            regex: `^(\\.\\./)+(${above.join('|')})(/.*)?$`,
            message: `${layer}/ must not import ${above.join(', ')} (layers: endpoints -> data -> domain -> lib).`,
          },
          ...also,
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Layers point one way: endpoints -> data -> domain -> lib (docs/ARCHITECTURE.md). A layer may
  // import the layers below it, never one above; src/layers.test.ts proves the rule fires.
  ...layerRules,
  {
    // Firestore paths are built in one place only.
    files: ['src/**/*.ts'],
    ignores: ['src/lib/firestore/paths.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        // A string or template that starts with one of our top-level collections.
        ...[
          'Literal[value=/^(users|_health)\\//]',
          'TemplateLiteral > TemplateElement:first-child[value.raw=/^(users|_health)\\//]',
        ].map((selector) => ({
          selector,
          message: 'Build Firestore paths in src/lib/firestore/paths.ts only.',
        })),
      ],
    },
  },
  {
    files: ['*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    files: ['test/**', 'bench/**', '**/*.test.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);

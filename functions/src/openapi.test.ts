/**
 * docs/openapi.json against the code: one path per exported function, the methods, auth and
 * cache of each endpoint definition, the contract's error responses, and no dangling `$ref`.
 * The sources are read as text, so nothing here loads firebase.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_STATUS, type ErrorCode } from './lib/http/errors';

type JsonObject = Record<string, unknown>;

const SRC = __dirname;
const OPENAPI_PATH = join(SRC, '..', '..', 'docs', 'openapi.json');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ERROR_SCHEMA_REF = '#/components/schemas/Error';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what} is not an object`);
  return value;
}

const doc = objectAt(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')), 'docs/openapi.json');
const paths = objectAt(doc.paths, 'paths');

/** The value a local `$ref` (`#/a/b`) points to; throws when it points nowhere. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`${ref} is not a local reference`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(key in node)) throw new Error(`${ref} does not resolve`);
    node = node[key];
  }
  return node;
}

/** Follows `$ref`s until a node that is not a reference. */
function deref(value: unknown): unknown {
  let node = value;
  for (let hops = 0; isObject(node) && typeof node.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`reference cycle at ${node.$ref}`);
    node = resolvePointer(node.$ref);
  }
  return node;
}

/** Every `$ref` string in the document, with where it is. */
function collectRefs(node: unknown, at: string, out: { at: string; ref: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectRefs(item, `${at}/${index}`, out));
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push({ at, ref: value });
      else collectRefs(value, `${at}/${key}`, out);
    }
  }
}

interface EndpointSource {
  /** The exported function name, which is also its path. */
  name: string;
  /** The `name` of its endpoint definition. */
  definedName: string | undefined;
  auth: 'user' | 'none';
  /** Lower-case HTTP methods of `methods: {...}`. */
  methods: string[];
  /** Lower-case methods whose definition has a cache policy. */
  cachedMethods: string[];
}

/** The functions exported from index.ts (`export { x } from './endpoints/file';`). */
function exportedEndpoints(): EndpointSource[] {
  const index = readFileSync(join(SRC, 'index.ts'), 'utf8');
  const found: EndpointSource[] = [];
  for (const match of index.matchAll(/^export \{ (\w+) \} from '\.\/endpoints\/([\w-]+)';$/gm)) {
    const [, name, file] = match as unknown as [string, string, string];
    const source = readFileSync(join(SRC, 'endpoints', `${file}.ts`), 'utf8');
    const definedName = /\bname: '(\w+)'/.exec(source)?.[1];
    const auth = /\bauth: '(user|none)'/.exec(source)?.[1];
    if (auth !== 'user' && auth !== 'none') throw new Error(`${file}.ts: no auth mode found`);
    const methodsBlock = source.slice(source.indexOf('methods: {'));
    const matches = [...methodsBlock.matchAll(/\b(GET|POST|PUT|PATCH|DELETE): method\(/g)];
    const methods = matches.map((m) => (m[1] as string).toLowerCase());
    // Each method's definition runs to the next one's start.
    const cachedMethods = methods.filter((_, i) =>
      /\bcache: \{/.test(methodsBlock.slice(matches[i]?.index, matches[i + 1]?.index)),
    );
    found.push({ name, definedName, auth, methods, cachedMethods });
  }
  return found;
}

const endpoints = exportedEndpoints();

function pathItem(name: string): JsonObject {
  return objectAt(paths[`/${name}`], `path /${name}`);
}

function operations(item: JsonObject): [string, JsonObject][] {
  return HTTP_METHODS.filter((method) => method in item).map((method) => [
    method,
    objectAt(item[method], method),
  ]);
}

/** The error codes a response's JSON schema allows, when it is (or extends) the Error schema. */
function errorCodesOf(response: JsonObject): string[] | null {
  const content = objectAt(response.content, 'content');
  const schema = objectAt(
    objectAt(content['application/json'], 'application/json').schema,
    'schema',
  );
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [schema];
  if (!parts.some((part) => isObject(part) && part.$ref === ERROR_SCHEMA_REF)) return null;
  for (const part of parts) {
    if (!isObject(part) || !isObject(part.properties) || !isObject(part.properties.error)) continue;
    const errorProps = part.properties.error.properties;
    const code = isObject(errorProps) ? errorProps.code : undefined;
    if (isObject(code) && typeof code.const === 'string') return [code.const];
    if (isObject(code) && Array.isArray(code.enum)) return code.enum.map(String);
  }
  return Object.keys(ERROR_STATUS);
}

function headerSchema(response: JsonObject, name: string): JsonObject {
  const header = objectAt(deref(objectAt(response.headers, 'headers')[name]), `header ${name}`);
  return objectAt(header.schema, `schema of header ${name}`);
}

describe('docs/openapi.json', () => {
  it('is OpenAPI 3.1 with the production and local servers', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const servers = (Array.isArray(doc.servers) ? doc.servers : []).map(
      (server) => objectAt(server, 'server').url,
    );
    expect(servers).toEqual([
      'https://europe-west1-{projectId}.cloudfunctions.net',
      'http://127.0.0.1:5001/demo-stilla/europe-west1',
    ]);
  });

  it('finds the exported functions', () => {
    expect(endpoints.map((e) => e.name).sort()).toEqual(
      ['allocations', 'health', 'moodGet', 'moodLog', 'weeklyAnalysis'].sort(),
    );
    for (const endpoint of endpoints) {
      expect(endpoint.definedName).toBe(endpoint.name);
      expect(endpoint.methods.length).toBeGreaterThan(0);
    }
  });

  it('has exactly one path per exported function', () => {
    expect(Object.keys(paths).sort()).toEqual(endpoints.map((e) => `/${e.name}`).sort());
  });

  it.each(endpoints.map((e) => [e.name, e] as const))(
    '%s: documents its methods plus the OPTIONS preflight',
    (_name, endpoint) => {
      const documented = operations(pathItem(endpoint.name)).map(([method]) => method);
      expect(documented.filter((m) => m !== 'options').sort()).toEqual(
        [...endpoint.methods].sort(),
      );
      expect(documented).toContain('options');
      const preflight = objectAt(pathItem(endpoint.name).options, 'options');
      expect(preflight.security).toEqual([]);
      expect(Object.keys(objectAt(preflight.responses, 'responses'))).toEqual(['204']);
    },
  );

  it('declares the bearer scheme and requires it by default', () => {
    const schemes = objectAt(objectAt(doc.components, 'components').securitySchemes, 'schemes');
    expect(schemes.firebaseIdToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ firebaseIdToken: [] }]);
  });

  it('has an Error schema whose codes are the code’s error codes', () => {
    const schemas = objectAt(objectAt(doc.components, 'components').schemas, 'schemas');
    expect(objectAt(schemas.ErrorCode, 'ErrorCode').enum).toEqual(Object.keys(ERROR_STATUS));
    const error = objectAt(objectAt(schemas.Error, 'Error').properties, 'Error.properties');
    expect(objectAt(error.error, 'error').required).toEqual(['code', 'message', 'requestId']);
  });

  describe.each(endpoints.map((e) => [e.name, e] as const))('%s', (_name, endpoint) => {
    const ops = (): [string, JsonObject][] =>
      operations(pathItem(endpoint.name)).filter(([method]) => method !== 'options');

    it('requires a token exactly when the endpoint authenticates', () => {
      for (const [, op] of ops()) {
        // `undefined` inherits the document's `security`: the bearer token.
        const security = op.security ?? doc.security;
        if (endpoint.auth === 'none') expect(security).toEqual([]);
        else expect(security).toEqual([{ firebaseIdToken: [] }]);
      }
    });

    it('documents 400, 401 (authenticated only), 405, 429 and 500 with the Error schema', () => {
      const required = ['400', ...(endpoint.auth === 'user' ? ['401'] : []), '405', '429', '500'];
      for (const [method, op] of ops()) {
        const responses = objectAt(op.responses, `${method} responses`);
        if (endpoint.auth === 'none') expect(responses).not.toHaveProperty('401');
        for (const status of required) {
          const response = objectAt(deref(responses[status]), `${method} ${status}`);
          const codes = errorCodesOf(response);
          expect({ status, isError: codes !== null }).toEqual({ status, isError: true });
          for (const code of codes ?? []) {
            expect({ code, status: ERROR_STATUS[code as ErrorCode] }).toEqual({
              code,
              status: Number(status),
            });
          }
        }
      }
    });

    it('sends Allow on 405, Retry-After on 429 and WWW-Authenticate on 401', () => {
      const allow = [...endpoint.methods.map((m) => m.toUpperCase()), 'OPTIONS'].join(', ');
      for (const [method, op] of ops()) {
        const responses = objectAt(op.responses, `${method} responses`);
        const at = (status: string) => objectAt(deref(responses[status]), `${method} ${status}`);
        expect(headerSchema(at('405'), 'Allow').const).toBe(allow);
        expect(headerSchema(at('429'), 'Retry-After').type).toBe('integer');
        if (endpoint.auth === 'user') {
          expect(headerSchema(at('401'), 'WWW-Authenticate').const).toMatch(/^Bearer/);
        }
      }
    });

    it('documents X-Cache on success exactly for the methods that cache', () => {
      for (const [method, op] of ops()) {
        const responses = objectAt(op.responses, `${method} responses`);
        const success = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
        expect(success.length).toBeGreaterThan(0);
        for (const status of success) {
          const headers = objectAt(objectAt(deref(responses[status]), status).headers, 'headers');
          expect({ status, xCache: 'X-Cache' in headers }).toEqual({
            status,
            xCache: endpoint.cachedMethods.includes(method),
          });
        }
      }
    });
  });

  it('has no $ref that points nowhere', () => {
    const refs: { at: string; ref: string }[] = [];
    collectRefs(doc, '#', refs);
    expect(refs.length).toBeGreaterThan(0);
    const dangling = refs.filter(({ ref }) => {
      try {
        resolvePointer(ref);
        return false;
      } catch {
        return true;
      }
    });
    expect(dangling).toEqual([]);
  });
});

/**
 * docs/openapi.json is generated from the endpoint definitions (src/openapi); these tests check
 * what the generator could get wrong against the exports themselves: one path per exported
 * HTTP function, its methods, auth and cache, and the shape rules the document relies on.
 * (`npm test` separately fails when the committed document is stale, and the integration
 * tests check every response against it.)
 */
import { z } from 'zod';
import * as exported from './index';
import { allowHeaderOf, type HttpMethod } from './lib/http/endpoint';
import { ERROR_STATUS } from './lib/http/errors';
import { buildOpenApiDocument } from './openapi/document';
import { endpointsOf } from './openapi/endpoints';

type Json = Record<string, unknown>;

const endpoints = endpointsOf(exported);
const doc = buildOpenApiDocument(endpoints) as Json & { paths: Record<string, Json> };

// A 1st-gen trigger's manifest names its project (as the runtime and the emulator set it).
process.env.GCLOUD_PROJECT ??= 'demo-stilla-unit';

/** Exported functions with an HTTPS trigger (background triggers have no path). */
const httpExports = Object.entries(exported as Record<string, unknown>)
  .filter(([, value]) => {
    const manifest = (value as { __endpoint?: { httpsTrigger?: unknown } }).__endpoint;
    return typeof value === 'function' && manifest?.httpsTrigger !== undefined;
  })
  .map(([name]) => name);

function deref(node: unknown): Json {
  let current = node as Json;
  while (typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Json)[key.replace(/~1/g, '/')], doc) as Json;
  }
  return current;
}

describe('docs/openapi.json from the code', () => {
  it('has exactly one path per exported HTTP function, each an endpoint definition', () => {
    expect(httpExports.length).toBeGreaterThan(0);
    expect(endpoints.map((e) => e.name).sort()).toEqual([...httpExports].sort());
    expect(Object.keys(doc.paths).sort()).toEqual(httpExports.map((name) => `/${name}`).sort());
  });

  describe.each(endpoints.map((e) => [e.name, e] as const))('%s', (name, endpoint) => {
    const methods = Object.keys(endpoint.methods) as HttpMethod[];
    const item = () => doc.paths[`/${name}`] as Record<string, Json>;

    it('documents its methods plus the OPTIONS preflight', () => {
      expect(Object.keys(item()).sort()).toEqual(
        [...methods.map((m) => m.toLowerCase()), 'options'].sort(),
      );
      expect(item().options?.security).toEqual([]);
    });

    it.each(methods)('%s: token, errors, Allow and X-Cache follow the definition', (method) => {
      const op = item()[method.toLowerCase()] as Json;
      const responses = op.responses as Json;
      expect(op.security).toEqual(endpoint.auth === 'none' ? [] : undefined);
      const statuses = Object.keys(responses).map(Number);
      const required = [
        400,
        405,
        413,
        415,
        429,
        500,
        ...(endpoint.auth === 'user' ? [401, 503] : []),
      ];
      expect(statuses).toEqual(expect.arrayContaining(required));
      if (endpoint.auth === 'none') expect(statuses).not.toContain(401);
      const allow = deref((deref(responses['405']).headers as Json).Allow);
      expect((allow.schema as Json).const).toBe(allowHeaderOf(methods));
      for (const status of statuses.filter((s) => s >= 200 && s < 300)) {
        const headers = deref(responses[status]).headers as Json;
        expect({ status, xCache: 'X-Cache' in headers }).toEqual({
          status,
          xCache: Boolean(endpoint.methods[method]?.cache),
        });
      }
      for (const status of statuses.filter((s) => s >= 400)) {
        const schema = deref(
          ((deref(responses[status]).content as Json)['application/json'] as Json).schema,
        );
        const code = (((schema.properties as Json)?.error as Json)?.properties as Json)?.code as
          { const?: string; enum?: string[] } | undefined;
        // health's 503 is its own report, not an error body.
        if (!code) continue;
        for (const c of code.enum ?? [code.const as string]) {
          expect({ code: c, status: ERROR_STATUS[c as keyof typeof ERROR_STATUS] }).toEqual({
            code: c,
            status,
          });
        }
      }
    });
  });

  it('takes X-Request-Id without a pattern: the server replaces a bad one, never rejects it', () => {
    const parameter = deref({ $ref: '#/components/parameters/RequestId' });
    expect(parameter.schema).toEqual({ type: 'string' });
  });

  it('names every header by its HTTP name (components may be variants of one header)', () => {
    const names: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'headers' && value && typeof value === 'object')
            names.push(...Object.keys(value));
          walk(value);
        }
      }
    };
    walk({ paths: doc.paths, responses: (doc.components as Json).responses });
    expect(names.length).toBeGreaterThan(0);
    expect(
      names.filter((name) => /-(Optional|Private|Error|GET|POST|PUT|PATCH|DELETE)\b/.test(name)),
    ).toEqual([]);
  });

  it('puts no length bounds on the raw value of a trimmed request string (they apply after trimming)', () => {
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    const note = (schemas.MoodLogRequest!.properties as Json).note as Json;
    expect(note).not.toHaveProperty('maxLength');
    expect(schemas.TagInput).not.toHaveProperty('maxLength');
    // Responses are trimmed already: their bounds stay.
    expect(schemas.Tag).toMatchObject({ minLength: 1, maxLength: 32 });
  });

  it('has no $ref that points nowhere', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => (r.startsWith('#/') ? !deref({ $ref: r }) : true))).toEqual([]);
  });

  it('refuses one schema id that differs between a request and a response', () => {
    // A string on the way in, a number on the way out.
    const shared = z.string().pipe(z.coerce.number()).meta({ id: 'Clash' });
    const spec = {
      ...endpoints[0]!,
      name: 'clash',
      methods: {
        POST: {
          query: z.strictObject({}),
          body: z.object({ a: shared }),
          cache: undefined,
          handler: async () => ({}),
          docs: {
            summary: '',
            description: '',
            responses: { 200: { description: '', body: z.object({ a: shared }) } },
          },
        },
      },
    };
    expect(() => buildOpenApiDocument([spec])).toThrow(/Clash/);
  });
});

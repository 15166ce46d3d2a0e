/**
 * docs/openapi.json, built from the code: every exported endpoint definition (methods, auth,
 * rate limit, cache, zod schemas of query, body, headers and responses, in its own file) plus
 * the common rules in components.ts. Schemas are zod 4's own JSON Schema output (draft 2020-12,
 * OpenAPI 3.1's dialect): requests as their input side, responses as their output side. A zod
 * schema with `.meta({id})` becomes `components.schemas[id]`.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { AUTH_FAILURE_RATE_LIMIT_PER_HOUR } from '../lib/config/params';
import type {
  EndpointSpec,
  HeaderDoc,
  HttpMethod,
  MethodSpec,
  ResponseDoc,
} from '../lib/http/endpoint';
import { ERROR_STATUS, type ErrorCode } from '../lib/http/errors';
import { MAX_BODY_BYTES } from '../lib/http/validation';
import { version } from '../lib/version';
import {
  BAD_REQUEST_EXAMPLE_DETAILS,
  BASE_HEADERS,
  COMMON_REQUEST_HEADERS,
  ERROR_CODES_TEXT,
  ERROR_DOCS,
  EXAMPLE_REQUEST_ID,
  PREFLIGHT_DESCRIPTION,
  PREFLIGHT_REQUEST_HEADERS,
  RATE_LIMIT_HEADERS,
  SECURITY_SCHEMES,
  SERVERS,
  TAG_DESCRIPTIONS,
  errorBodySchema,
  methodHeaders,
  sharedHeaders,
} from './components';

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const HEADERS = '#/components/headers/';
const RESPONSES = '#/components/responses/';
const PARAMETERS = '#/components/parameters/';
const ref = (prefix: string, name: string): Json => ({ $ref: `${prefix}${name}` });

/** Error codes every function can answer with; `auth: 'user'` adds 401 and 503 (signing keys, Firestore). */
const SHARED_ERRORS: ErrorCode[] = [
  'invalid_argument',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
];
const USER_ERRORS: ErrorCode[] = ['unauthenticated', 'unavailable'];

/** Whether a string schema rewrites its input (trim, lower-case) before its length checks. */
function rewritesInput(schema: z.core.$ZodTypes): boolean {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  return schema._zod.def.type === 'string' && checks.some((c) => c._zod.def.check === 'overwrite');
}

/**
 * Adjusts zod's JSON Schema of one schema:
 * - `.meta({ openapi: {...} })` documents it as that JSON Schema instead of its own output;
 * - the input side of a trimmed string gets no length bounds: they apply after trimming, so on
 *   the raw value they would forbid what the server accepts (the description says them).
 */
function adjust(
  io: 'input' | 'output',
  ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: Json },
): void {
  if (io === 'input' && rewritesInput(ctx.zodSchema)) {
    delete ctx.jsonSchema.minLength;
    delete ctx.jsonSchema.maxLength;
  }
  const meta = z.globalRegistry.get(ctx.zodSchema);
  const replacement = meta?.openapi;
  delete ctx.jsonSchema.openapi;
  // zod drops defaults from the input side of a transform; a `.meta({default})` is documentation.
  if (meta?.default !== undefined) ctx.jsonSchema.default = meta.default;
  // z.int()'s safe-integer bounds say nothing a reader needs.
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
  if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
  if (replacement && typeof replacement === 'object') {
    const { description, default: fallback } = ctx.jsonSchema;
    for (const key of Object.keys(ctx.jsonSchema)) Reflect.deleteProperty(ctx.jsonSchema, key);
    Object.assign(ctx.jsonSchema, replacement);
    if (description !== undefined) ctx.jsonSchema.description = description;
    if (fallback !== undefined) ctx.jsonSchema.default = fallback;
  }
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string'
        ? value.replace('#/$defs/', SCHEMAS)
        : rewriteRefs(value),
    ]),
  );
}

/** Converts zod schemas, collecting every schema with an `id` into `components.schemas`. */
class Schemas {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      override: ((ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: Json }) =>
        adjust(io, ctx)) as never,
    }) as Json;
    delete json.$schema;
    const { $defs, ...root } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) {
      // zod emits a schema with an id from a copy the override did not see: adjust it here.
      const zodSchema = z.globalRegistry._idmap.get(id);
      if (zodSchema) adjust(io, { zodSchema: zodSchema as z.core.$ZodTypes, jsonSchema: def });
      this.add(id, rewriteRefs(def) as Json);
    }
    const id = z.globalRegistry.get(schema)?.id;
    const body = rewriteRefs(root) as Json;
    if (id === undefined || body.$ref === `${SCHEMAS}${id}`) return body;
    this.add(id, body);
    return ref(SCHEMAS, id);
  }

  private add(id: string, def: Json): void {
    const known = this.components[id];
    if (known && !isDeepStrictEqual(known, def)) {
      throw new Error(
        `Schema id "${id}" converts to two different JSON Schemas (e.g. as a request and as a response): give each its own id.`,
      );
    }
    this.components[id] = def;
  }
}

const headerObject = (doc: HeaderDoc, schemas: Schemas, defaultRequired: boolean): Json => ({
  required: doc.required ?? defaultRequired,
  description: doc.description,
  schema: schemas.convert(doc.schema, 'output'),
});

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function rateLimitSentence(spec: EndpointSpec): string {
  if (spec.auth === 'none') return '';
  return ` Rate limit: ${defaultOf(spec.rateLimit.limit)} an ${spec.rateLimit.window} per user by default.`;
}

function defaultOf(param: { options: { default?: unknown } }): unknown {
  return param.options.default;
}

interface Built {
  paths: Json;
  responses: Record<string, Json>;
  headers: Record<string, Json>;
}

/** The whole document for these endpoint definitions. */
export function buildOpenApiDocument(endpoints: EndpointSpec[]): Json {
  const schemas = new Schemas();
  const cached = endpoints
    .filter((e) => Object.values(e.methods).some((m) => m?.cache))
    .map((e) => e.name);
  const built: Built = { paths: {}, responses: {}, headers: {} };
  for (const [name, doc] of Object.entries(sharedHeaders(cached))) {
    built.headers[name] = headerObject(doc, schemas, true);
  }

  const errorResponse = (code: ErrorCode, allowSuffix: string): Json => {
    const doc = ERROR_DOCS[code];
    const headers: Json = Object.fromEntries(BASE_HEADERS.map((h) => [h, ref(HEADERS, h)]));
    for (const [header, component] of Object.entries(doc.headers)) {
      headers[header] = ref(HEADERS, component);
    }
    if (code === 'method_not_allowed') headers.Allow = ref(HEADERS, `Allow-${allowSuffix}`);
    return {
      description: doc.description,
      headers,
      content: {
        'application/json': {
          schema: schemas.convert(errorBodySchema([code]), 'output'),
          example: {
            error: {
              code,
              message: doc.message,
              requestId: EXAMPLE_REQUEST_ID,
              ...(code === 'invalid_argument' ? { details: BAD_REQUEST_EXAMPLE_DETAILS } : {}),
            },
          },
        },
      },
    };
  };

  /** The `components.responses` name of an error response, adding it on first use. */
  const errorComponent = (code: ErrorCode, methods: string[]): string => {
    const suffix = methods.join('-');
    const name =
      code === 'method_not_allowed'
        ? `${ERROR_DOCS[code].name}${methods.map(capitalize).join('')}`
        : ERROR_DOCS[code].name;
    built.responses[name] ??= errorResponse(code, suffix);
    return name;
  };

  /** One response for several codes of one status (e.g. 429 rate_limited or quota_exceeded). */
  const combinedErrors = (codes: ErrorCode[], methods: string[]): Json => {
    // Built in place, not registered: a component only the combination uses would be unused.
    const parts = codes.map((code) => errorResponse(code, methods.join('-')));
    const headerSets = parts.map((part) => part.headers as Record<string, Json>);
    const headers: Json = {};
    for (const name of new Set(headerSets.flatMap((set) => Object.keys(set)))) {
      const everywhere = headerSets.every((set) =>
        isDeepStrictEqual(set[name], headerSets[0]?.[name]),
      );
      const component = headerSets.find((set) => set[name])?.[name] as { $ref: string };
      headers[name] = everywhere
        ? component
        : { ...built.headers[component.$ref.slice(HEADERS.length)], required: false };
    }
    return {
      description: parts.map((part) => part.description).join(' Or '),
      headers,
      content: {
        'application/json': {
          schema: schemas.convert(errorBodySchema(codes as [ErrorCode, ...ErrorCode[]]), 'output'),
        },
      },
    };
  };

  for (const spec of endpoints) {
    const methods = Object.keys(spec.methods) as HttpMethod[];
    for (const [name, doc] of Object.entries(methodHeaders(methods))) {
      built.headers[name] ??= headerObject(doc, schemas, true);
    }
    const item: Json = {};
    for (const method of methods) {
      const methodSpec = spec.methods[method] as MethodSpec<unknown, unknown>;
      item[method.toLowerCase()] = operation(spec, method, methodSpec, methods.length > 1);
    }
    const preflight = `Preflight${methods.map(capitalize).join('')}`;
    built.responses[preflight] ??= {
      description: PREFLIGHT_DESCRIPTION,
      headers: {
        ...Object.fromEntries(BASE_HEADERS.map((h) => [h, ref(HEADERS, h)])),
        Allow: ref(HEADERS, `Allow-${methods.join('-')}`),
        'Access-Control-Allow-Methods': ref(
          HEADERS,
          `Access-Control-Allow-Methods-${methods.join('-')}`,
        ),
        'Access-Control-Allow-Headers': ref(HEADERS, 'Access-Control-Allow-Headers'),
        'Access-Control-Max-Age': ref(HEADERS, 'Access-Control-Max-Age'),
      },
    };
    item.options = {
      tags: [spec.tag],
      operationId: `${spec.name}Preflight`,
      summary: `CORS preflight of ${spec.name}`,
      description:
        'Answered `204` before anything else, without a token, whatever the requested method and headers. (Like any request, one carrying a body the runtime cannot parse gets that body error instead; browsers send none.)',
      security: [],
      parameters: [
        ...Object.keys(PREFLIGHT_REQUEST_HEADERS),
        ...Object.keys(COMMON_REQUEST_HEADERS),
      ].map((p) => ref(PARAMETERS, p)),
      // The runtime's body parser answers before the function, preflights included.
      responses: {
        204: ref(RESPONSES, preflight),
        400: ref(RESPONSES, errorComponent('invalid_argument', methods)),
        413: ref(RESPONSES, errorComponent('payload_too_large', methods)),
        415: ref(RESPONSES, errorComponent('unsupported_media_type', methods)),
      },
    };
    built.paths[`/${spec.name}`] = item;
  }

  function operation(
    spec: EndpointSpec,
    method: HttpMethod,
    methodSpec: MethodSpec<unknown, unknown>,
    several: boolean,
  ): Json {
    const { docs } = methodSpec;
    const methods = Object.keys(spec.methods);
    const parameters: Json[] = [];
    const query = schemas.convert(methodSpec.query, 'input');
    const required = new Set((query.required ?? []) as string[]);
    for (const [param, schema] of Object.entries(
      (query.properties ?? {}) as Record<string, Json>,
    )) {
      const { description, ...rest } = schema;
      parameters.push({
        name: param,
        in: 'query',
        required: required.has(param),
        ...(description !== undefined ? { description } : {}),
        schema: rest,
      });
    }
    for (const [header, doc] of Object.entries(docs.headers ?? {})) {
      parameters.push({ name: header, in: 'header', ...headerObject(doc, schemas, false) });
    }
    for (const p of Object.keys(COMMON_REQUEST_HEADERS)) parameters.push(ref(PARAMETERS, p));

    const responses: Json = {};
    for (const [status, response] of Object.entries(docs.responses)) {
      responses[status] = declaredResponse(spec, methodSpec, response);
    }
    const codes = [
      ...SHARED_ERRORS,
      ...(spec.auth === 'user' ? USER_ERRORS : []),
      ...(docs.errors ?? []),
    ];
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of new Set(codes)) {
      const status = ERROR_STATUS[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
      if (String(status) in responses) continue;
      responses[status] =
        group.length === 1
          ? ref(RESPONSES, errorComponent(group[0] as ErrorCode, methods))
          : combinedErrors(group, methods);
    }
    const sorted = Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
    );
    return {
      tags: [spec.tag],
      operationId: several ? `${spec.name}${capitalize(method)}` : spec.name,
      summary: docs.summary,
      description: `${docs.description}${rateLimitSentence(spec)}`,
      ...(spec.auth === 'none' ? { security: [] } : {}),
      parameters,
      ...(methodSpec.body
        ? {
            requestBody: {
              required: true,
              description: `\`Content-Type: application/json\` (UTF-8), at most ${MAX_BODY_BYTES / 1024} KiB, a JSON object.`,
              content: {
                'application/json': { schema: schemas.convert(methodSpec.body, 'input') },
              },
            },
          }
        : {}),
      responses: sorted,
    };
  }

  function declaredResponse(
    spec: EndpointSpec,
    methodSpec: MethodSpec<unknown, unknown>,
    response: ResponseDoc,
  ): Json {
    const headers: Json = Object.fromEntries(BASE_HEADERS.map((h) => [h, ref(HEADERS, h)]));
    for (const h of RATE_LIMIT_HEADERS) headers[h] = ref(HEADERS, h);
    if (spec.auth === 'user') headers['Cache-Control'] = ref(HEADERS, 'Cache-Control-Private');
    if (methodSpec.cache) headers['X-Cache'] = ref(HEADERS, 'X-Cache');
    for (const [name, doc] of Object.entries(response.headers ?? {})) {
      headers[name] = headerObject(doc, schemas, true);
    }
    const content =
      response.body === undefined
        ? undefined
        : response.body === 'event-stream'
          ? { 'text/event-stream': { schema: { type: 'string' } } }
          : {
              'application/json': {
                schema: schemas.convert(response.body, 'output'),
                ...(response.example !== undefined ? { example: response.example } : {}),
              },
              ...(response.alsoEventStream
                ? { 'text/event-stream': { schema: { type: 'string' } } }
                : {}),
            };
    return { description: response.description, headers, ...(content ? { content } : {}) };
  }

  const parameters: Json = {};
  for (const [key, doc] of Object.entries({
    ...COMMON_REQUEST_HEADERS,
    ...PREFLIGHT_REQUEST_HEADERS,
  })) {
    parameters[key] = { name: doc.name, in: 'header', ...headerObject(doc, schemas, false) };
  }

  const names = endpoints.map((e) => `\`${e.name}\``);
  const perWindow = (e: EndpointSpec) =>
    `${e.name} ${defaultOf(e.rateLimit.limit)}/${e.rateLimit.window === 'hour' ? 'h' : 'min'}`;
  const limits = [
    ...endpoints.filter((e) => e.auth === 'user').map(perWindow),
    ...endpoints.filter((e) => e.auth === 'none').map((e) => `${perWindow(e)} per IP`),
    `failed authentication ${defaultOf(AUTH_FAILURE_RATE_LIMIT_PER_HOUR)}/h per IP`,
  ];
  const tags = [...new Set(endpoints.map((e) => e.tag))];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Stilla API',
      version: version().split('+')[0],
      summary: 'The HTTP API of the Stilla backend: mood tracking and AI support.',
      description: [
        `The HTTP contract of the Stilla backend (contract v1, \`shared/API.md\`), for the functions that are implemented: ${names.join(', ')}.`,
        'Every function is its own Cloud Function: its URL is the server URL followed by `/{name}`. Where the contract leaves a choice open, the choice Stilla made is stated in the `description` of the part concerned and summarised in `docs/API-NOTES.md`. This document is generated from the code (`npm --prefix functions run openapi`); the integration tests check every response they receive against it.',
        '**Rules for every function**',
        [
          `- **Processing order.** A request is answered by the first of these steps that rejects it: \`OPTIONS\` preflight (\`204\`); method not served (\`405\` with \`Allow\`, no token needed); declared body over ${MAX_BODY_BYTES / 1024} KiB (\`413\`); authentication (\`401\`, or \`503\` while Google's signing keys cannot be fetched; failures are counted per client IP, \`429\` past ${defaultOf(AUTH_FAILURE_RATE_LIMIT_PER_HOUR)} an hour by default); the rate limit (\`429\`); validation of the query and the body (\`400\`/\`415\`; an invalid request is counted against the rate limit too); then the function itself (\`409\`, \`503\` when Firestore is unavailable, \`500\` on an unexpected error). Bodies the runtime's JSON parser rejects (malformed JSON, unsupported charset or encoding) are answered before all of these, with the same error body.`,
          `- **Errors** are \`{"error": {"code", "message", "requestId", "details"?}}\`. Clients should branch on \`code\`; \`message\` is English text for humans and may change. The contract's codes and their statuses: ${ERROR_CODES_TEXT}.`,
          "- **Request ids.** Every response, `204` and errors included, carries `X-Request-Id`: the client's own when it sent one of 1-64 characters of `[A-Za-z0-9._-]`, else a new UUID. The same id is in the error body and in the server logs.",
          `- **Rate limits** are sliding windows per user and function (per client IP for \`health\` and for failed authentication), configurable per deployment. Defaults: ${limits.join(', ')}.`,
          `- **Caching.** Successful authenticated responses carry \`Cache-Control: private, no-store\`. ${cached.join(' and ')} ${cached.length === 1 ? 'is' : 'are'} served from a shared per-user cache and say so in \`X-Cache\`; a write makes the user's cached answers it affects stale at once (read-your-writes).`,
          "- **CORS.** Origins come from the deployment's `CORS_ALLOWED_ORIGINS`; inside the emulator every `http://localhost:*` and `http://127.0.0.1:*` origin is allowed too. Responses to an allowed `Origin` carry `Access-Control-Allow-Origin` (the origin itself) and `Access-Control-Expose-Headers`; every response carries `Vary: Origin`.",
          '- **Times** in responses are UTC with milliseconds (`2026-11-22T10:00:00.000Z`); requests take RFC 3339 date-times with seconds and an offset (`Z` or `±hh:mm`).',
          '- **Validation is strict**: wrong types, out-of-range values, unknown body fields, unknown or repeated query parameters are `400 invalid_argument`, never coerced.',
          "- **String lengths** are counted in UTF-16 code units (JavaScript string length), after trimming where a field is trimmed. `maxLength` in this document (which JSON Schema counts in code points) states the contract's number; a request field that is trimmed states its bounds in its description only, since they apply after trimming.",
        ].join('\n'),
      ].join('\n\n'),
      contact: { name: 'Stilla backend team' },
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: SERVERS,
    security: [{ firebaseIdToken: [] }],
    tags: tags.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths: built.paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: schemas.components,
      parameters,
      headers: built.headers,
      responses: built.responses,
    },
  };
}

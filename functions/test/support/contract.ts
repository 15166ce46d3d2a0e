/**
 * Every response the integration tests receive is checked against docs/openapi.json: the
 * status is one the operation declares, every declared header that is required is present,
 * every declared header that is present matches its schema, and the body matches the media
 * type and schema. A mismatch fails the test that made the call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

const DOCUMENT_ID = 'stilla-openapi.json';
const doc = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.json'), 'utf8'),
) as Json;

function newAjv(coerceTypes: boolean): Ajv2020 {
  // `strict: false`: the document holds OpenAPI keywords beside the JSON Schemas.
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: DOCUMENT_ID });
  return ajv;
}
const bodies = newAjv(false);
// Header values are strings on the wire: `"5"` is the integer 5 for `RateLimit-Remaining`.
const headerValues = newAjv(true);
const compiled = new Map<string, ValidateFunction>();

function validatorAt(ajv: Ajv2020, pointer: string): ValidateFunction {
  const key = `${ajv === bodies ? 'b' : 'h'}${pointer}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
    compiled.set(key, validate);
  }
  return validate;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function at(pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Json | undefined)?.[key];
  }
  return node;
}

/** Follows an OpenAPI `$ref` (response, header): the object and the pointer where it lives. */
function resolve(pointer: string): { node: Json; pointer: string } {
  let current = pointer;
  for (let hops = 0; hops < 10; hops++) {
    const node = at(current) as Json | undefined;
    if (node === undefined) throw new Error(`docs/openapi.json has nothing at ${current}`);
    if (typeof node.$ref !== 'string') return { node, pointer: current };
    current = node.$ref;
  }
  throw new Error(`reference loop at ${pointer}`);
}

export interface ReceivedResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** The problems of one response to `method /name` against the document ([] when it conforms). */
export function contractProblems(name: string, method: string, res: ReceivedResponse): string[] {
  const pathPointer = `#/paths/${escape(`/${name}`)}`;
  const pathItem = at(pathPointer) as Json | undefined;
  if (!pathItem) return [`/${name} is not in docs/openapi.json`];
  let opPointer = `${pathPointer}/${method.toLowerCase()}`;
  if (!pathItem[method.toLowerCase()]) {
    // A method the function does not serve: its 405 is the one every operation declares.
    if (res.status !== 405) return [`${method} /${name} is undeclared but answered ${res.status}`];
    const served = Object.keys(pathItem).find((m) => m !== 'options') as string;
    opPointer = `${pathPointer}/${served}`;
  }
  const where = `${method} /${name} ${res.status}`;
  const responses = (at(opPointer) as Json).responses as Json;
  if (!(String(res.status) in responses)) {
    return [`${where}: status not declared (declared: ${Object.keys(responses).join(', ')})`];
  }
  const response = resolve(`${opPointer}/responses/${res.status}`);
  const problems: string[] = [];

  for (const headerName of Object.keys((response.node.headers ?? {}) as Json)) {
    const header = resolve(`${response.pointer}/headers/${escape(headerName)}`);
    const value = res.headers.get(headerName);
    if (value === null) {
      if (header.node.required === true) problems.push(`${where}: header ${headerName} missing`);
      continue;
    }
    const validate = validatorAt(headerValues, `${header.pointer}/schema`);
    if (!validate(value)) {
      problems.push(
        `${where}: header ${headerName}: ${JSON.stringify(value)} ${headerValues.errorsText(validate.errors)}`,
      );
    }
  }

  // A HEAD answer has the headers of the GET-like answer but never a body.
  if (method.toUpperCase() === 'HEAD') return problems;
  const content = response.node.content as Json | undefined;
  const contentType = res.headers.get('content-type') ?? '';
  if (!content) {
    if (res.text !== '')
      problems.push(`${where}: declares no body but got ${res.text.slice(0, 80)}`);
    return problems;
  }
  const mediaType = Object.keys(content).find((type) => contentType.startsWith(type));
  if (!mediaType) {
    problems.push(
      `${where}: content type ${contentType} not declared (${Object.keys(content).join(', ')})`,
    );
    return problems;
  }
  if (mediaType === 'application/json') {
    const validate = validatorAt(bodies, `${response.pointer}/content/${escape(mediaType)}/schema`);
    if (!validate(res.body)) {
      problems.push(
        `${where}: body ${bodies.errorsText(validate.errors)}: ${res.text.slice(0, 300)}`,
      );
    }
  }
  return problems;
}

/** Throws (failing the calling test) when a response does not conform to the document. */
export function expectConformingResponse(
  name: string,
  method: string,
  res: ReceivedResponse,
): void {
  const problems = contractProblems(name, method, res);
  if (problems.length > 0) {
    throw new Error(`Response does not match docs/openapi.json:\n  ${problems.join('\n  ')}`);
  }
}

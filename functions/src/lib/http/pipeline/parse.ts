/** The request's query and body, validated against the method's schemas. */
import type { Request } from 'firebase-functions/v2/https';
import type { MethodSpec } from '../endpoint';
import { jsonBody, queryParams, validate } from '../validation';

export interface ParsedInput {
  query: unknown;
  body: unknown;
  /** What validation threw (a `400`/`413`/`415`), thrown only after the request is counted. */
  invalid: unknown;
}

/**
 * Validates the query (any parameter is `400` without a query schema) and, when the method takes
 * one, the JSON body. Never throws: an invalid request must still count against the rate limit,
 * so the error is returned in `invalid` for {@link admit} to throw after counting.
 */
export function parseInput(
  methodSpec: Pick<MethodSpec<unknown, unknown>, 'query' | 'body'>,
  req: Pick<Request, 'originalUrl' | 'url' | 'headers' | 'body' | 'rawBody'>,
): ParsedInput {
  const input: ParsedInput = { query: undefined, body: undefined, invalid: undefined };
  try {
    input.query = validate(methodSpec.query, queryParams(req.originalUrl ?? req.url), 'query');
    if (methodSpec.body) input.body = validate(methodSpec.body, jsonBody(req), 'body');
  } catch (error) {
    input.invalid = error;
  }
  return input;
}

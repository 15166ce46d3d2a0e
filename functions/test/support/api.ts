/**
 * Calling the functions of the running local stack over real HTTP. Every response is checked
 * against docs/openapi.json (support/contract.ts): a mismatch fails the test.
 */
import { expectConformingResponse } from './contract';
import { rememberSensitive, tokenOf, userTextOf } from './privacy';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the integration tests through \`npm test\` at the repo root.`,
    );
  }
  return value;
}

export const functionsUrl = (): string => requireEnv('STILLA_FUNCTIONS_URL');

export interface CallOptions {
  method?: string;
  token?: string;
  query?: Record<string, string | number | undefined>;
  /** A query string sent as it is (e.g. a repeated parameter), after `query`. */
  rawQuery?: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Calls function `name` and returns status, headers and the parsed JSON body (if any). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
export async function callFunction<T = any>(
  name: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const url = new URL(`${functionsUrl()}/${name}`);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  if (options.rawQuery) url.search += `${url.search ? '&' : ''}${options.rawQuery}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const authorization = Object.entries(headers).find(([h]) => h.toLowerCase() === 'authorization');
  rememberSensitive(tokenOf(authorization?.[1]), ...userTextOf(options.body));
  const res = await fetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const result = { status: res.status, headers: res.headers, body: parsed as T, text };
  expectConformingResponse(name, method, result);
  return result;
}

/** Asserts the contract's error body and returns it. */
export function expectError(result: CallResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.error?.code }).toEqual({ status, code });
  expect(typeof result.body.error.message).toBe('string');
  expect(result.body.error.requestId).toBe(result.headers.get('x-request-id'));
}

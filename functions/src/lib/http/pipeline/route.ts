/** The first step: the headers every response carries, the preflight, and the method's definition. */
import type { Request, Response } from 'firebase-functions/v2/https';
import type { EndpointSpec, HttpMethod, MethodSpec } from '../endpoint';
import { corsHeaders, preflightHeaders } from '../cors';
import { ApiError } from '../errors';

/**
 * Sent on every response: no MIME sniffing, no referrer, HTTPS only (two years), and a policy
 * under which a response rendered as a page could load and run nothing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * The `Allow` header of a function serving `methods`: they, `HEAD` where `GET` is (RFC 9110: a
 * resource that answers GET answers HEAD too; load balancers probe with it), and `OPTIONS`.
 */
export function allowHeaderOf(methods: readonly string[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
}

/** Request id, security and CORS headers: on every response, errors and preflights included. */
export function setCommonHeaders(
  req: Pick<Request, 'headers'>,
  res: Pick<Response, 'setHeader'>,
  requestId: string,
): void {
  res.setHeader('X-Request-Id', requestId);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(corsHeaders(req.headers.origin))) {
    res.setHeader(name, value);
  }
}

/** Answers a CORS preflight (`204`, no token needed). Returns the status sent. */
export function answerPreflight(
  req: Pick<Request, 'headers'>,
  res: Response,
  allowed: readonly HttpMethod[],
  allowHeader: string,
): number {
  for (const [name, value] of Object.entries(preflightHeaders(req.headers.origin, [...allowed]))) {
    res.setHeader(name, value);
  }
  res.setHeader('Allow', allowHeader);
  res.status(204).end();
  return 204;
}

/**
 * The definition of the request's method (`HEAD` is `GET` without the body: Node's response
 * drops the body of a HEAD by itself); `405` with `Allow` for a method the function does not serve.
 */
export function resolveMethod(
  spec: Pick<EndpointSpec, 'methods'>,
  req: Pick<Request, 'method'>,
  allowHeader: string,
): { method: HttpMethod; methodSpec: MethodSpec<unknown, unknown> } {
  const method = (req.method === 'HEAD' ? 'GET' : req.method) as HttpMethod;
  const methodSpec = spec.methods[method];
  if (!methodSpec) {
    throw new ApiError('method_not_allowed', `${req.method} is not allowed here.`, {
      headers: { Allow: allowHeader },
    });
  }
  return { method, methodSpec };
}

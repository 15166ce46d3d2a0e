import { randomUUID } from 'node:crypto';

/** A client's own request id is kept when it is 1-64 characters of `[A-Za-z0-9._-]`. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id for a request: the client's `X-Request-Id` when well formed, else a new one. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CLIENT_REQUEST_ID.test(value) ? value : randomUUID();
}

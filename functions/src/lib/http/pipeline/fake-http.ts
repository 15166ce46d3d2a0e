/**
 * A fake request and response for the pipeline's unit tests (not built: tsconfig.build.json
 * leaves fake-*.ts out). The response records what was sent, as an express-style Response.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'firebase-functions/v2/https';

export interface FakeRequestInit {
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  body?: unknown;
  remoteAddress?: string;
}

export function fakeRequest(init: FakeRequestInit = {}): Request {
  const headers: IncomingHttpHeaders = { ...(init.headers ?? {}) };
  const rawHeaders = Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value ?? '']).flatMap((v) => [name, v]),
  );
  const rawBody = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  if (rawBody && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return {
    method: init.method ?? 'GET',
    url: init.url ?? '/',
    originalUrl: init.url ?? '/',
    headers,
    rawHeaders,
    body: init.body,
    rawBody,
    socket: { remoteAddress: init.remoteAddress ?? '10.0.0.1' },
  } as unknown as Request;
}

export class FakeResponse extends EventEmitter {
  statusCode = 200;
  readonly headers: Record<string, string | undefined> = {};
  body: unknown;
  /** Everything written with `write`. */
  written = '';
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    this.headers[name.toLowerCase()] = undefined;
  }
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  json(body: unknown): this {
    this.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.body = body;
    return this.end();
  }
  flushHeaders(): void {
    this.headersSent = true;
  }
  write(chunk: string): boolean {
    this.headersSent = true;
    this.written += chunk;
    return true;
  }
  end(): this {
    this.headersSent = true;
    this.writableEnded = true;
    this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
}

/** A fake response, typed as the Response the pipeline takes. */
export function fakeResponse(): FakeResponse & Response {
  return new FakeResponse() as FakeResponse & Response;
}

/**
 * The API reference page of `npm start`: docs/openapi.json rendered by Swagger UI
 * (swagger-ui-dist from the root node_modules, nothing from a CDN), served on loopback with a
 * strict Content-Security-Policy. The document is read on every request, so a regenerated
 * docs/openapi.json shows on reload.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** Where `npm start` serves the page. */
export const API_REFERENCE_PORT = 8076;

export interface ApiReferenceOptions {
  root: string;
  port: number;
  /** Origins "Try it out" may call (the Functions emulator). */
  connectOrigins: string[];
}

export interface ApiReference {
  url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Stilla API reference</title>
    <link rel="stylesheet" href="/swagger-ui.css" />
  </head>
  <body>
    <div id="reference"></div>
    <script src="/swagger-ui-bundle.js"></script>
    <script src="/init.js"></script>
  </body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  defaultModelsExpandDepth: 0,
});
`;

export function contentSecurityPolicy(connectOrigins: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectOrigins.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startApiReference(options: ApiReferenceOptions): Promise<ApiReference> {
  const dist = join(options.root, 'node_modules', 'swagger-ui-dist');
  const files: Record<string, { type: string; read: () => Promise<string | Buffer> }> = {
    '/': { type: 'text/html; charset=utf-8', read: async () => PAGE },
    '/init.js': { type: 'text/javascript; charset=utf-8', read: async () => INIT },
    '/openapi.json': {
      type: 'application/json; charset=utf-8',
      read: () => readFile(join(options.root, 'docs', 'openapi.json')),
    },
    '/swagger-ui.css': {
      type: 'text/css; charset=utf-8',
      read: () => readFile(join(dist, 'swagger-ui.css')),
    },
    '/swagger-ui-bundle.js': {
      type: 'text/javascript; charset=utf-8',
      read: () => readFile(join(dist, 'swagger-ui-bundle.js')),
    },
  };
  const csp = contentSecurityPolicy(options.connectOrigins);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = files[path];
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (req.method !== 'GET' || !file) {
      res.writeHead(req.method === 'GET' ? 404 : 405, {
        ...headers,
        'Content-Type': 'text/plain; charset=utf-8',
      });
      res.end('not found\n');
      return;
    }
    file.read().then(
      (body) => {
        res.writeHead(200, { ...headers, 'Content-Type': file.type });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

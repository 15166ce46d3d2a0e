/**
 * A local Sentry ingest endpoint for the test suite: the functions' real Sentry SDK sends its
 * envelopes here (SENTRY_DSN `http://public@127.0.0.1:{port}/1`), and every envelope is kept,
 * decompressed, so that the suite can check what an error report would have sent to Sentry.
 *
 * - `POST /api/{project}/envelope/` (and the older `/store/`): recorded, answered `200 {}`.
 * - `GET /__events`: every recorded envelope, oldest first (`[{at, path, body}]`).
 * Each envelope is also appended as one JSON line to `file`, when given, for checks that run
 * after the server has stopped.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';

export interface RecordedEnvelope {
  at: string;
  path: string;
  /** The envelope as text (newline-separated JSON items). */
  body: string;
}

export interface FakeSentry {
  /** The DSN to give the SDK. */
  dsn: string;
  envelopes(): RecordedEnvelope[];
  stop(): Promise<void>;
}

function decode(req: IncomingMessage, raw: Buffer): string {
  switch (req.headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(raw).toString('utf8');
    case 'deflate':
      return inflateSync(raw).toString('utf8');
    case 'br':
      return brotliDecompressSync(raw).toString('utf8');
    default:
      return raw.toString('utf8');
  }
}

/**
 * Starts the endpoint on loopback.
 * @param port - 0 picks a free port
 * @param file - JSONL file every envelope is appended to
 */
export async function startFakeSentry({
  port = 0,
  file,
}: { port?: number; file?: string } = {}): Promise<FakeSentry> {
  const recorded: RecordedEnvelope[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'GET' && path === '/__events') return json(200, recorded);
      if (req.method !== 'POST' || !/^\/api\/[^/]+\/(envelope|store)\/?$/.test(path)) {
        return json(404, { detail: 'not found' });
      }
      let body: string;
      try {
        body = decode(req, Buffer.concat(chunks));
      } catch {
        return json(400, { detail: 'undecodable body' });
      }
      const envelope = { at: new Date().toISOString(), path, body };
      recorded.push(envelope);
      if (file) appendFileSync(file, `${JSON.stringify(envelope)}\n`);
      json(200, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    dsn: `http://public@127.0.0.1:${bound}/1`,
    envelopes: () => [...recorded],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

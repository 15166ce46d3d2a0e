/**
 * What one allocations request costs: Firestore documents read and written, Firestore queries,
 * and Redis round trips, for a cached GET, an uncached GET, a PUT (with and without If-Match)
 * and a PATCH (with and without Idempotency-Key). The function runs in the Functions Framework
 * from functions/lib; its Firestore traffic passes through a counting gRPC proxy in front of
 * the Node Firestore emulator (each BatchGetDocuments request names the documents it reads,
 * each Commit carries its writes), and Redis goes through the Upstash bridge, which counts
 * HTTP round trips. Every process it starts is stopped.
 *
 *   npm --prefix functions run build && node dev/bench/allocations-cost.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import http2 from 'node:http2';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFirestoreEmulator } from '../firestore/emulator.ts';
import { localParams } from './local-params.ts';
import { getFreePort, startRedisServer } from '../redis-bridge/redis-server.ts';
import { startRedisBridge } from '../redis-bridge/server.ts';
import { unsignedToken as unsignedFor } from './unsigned-token.ts';

const root = resolve(import.meta.dirname, '..', '..');
const functionsDir = join(root, 'functions');
const framework = join(functionsDir, 'node_modules', '.bin', 'functions-framework');
const PROJECT = 'demo-stilla-cost';

interface Decoder<T> {
  deserializeBinary(bytes: Uint8Array): T;
}
const proto = createRequire(join(root, 'package.json'))(
  '@firestore-emulator/proto/dist/google/firestore/v1/firestore',
) as {
  BatchGetDocumentsRequest: Decoder<{ documents: string[] }>;
  CommitRequest: Decoder<{ writes: unknown[] }>;
};

interface FirestoreCounts {
  reads: number;
  writes: number;
  queries: number;
  rpcs: Record<string, number>;
}

/** The first gRPC message of a request body (5-byte frame header, then the message). */
function firstMessage(body: Buffer): Uint8Array | null {
  if (body.length < 5) return null;
  const length = body.readUInt32BE(1);
  return body.subarray(5, 5 + length);
}

/** An h2c proxy that forwards every gRPC call to `target` and counts what Firestore serves. */
async function startCountingProxy(target: string) {
  const upstream = http2.connect(`http://${target}`);
  const counts: FirestoreCounts = { reads: 0, writes: 0, queries: 0, rpcs: {} };
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const rpc = String(headers[':path']).split('/').pop() ?? '';
    counts.rpcs[rpc] = (counts.rpcs[rpc] ?? 0) + 1;
    const forwarded: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') || name === ':path' || name === ':method') forwarded[name] = value;
    }
    const call = upstream.request(forwarded);
    const body: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      body.push(chunk);
      call.write(chunk);
    });
    stream.on('end', () => {
      call.end();
      const message = firstMessage(Buffer.concat(body));
      if (!message) return;
      if (rpc === 'BatchGetDocuments') {
        counts.reads += proto.BatchGetDocumentsRequest.deserializeBinary(message).documents.length;
      } else if (rpc === 'Commit') {
        counts.writes += proto.CommitRequest.deserializeBinary(message).writes.length;
      } else if (rpc === 'RunQuery' || rpc === 'RunAggregationQuery') {
        counts.queries += 1;
      }
    });
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('response', (responseHeaders) => {
      const { ...out } = responseHeaders as http2.OutgoingHttpHeaders;
      if ('grpc-status' in responseHeaders) stream.respond(out, { endStream: true });
      else stream.respond(out, { waitForTrailers: true });
    });
    call.on('trailers', (received) => {
      trailers = { ...(received as http2.OutgoingHttpHeaders) };
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('data', (chunk: Buffer) => stream.write(chunk));
    call.on('end', () => {
      if (!stream.closed) stream.end();
    });
    call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => call.close(http2.constants.NGHTTP2_CANCEL));
  });
  const port = await getFreePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    hostPort: `127.0.0.1:${port}`,
    take(): FirestoreCounts {
      const taken = { ...counts, rpcs: { ...counts.rpcs } };
      Object.assign(counts, { reads: 0, writes: 0, queries: 0, rpcs: {} });
      return taken;
    },
    async stop() {
      upstream.close();
      await new Promise((done) => server.close(done));
    },
  };
}

const unsignedToken = (sub: string) => unsignedFor(PROJECT, sub);

async function serve(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await getFreePort();
  const child = spawn(
    process.execPath,
    [framework, '--target=allocations', `--port=${port}`, '--source=lib'],
    { cwd: functionsDir, env: { ...process.env, ...env }, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 400; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((res) => res.arrayBuffer());
      return { url, child };
    } catch {
      await sleep(25);
    }
  }
  throw new Error('allocations did not start');
}

const firestore = await startFirestoreEmulator({ port: 0 });
const proxy = await startCountingProxy(firestore.hostPort);
const redis = await startRedisServer({ port: await getFreePort() });
const bridge = await startRedisBridge({
  port: await getFreePort(),
  redisUrl: `redis://127.0.0.1:${redis.port}`,
  token: 'bench',
});
let child: ChildProcess | undefined;
const rows: string[] = [];
try {
  const server = await serve({
    ...localParams(functionsDir),
    GCLOUD_PROJECT: PROJECT,
    FUNCTIONS_EMULATOR: 'true',
    FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
    FIRESTORE_EMULATOR_HOST: proxy.hostPort,
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: 'bench',
    OPENAI_API_KEY: '',
    SENTRY_DSN: '',
  });
  child = server.child;
  const token = unsignedToken('cost-user');
  const call = async (method: string, query = '', body?: unknown, headers = {}) => {
    const res = await fetch(`${server.url}${query}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return res;
  };
  const month = {
    month: '2026-11',
    currency: 'SEK',
    categories: [
      { key: 'food', budget: 400_000 },
      { key: 'rent', budget: 600_000 },
    ],
  };
  const patch = { month: '2026-11', key: 'food', actualDelta: 100 };
  await call('GET', '?month=2026-01'); // warm the instance's clients; not counted
  let etag = '';
  const steps: [string, () => Promise<Response>][] = [
    ['PUT', () => call('PUT', '', month)],
    ['GET, uncached', () => call('GET', '?month=2026-11')],
    ['GET, cached', () => call('GET', '?month=2026-11')],
    ['PATCH', () => call('PATCH', '', patch)],
    ['PATCH with Idempotency-Key', () => call('PATCH', '', patch, { 'Idempotency-Key': 'k1' })],
    ['PATCH replayed (same key)', () => call('PATCH', '', patch, { 'Idempotency-Key': 'k1' })],
    ['PUT with If-Match', () => call('PUT', '', month, { 'If-Match': etag })],
  ];
  proxy.take();
  for (const [name, step] of steps) {
    bridge.resetStats();
    const res = await step();
    etag = res.headers.get('etag') ?? etag;
    const fs = proxy.take();
    const redisTrips = bridge.stats().requests;
    rows.push(
      `  ${name.padEnd(28)} ${String(res.status).padEnd(4)} ${res.headers.get('x-cache') ?? '-'} `.padEnd(
        42,
      ) +
        `Firestore reads ${fs.reads}, writes ${fs.writes}, queries ${fs.queries}  ` +
        `Redis round trips ${redisTrips}  (RPCs ${JSON.stringify(fs.rpcs)})`,
    );
  }
} finally {
  if (child) {
    child.kill('SIGTERM');
    await new Promise((done) => child!.once('exit', done));
  }
  await proxy.stop();
  await bridge.stop();
  await redis.stop();
  await firestore.stop();
}
console.log('allocations: cost of one request (Functions Framework, Node Firestore emulator)');
for (const row of rows) console.log(row);

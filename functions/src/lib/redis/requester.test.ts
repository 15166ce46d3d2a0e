import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { nodeRequester, UpstashHttpError } from './requester';
import { createClient } from './client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A local HTTP server standing in for the Upstash endpoint; `answer` decides each response. */
async function endpoint(
  answer: (seen: Seen, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(text) as unknown,
      };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

/** Blocks the event loop for `ms`, as a synchronous require of a large SDK does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('nodeRequester', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    server = undefined;
  });

  it('POSTs the command as JSON with the bearer token and returns the JSON answer', async () => {
    const e = await endpoint((_, res) => json(res, 200, { result: 'v1' }));
    server = e.server;
    const requester = nodeRequester({ url: `${e.url}/`, token: 'tok', timeoutMs: 1_000 });
    await expect(requester.request({ body: ['GET', 'k'] })).resolves.toEqual({ result: 'v1' });
    expect(e.seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/',
        body: ['GET', 'k'],
        headers: expect.objectContaining({
          authorization: 'Bearer tok',
          'content-type': 'application/json',
        }) as unknown,
      }),
    ]);
    // Plain JSON values: no base64 response encoding asked for.
    expect(e.seen[0]?.headers['upstash-encoding']).toBeUndefined();
  });

  it('sends pipelines to their path and keeps a base path of the URL', async () => {
    const e = await endpoint((_, res) => json(res, 200, [{ result: 1 }, { result: 'OK' }]));
    server = e.server;
    const requester = nodeRequester({ url: `${e.url}/prefix`, token: 't', timeoutMs: 1_000 });
    await expect(
      requester.request({ path: ['pipeline'], body: [['INCR', 'a'], ['SET', 'b', 'c']] }),
    ).resolves.toEqual([{ result: 1 }, { result: 'OK' }]);
    expect(e.seen[0]?.url).toBe('/prefix/pipeline');
  });

  it('carries the real SDK (the client getRedis builds): auto-pipelined commands of one tick share one round trip', async () => {
    const e = await endpoint((seen, res) =>
      json(
        res,
        200,
        (seen.body as unknown[][]).map((command) => ({ result: `${String(command[1])}!` })),
      ),
    );
    server = e.server;
    const redis = createClient(e.url, 't', 1_000);
    const [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);
    expect([a, b]).toEqual(['a!', 'b!']);
    expect(e.seen).toHaveLength(1);
    expect(e.seen[0]?.url).toBe('/pipeline');
  });

  it('rejects a non-2xx answer with its status and the endpoint error', async () => {
    const e = await endpoint((_, res) => json(res, 401, { error: 'Unauthorized' }));
    server = e.server;
    const requester = nodeRequester({ url: e.url, token: 'bad', timeoutMs: 1_000 });
    const failure = requester.request({ body: ['GET', 'k'] });
    await expect(failure).rejects.toBeInstanceOf(UpstashHttpError);
    await expect(failure).rejects.toMatchObject({ status: 401, message: /Unauthorized/ });
  });

  it('rejects a body that is not JSON', async () => {
    const e = await endpoint((_, res) => {
      res.writeHead(502);
      res.end('<html>bad gateway</html>');
    });
    server = e.server;
    const requester = nodeRequester({ url: e.url, token: 't', timeoutMs: 1_000 });
    await expect(requester.request({ body: ['GET', 'k'] })).rejects.toMatchObject({
      status: 502,
      message: /not JSON/,
    });
  });

  it('aborts a round trip that outlives its deadline', async () => {
    const e = await endpoint(() => undefined); // never answers
    server = e.server;
    const requester = nodeRequester({ url: e.url, token: 't', timeoutMs: 50 });
    const started = Date.now();
    await expect(requester.request({ body: ['GET', 'k'] })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    server.closeAllConnections();
  });

  it('does not count a stall of this process against the deadline (a fresh instance loading an SDK)', async () => {
    const e = await endpoint((_, res) => json(res, 200, { result: 'v1' }));
    server = e.server;
    const requester = nodeRequester({ url: e.url, token: 't', timeoutMs: 100 });
    const answer = requester.request({ body: ['GET', 'k'] });
    stall(200); // the request is not even sent before the loop is free again
    await expect(answer).resolves.toEqual({ result: 'v1' });
  });

  it('still aborts a round trip that hangs after a stall', async () => {
    const e = await endpoint(() => undefined); // never answers
    server = e.server;
    const requester = nodeRequester({ url: e.url, token: 't', timeoutMs: 50 });
    const answer = requester.request({ body: ['GET', 'k'] });
    stall(200);
    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
    server.closeAllConnections();
  });

  it('rejects when nothing listens', async () => {
    const e = await endpoint(() => undefined);
    await new Promise((done) => e.server.close(done));
    const requester = nodeRequester({ url: e.url, token: 't', timeoutMs: 1_000 });
    await expect(requester.request({ body: ['GET', 'k'] })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

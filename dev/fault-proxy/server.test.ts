/**
 * The fault proxy against an echo server: bytes pass in `ok`, connections are reset in `down`,
 * nothing comes back in `hang`, and `ok` again works for new connections.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFaultProxy, type FaultProxy } from './server.ts';

let echo: Server;
let proxy: FaultProxy;
const open = new Set<Socket>();

before(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => undefined); // resets are the point here
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({
    target: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port },
  });
});
afterEach(() => {
  proxy.setFault('ok');
  for (const socket of open) socket.destroy();
  open.clear();
});
after(async () => {
  await proxy.stop();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

async function client(): Promise<Socket> {
  const [host, port] = proxy.hostPort.split(':') as [string, string];
  const socket = connect(Number(port), host);
  socket.on('error', () => undefined); // reported through roundTrip
  open.add(socket);
  // A reset may come before or after the connect event; either way the socket is returned.
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', () => resolve());
  });
  return socket;
}

/** Resolves when the socket closes (`once` would reject on the reset's error event). */
const closing = (socket: Socket) =>
  new Promise<void>((resolve) => socket.once('close', () => resolve()));

/** Sends `text` and resolves with what comes back within `ms`, or with the socket's error. */
async function roundTrip(socket: Socket, text: string, ms = 300): Promise<string | Error> {
  let received = '';
  const onData = (chunk: Buffer) => (received += chunk.toString());
  socket.on('data', onData);
  if (socket.destroyed) return new Error('closed');
  const failed = new Promise<Error>((resolve) => {
    socket.once('error', resolve);
    socket.once('close', () => resolve(new Error('closed')));
  });
  socket.write(text);
  const outcome = await Promise.race([
    failed,
    (async () => {
      const deadline = Date.now() + ms;
      while (received.length < text.length && Date.now() < deadline) await sleep(5);
      return received;
    })(),
  ]);
  socket.off('data', onData);
  return outcome;
}

describe('fault proxy', () => {
  it('passes bytes both ways in ok', async () => {
    assert.equal(await roundTrip(await client(), 'hello'), 'hello');
  });

  it('down resets open connections and every new one; ok works again', async () => {
    const socket = await client();
    assert.equal(await roundTrip(socket, 'a'), 'a');
    const closed = closing(socket);
    proxy.setFault('down');
    await closed;
    const refused = await roundTrip(await client(), 'b');
    assert.ok(refused instanceof Error, `expected a reset, got ${String(refused)}`);
    proxy.setFault('ok');
    assert.equal(await roundTrip(await client(), 'c'), 'c');
  });

  it('hang passes nothing on open or new connections; ok resets them and works again', async () => {
    const held = await client();
    assert.equal(await roundTrip(held, 'x'), 'x');
    proxy.setFault('hang');
    assert.equal(await roundTrip(held, 'y'), '');
    assert.equal(await roundTrip(await client(), 'z'), '');
    const closed = closing(held);
    proxy.setFault('ok');
    await closed;
    assert.equal(await roundTrip(await client(), 'w'), 'w');
  });

  it('is controlled over HTTP, and rejects an unknown mode', async () => {
    const post = (body: string) => fetch(`${proxy.controlUrl}/__fault`, { method: 'POST', body });
    assert.equal((await post('{"mode":"hang"}')).status, 200);
    assert.equal(proxy.mode(), 'hang');
    assert.equal((await post('{"mode":"sideways"}')).status, 400);
    assert.equal((await post('not json')).status, 400);
    const state = (await (await fetch(`${proxy.controlUrl}/__fault`)).json()) as {
      mode: string;
    };
    assert.equal(state.mode, 'hang');
    assert.equal((await post('{"mode":"ok"}')).status, 200);
  });
});

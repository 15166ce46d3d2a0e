import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { SseRelay, SseWriter } from './sse';

/** A writable stand-in with the two ServerResponse properties SseWriter reads. */
function fakeResponse() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { res: stream as unknown as ServerResponse, text: () => text, end: () => stream.end() };
}

describe('SseWriter', () => {
  it('writes named events with JSON data, and comment pings', async () => {
    const { res, text } = fakeResponse();
    const events = new SseWriter(res);
    events.send('delta', { text: 'Hej "du"\nrad två' });
    events.ping();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('event: delta\ndata: {"text":"Hej \\"du\\"\\nrad två"}\n\n: ping\n\n');
  });

  it('writes nothing once the response has ended', async () => {
    const { res, text, end } = fakeResponse();
    const events = new SseWriter(res);
    end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.open).toBe(false);
    events.send('delta', { text: 'late' });
    expect(text()).toBe('');
  });
});

describe('SseWriter.keepAlive', () => {
  afterEach(() => jest.useRealTimers());

  it('pings only while nothing else is written, and stops when told', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    const { res, text } = fakeResponse();
    const events = new SseWriter(res);
    const stop = events.keepAlive(1_000);
    jest.advanceTimersByTime(999);
    events.send('delta', { text: 'a' });
    jest.advanceTimersByTime(999);
    await flush();
    expect(text()).toBe('event: delta\ndata: {"text":"a"}\n\n');
    jest.advanceTimersByTime(1);
    jest.advanceTimersByTime(1_000);
    await flush();
    expect(text()).toBe('event: delta\ndata: {"text":"a"}\n\n: ping\n\n: ping\n\n');
    stop();
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(text().match(/: ping/g)).toHaveLength(2);
  });
});

describe('SseRelay', () => {
  it('holds events until a writer is attached, then forwards them in order', async () => {
    const { res, text } = fakeResponse();
    const relay = new SseRelay();
    let first = false;
    void relay.firstEvent.then(() => (first = true));
    relay.send('session', { id: 1 });
    await Promise.resolve();
    expect(first).toBe(true);
    relay.send('delta', { text: 'a' });
    relay.attach(new SseWriter(res));
    relay.send('delta', { text: 'b' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe(
      'event: session\ndata: {"id":1}\n\nevent: delta\ndata: {"text":"a"}\n\nevent: delta\ndata: {"text":"b"}\n\n',
    );
  });
});

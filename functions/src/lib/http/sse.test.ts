import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { SseWriter } from './sse';

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

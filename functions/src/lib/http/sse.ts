import type { ServerResponse } from 'node:http';

/** Writes server-sent events to a response that has already sent its headers. */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  /** Whether the client is still connected. */
  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Sends one event with a JSON payload. */
  send(event: string, data: unknown): void {
    if (!this.open) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps intermediaries from timing the stream out. */
  ping(): void {
    if (this.open) this.res.write(': ping\n\n');
  }
}

import type { ServerResponse } from 'node:http';

/** Writes server-sent events to a response that has already sent its headers. */
export class SseWriter {
  private keepAliveMs = 0;
  private keepAliveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly res: ServerResponse) {}

  /** Whether the client is still connected. */
  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Sends one event with a JSON payload. */
  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps intermediaries from timing the stream out. */
  ping(): void {
    this.write(': ping\n\n');
  }

  /**
   * Sends a ping whenever nothing was written for `ms` (a silent model must not look like a dead
   * connection to proxies or to the client). Returns the function that stops it.
   */
  keepAlive(ms: number): () => void {
    this.keepAliveMs = ms;
    this.armKeepAlive();
    return () => {
      this.keepAliveMs = 0;
      clearTimeout(this.keepAliveTimer);
    };
  }

  private write(text: string): void {
    if (!this.open) return;
    this.res.write(text);
    this.armKeepAlive();
  }

  private armKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    if (this.keepAliveMs <= 0 || !this.open) return;
    this.keepAliveTimer = setTimeout(() => this.ping(), this.keepAliveMs);
  }
}

/**
 * Holds the events a producer sends before a response exists to write them to (e.g. while the
 * handler still decides between a JSON error and a stream), then forwards them as they come.
 */
export class SseRelay {
  private buffered: [string, unknown][] = [];
  private writer: SseWriter | undefined;
  private markFirst: () => void = () => undefined;
  /** Resolves when the first event is sent. */
  readonly firstEvent = new Promise<void>((resolve) => (this.markFirst = resolve));

  send(event: string, data: unknown): void {
    this.markFirst();
    if (this.writer) this.writer.send(event, data);
    else this.buffered.push([event, data]);
  }

  /** Writes what was held back, then forwards every later event to `writer`. */
  attach(writer: SseWriter): void {
    for (const [event, data] of this.buffered) writer.send(event, data);
    this.buffered = [];
    this.writer = writer;
  }
}

/**
 * Helpers of the chat tests: aiChat and aiHistory over HTTP, and aiChat's event stream read with
 * a real SSE client library (eventsource-parser), as a browser or app would read it.
 */
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { callFunction, functionsUrl, type CallResult } from './support/api';
import { rememberSensitive } from './support/privacy';
import type { TestUser } from './support/auth';

export interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: string;
  replyTo?: string;
  interrupted?: true;
}

export interface Exchange {
  sessionId: string;
  userMessage: Message;
  reply: Message;
  source: 'ai' | 'fallback' | 'safety';
  safety: {
    level: 'none' | 'elevated' | 'crisis';
    resources: { name: string; phone?: string; url?: string }[];
  };
}

export interface ChatBody {
  message: string;
  sessionId?: string;
  lang?: 'en' | 'sv';
}

export function chat(
  user: TestUser,
  body: ChatBody | string,
  headers: Record<string, string> = {},
): Promise<CallResult<Exchange>> {
  return callFunction<Exchange>('aiChat', { token: user.token, body, headers });
}

export function history(
  user: TestUser,
  query: Record<string, string | number | undefined> = {},
): Promise<CallResult> {
  return callFunction('aiHistory', { token: user.token, query });
}

export function deleteSession(user: TestUser, sessionId: string): Promise<CallResult> {
  return callFunction('aiHistory', { token: user.token, method: 'DELETE', query: { sessionId } });
}

/** Every message of a session, walking the history pages from the newest back. */
export async function allMessages(
  user: TestUser,
  sessionId: string,
  limit = 100,
): Promise<Message[]> {
  const pages: Message[][] = [];
  let cursor: string | undefined;
  do {
    const res = await history(user, { sessionId, limit, cursor });
    expect(res.status).toBe(200);
    pages.unshift(res.body.messages as Message[]);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return pages.flat();
}

export interface ReceivedEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are read freely
  data: any;
  /** performance.now() when the event was parsed. */
  at: number;
}

export interface StreamedChat {
  status: number;
  headers: Headers;
  events: ReceivedEvent[];
  /** SSE comment lines (heartbeats) received. */
  comments: number;
  /** A JSON body, when the answer was not a stream (errors). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- error bodies are read freely
  body?: any;
  /** True when `disconnectAfter` closed the connection. */
  disconnected: boolean;
}

/**
 * Sends a message with `Accept: text/event-stream` and reads the events until the stream ends,
 * or until `disconnectAfter` returns true for an event (then the connection is dropped, as a
 * phone losing its network would).
 */
export async function streamChat(
  user: TestUser,
  body: ChatBody,
  options: {
    headers?: Record<string, string>;
    disconnectAfter?: (event: ReceivedEvent, events: ReceivedEvent[]) => boolean;
  } = {},
): Promise<StreamedChat> {
  const abort = new AbortController();
  rememberSensitive(user.token, body.message);
  const res = await fetch(`${functionsUrl()}/aiChat`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${user.token}`,
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      ...options.headers,
    },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const result: StreamedChat = {
    status: res.status,
    headers: res.headers,
    events: [],
    comments: 0,
    disconnected: false,
  };
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    result.body = await res.json();
    return result;
  }
  const parser = createParser({
    onEvent: (message) => {
      const event: ReceivedEvent = {
        event: message.event ?? 'message',
        data: JSON.parse(message.data),
        at: performance.now(),
      };
      result.events.push(event);
      if (!result.disconnected && options.disconnectAfter?.(event, result.events)) {
        result.disconnected = true;
        abort.abort();
      }
    },
    onComment: () => {
      result.comments++;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (result.disconnected) break;
    }
  } catch (error) {
    if (!result.disconnected) throw error;
  }
  return result;
}

/** The concatenated `delta` texts of a stream. */
export function streamedText(stream: StreamedChat): string {
  return stream.events
    .filter((e) => e.event === 'delta')
    .map((e) => e.data.text as string)
    .join('');
}

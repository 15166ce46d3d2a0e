import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { preferredLanguage } from '../lib/http/language';
import { language, resourceId, userText } from '../lib/http/schemas';
import { SseRelay } from '../lib/http/sse';
import { idempotencyKeyOf, requestFingerprint, runOnce } from '../lib/idempotency';
import type { ChatExchange } from '../domain/chat';
import { ANSWER_DEADLINE_MS, NO_EVENTS, runChatExchange } from '../data/chat-exchange';

/** A comment line when nothing was sent for this long (a model thinking, or hung). */
const HEARTBEAT_MS = 2_000;
/** A concurrent retry waits for the first request's reply (it may take the model's deadline). */
const IDEMPOTENCY = { waitMs: ANSWER_DEADLINE_MS + 15_000, leaseMs: 2 * 60_000 };

const aiChatBody = z.strictObject({
  message: userText({ min: 1, max: 4000, multiline: true }),
  sessionId: resourceId.optional(),
  lang: language.optional(),
});

function wantsEventStream(headers: IncomingHttpHeaders): boolean {
  return /\btext\/event-stream\b/i.test(headers.accept ?? '');
}

export const aiChat = defineEndpoint({
  name: 'aiChat',
  auth: 'user',
  rateLimit: 'aiChat',
  secrets: [OPENAI_API_KEY],
  timeoutSeconds: 120,
  methods: {
    POST: method({
      body: aiChatBody,
      handler: async ({ uid, body, headers, signal, annotate }) => {
        const key = idempotencyKeyOf(headers);
        const relay = wantsEventStream(headers) ? new SseRelay() : undefined;
        const exchange = runOnce<ChatExchange>(
          {
            uid,
            operation: 'aiChat',
            key,
            fingerprint: requestFingerprint({
              message: body.message,
              sessionId: body.sessionId ?? null,
              lang: body.lang ?? null,
            }),
          },
          (claim) =>
            runChatExchange(
              {
                uid,
                message: body.message,
                ...(body.sessionId ? { sessionId: body.sessionId } : {}),
                lang: body.lang ?? preferredLanguage(headers),
                clientGone: signal,
                annotate,
              },
              relay
                ? {
                    session: (sessionId, userMessage) =>
                      relay.send('session', { sessionId, userMessage }),
                    delta: (text) => relay.send('delta', { text }),
                  }
                : NO_EVENTS,
              claim,
            ),
          IDEMPOTENCY,
        );
        const replayedHeaders = (replayed: boolean): Record<string, string> =>
          replayed ? { 'Idempotent-Replayed': 'true' } : {};

        if (!relay) {
          const { value, replayed } = await exchange;
          annotate({ replayed });
          return { headers: replayedHeaders(replayed), body: value };
        }
        // Until the session exists, a failure is a plain JSON error (404, 429, 503...); from
        // then on the stream is open, and a failure is its `error` event.
        const early = await Promise.race([relay.firstEvent.then(() => undefined), exchange]);
        annotate({ replayed: early?.replayed ?? false, stream: true });
        return {
          headers: replayedHeaders(early?.replayed ?? false),
          stream: async (events) => {
            const stopHeartbeat = events.keepAlive(HEARTBEAT_MS);
            try {
              relay.attach(events);
              const { value, replayed } = await exchange;
              if (replayed) {
                events.send('session', {
                  sessionId: value.sessionId,
                  userMessage: value.userMessage,
                });
                events.send('delta', { text: value.reply.content });
              }
              events.send('done', {
                reply: value.reply,
                source: value.source,
                safety: value.safety,
              });
            } finally {
              stopHeartbeat();
            }
          },
        };
      },
    }),
  },
});

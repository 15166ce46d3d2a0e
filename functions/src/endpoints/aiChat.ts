import type { IncomingHttpHeaders } from 'node:http';
import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { preferredLanguage } from '../lib/http/language';
import { language, resourceId, userText } from '../lib/http/schemas';
import { SseRelay } from '../lib/http/sse';
import {
  IDEMPOTENCY_KEY_SCHEMA,
  idempotencyKeyOf,
  requestFingerprint,
  runOnce,
} from '../lib/idempotency';
import { CHAT_MESSAGE_EXAMPLE, chatExchangeSchema } from './schemas/chat';
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

const REPLY_EXAMPLE = {
  id: 'Pq8sT3vW6xYz1aBc4dEf',
  role: 'assistant',
  content: "I'm sorry your day was rough. Do you want to tell me what happened?",
  createdAt: '2026-11-20T08:30:01.250Z',
  replyTo: CHAT_MESSAGE_EXAMPLE.id,
};

/** Requests one user may make an hour (the contract's default: 500). */
const RATE_LIMIT_PER_HOUR = defineInt('RATE_LIMIT_AICHAT_PER_HOUR', { default: 500 });

export const aiChat = defineEndpoint({
  name: 'aiChat',
  tag: 'chat',
  auth: 'user',
  rateLimit: { limit: RATE_LIMIT_PER_HOUR, window: 'hour' },
  secrets: [OPENAI_API_KEY],
  timeoutSeconds: 120,
  methods: {
    POST: method({
      body: aiChatBody,
      docs: {
        summary: 'Send a chat message',
        description:
          "Answers the token's user's message (in a new session without `sessionId`) and stores the message and its reply together, whole or not at all: every message its own record, in a strict order, each reply linked to its message (`replyTo`), so parallel sends lose nothing. A `sessionId` that does not exist or belongs to someone else is `404`. Every message is screened for risk of self-harm or suicide locally (Swedish and English) and, when configured, by the moderation model (best effort, short deadline). `crisis` is answered without the chat model: a supportive reply with crisis resources in the user's language, `source: \"safety\"`. `elevated` is answered by the model, with resources attached. The model gets 8 s to start answering, 8 s at most between two pieces of text and 45 s in all; on any failure the reply is (or ends with) a kind fallback in the user's language, `source: \"fallback\"`. With `Accept: text/event-stream` the exchange streams as server-sent events: `session` (`{sessionId, userMessage}`), `delta` (`{text}`) repeatedly, then `done` (`{reply, source, safety}`), with a `: ping` comment after 2 s of silence. Past the user's daily model-token budget: `429 quota_exceeded` until 00:00 UTC, nothing stored.",
        headers: {
          'Idempotency-Key': {
            schema: IDEMPOTENCY_KEY_SCHEMA,
            description:
              'Makes the send safe to retry: a repeat with the same key and body answers the stored exchange with `Idempotent-Replayed: true`, storing nothing and calling no model; the same key with another body is `409`. Concurrent repeats wait for the first. Kept at least 24 hours, per user.',
          },
          'Accept-Language': {
            schema: z.string(),
            description:
              'Language of fallback and safety replies and resources when `lang` is absent.',
          },
        },
        responses: {
          200: {
            description:
              'The exchange, as JSON (or, with `Accept: text/event-stream`, as server-sent events). A replay carries `Idempotent-Replayed: true`.',
            body: chatExchangeSchema,
            alsoEventStream: true,
            headers: {
              'Idempotent-Replayed': {
                required: false,
                description:
                  'This answer replays an exchange stored under the same `Idempotency-Key`.',
                schema: z.literal('true'),
              },
            },
            example: {
              sessionId: 'Sx7bN2kL9qWe4rTy6uIo',
              userMessage: CHAT_MESSAGE_EXAMPLE,
              reply: REPLY_EXAMPLE,
              source: 'ai',
              safety: { level: 'none', resources: [] },
            },
          },
        },
        errors: ['not_found', 'conflict', 'quota_exceeded'],
      },
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

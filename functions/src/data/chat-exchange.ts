/**
 * One chat exchange: a user message and its reply, screened, stored, answered by the model (or
 * by the safety screen, or by the fallback), stored again. Used by aiChat for JSON and streamed
 * answers alike; the caller sees progress through {@link ExchangeEvents}.
 *
 *  1. The local screen runs at once; the moderation model (short deadline), the daily token
 *     budget and the session's recent messages are read in parallel.
 *  2. `crisis`: the message and a supportive reply with crisis resources are stored together,
 *     without the chat model (and whatever the budget).
 *  3. Otherwise, past the budget: `429 quota_exceeded`, nothing stored. Else the user message
 *     is stored (the session exists from here on), the model streams its answer under
 *     deadlines, any failure ends the reply with the fallback text, and the reply is stored
 *     once, with the idempotency record in the same transaction.
 *
 * A client that goes away mid-reply loses nothing: the text so far is stored at once, marked
 * `interrupted`, and generation goes on; the finished reply then replaces it. Where the runtime
 * stops the instance's CPU after the request ended, the interrupted part is what stays.
 */
import { invalidateCache } from '../lib/cache/response-cache';
import { ApiError } from '../lib/http/errors';
import type { IdempotencyClaim } from '../lib/idempotency';
import { streamChatCompletion } from '../lib/llm/chat-stream';
import { llmClient } from '../lib/llm/client';
import { moderate } from '../lib/llm/moderation';
import { checkTokenBudget, type TokenBudget } from '../lib/llm/usage';
import type { Language } from '../lib/language';
import { mergeModeration, screenText, supportiveReply } from '../domain/safety';
import {
  buildModelMessages,
  chatSystemPrompt,
  CONTEXT_MAX_MESSAGES,
  fallbackContinuation,
  type ChatExchange,
  type ChatMessage,
  type ChatSafety,
  type ReplySource,
} from '../domain/chat';
import { appendMessages, finishReply, recentMessages } from './chat';

/** The model must start answering within this (SDK retries included)... */
export const FIRST_DELTA_TIMEOUT_MS = 8_000;
/** ...never fall silent for longer than this once it answers... */
export const IDLE_TIMEOUT_MS = 8_000;
/** ...and finish within this. */
export const ANSWER_DEADLINE_MS = 45_000;
/** Cap on a reply's tokens: a few warm paragraphs at most. */
export const MAX_REPLY_TOKENS = 600;

export interface ExchangeInput {
  uid: string;
  /** Trimmed, 1-4000 characters. */
  message: string;
  /** Absent: a new session. */
  sessionId?: string;
  lang: Language;
  /** Aborted when the client disconnects: the reply is kept (see the module comment). */
  clientGone: AbortSignal;
  /** Adds infrastructure facts to the request's log line (never text). */
  annotate(fields: Record<string, unknown>): void;
}

/** Progress of an exchange, for a streaming caller. */
export interface ExchangeEvents {
  /** The user message is stored: the session exists. */
  session(sessionId: string, userMessage: ChatMessage): void;
  /** More reply text; the pieces concatenated are the stored reply. */
  delta(text: string): void;
}

export const NO_EVENTS: ExchangeEvents = { session: () => undefined, delta: () => undefined };

function quotaExceeded(budget: TokenBudget): ApiError {
  return new ApiError('quota_exceeded', "Today's AI budget is used up. It resets at 00:00 UTC.", {
    headers: { 'Retry-After': String(budget.resetsInSeconds) },
  });
}

/** Runs one exchange; see the module comment. Throws `404`, `429 quota_exceeded` or `503`. */
export async function runChatExchange(
  input: ExchangeInput,
  events: ExchangeEvents,
  claim: IdempotencyClaim<ChatExchange>,
): Promise<ChatExchange> {
  const { uid, message, lang } = input;
  const local = screenText(message, lang);
  const crisisLocally = local.level === 'crisis';
  // Loading the SDK (~110 ms on a fresh instance) overlaps the reads below.
  if (!crisisLocally) llmClient().catch(() => undefined);
  const [moderation, budget, history] = await Promise.all([
    crisisLocally ? null : moderate(message),
    crisisLocally ? undefined : checkTokenBudget(uid),
    input.sessionId && !crisisLocally
      ? recentMessages(uid, input.sessionId, CONTEXT_MAX_MESSAGES)
      : [],
  ]);
  const screened = mergeModeration(local, moderation, lang);
  const safety: ChatSafety = { level: screened.level, resources: screened.resources };
  input.annotate({ safetyLevel: safety.level, moderation: moderation !== null });

  if (safety.level === 'crisis') {
    const reply = supportiveReply(lang);
    const exchangeOf = (stored: { sessionId: string; messages: ChatMessage[] }): ChatExchange => ({
      sessionId: stored.sessionId,
      userMessage: stored.messages[0] as ChatMessage,
      reply: stored.messages[1] as ChatMessage,
      source: 'safety',
      safety,
    });
    const stored = await appendMessages(
      uid,
      input.sessionId,
      [
        { role: 'user', content: message, safetyLevel: 'crisis' },
        { role: 'assistant', content: reply, source: 'safety', replyTo: { draft: 0 } },
      ],
      (tx, appended) => claim.completeIn(tx, exchangeOf(appended)),
    );
    const exchange = exchangeOf(stored);
    events.session(exchange.sessionId, exchange.userMessage);
    events.delta(reply);
    await invalidateCache(uid, ['chat']);
    input.annotate({ source: 'safety' });
    return exchange;
  }

  if (budget?.exhausted) throw quotaExceeded(budget);

  const appended = await appendMessages(uid, input.sessionId, [
    { role: 'user', content: message, safetyLevel: safety.level },
  ]);
  const sessionId = appended.sessionId;
  const userMessage = appended.messages[0] as ChatMessage;
  events.session(sessionId, userMessage);
  // The stored message is visible to the next read while the model is still answering.
  const invalidatedForMessage = invalidateCache(uid, ['chat']);

  let partial = '';
  let interruptedReply: Promise<ChatMessage | undefined> | undefined;
  const keepPartial = () => {
    interruptedReply ??= appendMessages(uid, sessionId, [
      {
        role: 'assistant',
        content: partial,
        source: 'ai',
        replyTo: userMessage.id,
        interrupted: true,
      },
    ]).then(
      async (stored) => {
        await invalidateCache(uid, ['chat']);
        return stored.messages[0];
      },
      () => undefined,
    );
  };
  if (input.clientGone.aborted) keepPartial();
  else input.clientGone.addEventListener('abort', keepPartial, { once: true });

  const result = await streamChatCompletion(
    {
      uid,
      purpose: 'chat',
      messages: buildModelMessages(chatSystemPrompt(lang, safety.level), [
        ...history,
        { role: 'user', content: message },
      ]),
      firstDeltaTimeoutMs: FIRST_DELTA_TIMEOUT_MS,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      deadlineMs: ANSWER_DEADLINE_MS,
      maxOutputTokens: MAX_REPLY_TOKENS,
    },
    (piece) => {
      partial += piece;
      events.delta(piece);
    },
  );
  input.clientGone.removeEventListener('abort', keepPartial);

  let content = partial;
  let source: ReplySource = 'ai';
  if (!result.ok) {
    const ending = fallbackContinuation(partial, lang);
    events.delta(ending);
    content = partial + ending;
    source = 'fallback';
  }
  const exchangeOf = (reply: ChatMessage): ChatExchange => ({
    sessionId,
    userMessage,
    reply,
    source,
    safety,
  });
  const kept = interruptedReply ? await interruptedReply : undefined;
  const reply = kept
    ? await finishReply(uid, sessionId, kept.id, { content, source }, (tx, finished) =>
        claim.completeIn(tx, exchangeOf(finished)),
      )
    : ((
        await appendMessages(
          uid,
          sessionId,
          [{ role: 'assistant', content, source, replyTo: userMessage.id }],
          (tx, stored) => claim.completeIn(tx, exchangeOf(stored.messages[0] as ChatMessage)),
        )
      ).messages[0] as ChatMessage);
  await Promise.all([invalidatedForMessage, invalidateCache(uid, ['chat'])]);
  input.annotate({
    source,
    interrupted: interruptedReply !== undefined,
    tokens: result.usage.totalTokens,
    ...(result.ok ? {} : { fallbackReason: result.reason }),
  });
  return exchangeOf(reply);
}

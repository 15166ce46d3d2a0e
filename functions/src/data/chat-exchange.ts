/**
 * One chat exchange: a user message and its reply, screened, stored, answered by the model (or
 * by the safety screen, or by the fallback), stored again. Used by aiChat for JSON and streamed
 * answers alike; the caller sees progress through {@link ExchangeEvents}.
 *
 *  1. The local screen runs at once; the moderation model (short deadline), the daily token
 *     budget and the session's recent messages are read in parallel.
 *  2. `crisis`: the message and a supportive reply with crisis resources are stored together,
 *     without the chat model (and whatever the budget).
 *  3. Otherwise, past the budget: `429 quota_exceeded`, nothing stored. Else the session and
 *     the user message get their ids (announced to a streaming client at once), the model
 *     streams its answer under deadlines, any failure ends the reply with the fallback text, and
 *     the user message and the reply are stored together in one transaction, with the
 *     idempotency record: an exchange is stored whole or not at all (Firestore failing at the
 *     end leaves nothing behind, and a retry starts clean).
 *
 * A client that goes away mid-reply loses nothing: the message and the reply so far are stored
 * at once, the reply marked `interrupted`, and generation goes on; the finished reply then
 * replaces it. Where the runtime stops the instance's CPU after the request ended, the
 * interrupted part is what stays.
 */
import { invalidateCache } from '../lib/cache/response-cache';
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
import { QuotaExceededError } from './errors';
import {
  appendMessages,
  finishReply,
  planExchange,
  recentMessages,
  type MessageDraft,
} from './chat';

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
  /** The exchange is named: its session and user message (stored with the reply, not yet). */
  session(sessionId: string, userMessage: ChatMessage): void;
  /** More reply text; the pieces concatenated are the stored reply. */
  delta(text: string): void;
}

export const NO_EVENTS: ExchangeEvents = { session: () => undefined, delta: () => undefined };

function quotaExceeded(budget: TokenBudget): QuotaExceededError {
  return new QuotaExceededError(
    "Today's AI budget is used up. It resets at 00:00 UTC.",
    budget.resetsInSeconds,
  );
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
  const arrivedAt = Date.now();
  const [moderation, budget, history, planned] = await Promise.all([
    crisisLocally ? null : moderate(message),
    crisisLocally ? undefined : checkTokenBudget(uid),
    input.sessionId && !crisisLocally
      ? recentMessages(uid, input.sessionId, CONTEXT_MAX_MESSAGES)
      : [],
    // The ids of a model exchange (the session checked), chosen before anything is stored.
    crisisLocally ? undefined : planExchange(uid, input.sessionId),
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
  if (!planned) throw new Error('a model exchange is always planned'); // crisisLocally returned

  // Nothing is stored until the reply is (all or nothing), but the ids were chosen up front, so
  // the stream names the session and the message at once.
  const sessionId = planned.session.id;
  const userDraft: MessageDraft = {
    id: planned.userMessageId,
    arrivedAt,
    role: 'user',
    content: message,
    safetyLevel: safety.level,
  };
  events.session(sessionId, {
    id: planned.userMessageId,
    role: 'user',
    content: message,
    createdAt: new Date(arrivedAt).toISOString(),
  });

  let partial = '';
  let interruptedReply: Promise<ChatMessage[] | undefined> | undefined;
  const keepPartial = () => {
    interruptedReply ??= appendMessages(uid, planned.session, [
      userDraft,
      {
        role: 'assistant',
        content: partial,
        source: 'ai',
        replyTo: { draft: 0 },
        interrupted: true,
      },
    ]).then(
      async (stored) => {
        await invalidateCache(uid, ['chat']);
        return stored.messages;
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
  const exchangeOf = (userMessage: ChatMessage, reply: ChatMessage): ChatExchange => ({
    sessionId,
    userMessage,
    reply,
    source,
    safety,
  });
  const kept = interruptedReply ? await interruptedReply : undefined;
  let exchange: ChatExchange;
  if (kept) {
    const userMessage = kept[0] as ChatMessage;
    const reply = await finishReply(
      uid,
      sessionId,
      (kept[1] as ChatMessage).id,
      { content, source },
      (tx, finished) => claim.completeIn(tx, exchangeOf(userMessage, finished)),
    );
    exchange = exchangeOf(userMessage, reply);
  } else {
    const stored = await appendMessages(
      uid,
      planned.session,
      [userDraft, { role: 'assistant', content, source, replyTo: { draft: 0 } }],
      (tx, appended) =>
        claim.completeIn(
          tx,
          exchangeOf(appended.messages[0] as ChatMessage, appended.messages[1] as ChatMessage),
        ),
    );
    exchange = exchangeOf(stored.messages[0] as ChatMessage, stored.messages[1] as ChatMessage);
  }
  await invalidateCache(uid, ['chat']);
  input.annotate({
    source,
    interrupted: interruptedReply !== undefined,
    tokens: result.usage.totalTokens,
    ...(result.ok ? {} : { fallbackReason: result.reason }),
  });
  return exchange;
}

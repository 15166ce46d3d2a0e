/**
 * The one way Stilla asks a model for free text: a streamed chat completion whose deltas are
 * handed to the caller as they arrive, under three deadlines (the first delta, the silence
 * between deltas, the whole answer), counted against the user's daily token budget from the
 * usage the API reports at the end of the stream (`stream_options.include_usage`). It never
 * throws: every way it can go wrong is an {@link LlmFailure} carrying the text received so far.
 *
 * The daily budget is not checked here: a caller that must refuse before doing anything else
 * (aiChat answers `429` before it stores the message) checks it itself with `checkTokenBudget`.
 */
import { performance } from 'node:perf_hooks';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { logger } from '../log/logger';
import { DeadlineExceededError } from '../util/deadline';
import { llmClient, llmModel, type LlmClient } from './client';
import { classifyLlmError, type LlmFailure, type LlmFailureReason, type LlmSuccess } from './result';
import { estimateMessageTokens, estimateTokens } from './tokens';
import { recordTokenUsage } from './usage';

export interface ChatStreamRequest {
  /** The user whose daily usage counter is added to. */
  uid: string;
  /** What the call is for, in logs (e.g. `chat`). */
  purpose: string;
  messages: ChatCompletionMessageParam[];
  /** Time until the first content delta, SDK retries of the request included. */
  firstDeltaTimeoutMs: number;
  /** Longest silence between two content deltas once the answer flows. */
  idleTimeoutMs: number;
  /** Time for the whole answer. */
  deadlineMs: number;
  /** `max_completion_tokens`. */
  maxOutputTokens: number;
  /** SDK retries after 429, 5xx and connection errors, before the stream starts. Default 1. */
  maxRetries?: number;
  /** The caller's own signal: aborts with `cancelled`. */
  signal?: AbortSignal;
}

export type ChatStreamSuccess = LlmSuccess<string> & {
  /** `stop`, or `length` when the answer reached `maxOutputTokens`. */
  finishReason: string;
};
export type ChatStreamFailure = LlmFailure & {
  /** The text received before the failure (possibly empty); already handed to `onDelta`. */
  partial: string;
};
export type ChatStreamResult = ChatStreamSuccess | ChatStreamFailure;

/** What {@link streamChatCompletion} needs from the outside world; replaced in tests. */
export interface ChatStreamDependencies {
  client(): Promise<LlmClient | undefined>;
  model(): string;
  recordUsage(uid: string, totalTokens: number): Promise<unknown>;
}

const defaultDependencies: ChatStreamDependencies = {
  client: llmClient,
  model: llmModel,
  recordUsage: (uid, tokens) => recordTokenUsage(uid, tokens),
};

/** Rejects with the signal's reason as soon as it aborts, whatever `promise` does. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function contentText(message: ChatCompletionMessageParam): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => ('text' in part ? part.text : '')).join('');
}

/**
 * Streams the model's answer to `messages`, calling `onDelta` with each piece of text as soon as
 * it arrives (the pieces concatenated are the result's text).
 *
 * Failures: `not_configured` without a key; `timeout` when no delta came within
 * `firstDeltaTimeoutMs`, the model fell silent for `idleTimeoutMs`, or `deadlineMs` passed;
 * `rate_limited` / `server_error` when every attempt failed before the stream began or the
 * stream broke off; `malformed` for a refusal, a content-filter stop or an empty answer;
 * `cancelled` when `signal` aborted; `error` otherwise. Tokens count from the usage the API
 * reports; a stream that broke before reporting it is counted by estimate (prompt + text
 * received), so an answer cut short is not free.
 */
export async function streamChatCompletion(
  request: ChatStreamRequest,
  onDelta: (text: string) => void,
  dependencies: Partial<ChatStreamDependencies> = {},
): Promise<ChatStreamResult> {
  const deps = { ...defaultDependencies, ...dependencies };
  const model = deps.model();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const expire = (what: string, ms: number) =>
    deadline.abort(new DeadlineExceededError(`model ${request.purpose} ${what}`, ms));
  const totalTimer = setTimeout(() => expire('answer', request.deadlineMs), request.deadlineMs);
  let silenceTimer: NodeJS.Timeout | undefined;
  const expectDeltaWithin = (ms: number, what: string) => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => expire(what, ms), ms);
  };
  expectDeltaWithin(request.firstDeltaTimeoutMs, 'first delta');
  const signal = request.signal
    ? AbortSignal.any([deadline.signal, request.signal])
    : deadline.signal;

  let text = '';
  let streamOpened = false;
  let reportedTokens: number | undefined;
  let firstDeltaMs: number | undefined;
  let sdk: LlmClient['sdk'] | undefined;

  const spentTokens = (): number => {
    if (reportedTokens !== undefined) return reportedTokens;
    if (!streamOpened) return 0;
    return (
      request.messages.reduce((sum, m) => sum + estimateMessageTokens(contentText(m)), 0) +
      estimateTokens(text)
    );
  };
  const finish = async <R extends ChatStreamResult>(result: R): Promise<R> => {
    clearTimeout(totalTimer);
    clearTimeout(silenceTimer);
    const tokens = result.usage.totalTokens;
    // Spent tokens count even when the answer was unusable; a failed count never fails the call.
    if (tokens > 0) await deps.recordUsage(request.uid, tokens).catch(() => undefined);
    const line = {
      purpose: request.purpose,
      model,
      ok: result.ok,
      ...(result.ok ? {} : { reason: result.reason, detail: result.detail }),
      tokens,
      tokensReported: reportedTokens !== undefined,
      firstDeltaMs,
      latencyMs: result.latencyMs,
    };
    if (result.ok) logger.info('llm stream', line);
    else logger.warn('llm stream failed', line);
    return result;
  };
  const fail = (reason: LlmFailureReason, detail: string): Promise<ChatStreamFailure> =>
    finish({
      ok: false,
      reason,
      detail,
      partial: text,
      usage: { totalTokens: spentTokens() },
      rounds: 1,
      latencyMs: elapsed(),
    });

  try {
    const client = await untilAborted(deps.client(), signal);
    if (!client) return await fail('not_configured', 'OPENAI_API_KEY is not set');
    sdk = client.sdk;
    const stream = await untilAborted(
      client.openai.chat.completions.create(
        {
          model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          max_completion_tokens: request.maxOutputTokens,
        },
        { signal, maxRetries: request.maxRetries ?? 1, timeout: request.firstDeltaTimeoutMs },
      ),
      signal,
    );
    streamOpened = true;
    let finishReason: string | null = null;
    let refused = false;
    const chunks = stream[Symbol.asyncIterator]();
    for (;;) {
      // Raced with the signal: a stream that hangs between chunks must not hang us.
      const next = await untilAborted(chunks.next(), signal);
      if (next.done) break;
      const chunk = next.value;
      const total = chunk.usage?.total_tokens;
      if (typeof total === 'number' && Number.isFinite(total) && total > 0) reportedTokens = total;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.refusal) refused = true;
      const piece = choice.delta?.content;
      if (typeof piece === 'string' && piece.length > 0) {
        firstDeltaMs ??= elapsed();
        text += piece;
        expectDeltaWithin(request.idleTimeoutMs, 'next delta');
        onDelta(piece);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (refused) return await fail('malformed', 'the model refused');
    if (finishReason === 'content_filter') {
      return await fail('malformed', 'stopped by the content filter');
    }
    if (finishReason === null) return await fail('server_error', 'the stream ended early');
    if (text.trim() === '') return await fail('malformed', 'empty answer');
    return await finish({
      ok: true,
      value: text,
      finishReason,
      usage: { totalTokens: spentTokens() },
      rounds: 1,
      latencyMs: elapsed(),
    });
  } catch (error) {
    const { reason, detail } = classifyLlmError(error, sdk, {
      deadlineExpired: deadline.signal.aborted,
      cancelled: request.signal?.aborted ?? false,
    });
    // A stream that broke off mid-answer (the SDK throws a plain error then) is the server's.
    if (reason === 'error' && streamOpened) {
      return await fail('server_error', `the stream broke off (${detail})`);
    }
    return await fail(reason, detail);
  }
}

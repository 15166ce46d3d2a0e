/**
 * The one way Stilla asks a model for structured data: a chat completion with
 * `response_format: json_schema` (strict), validated with zod, under a deadline the caller
 * chooses, counted against the user's daily token budget. It never throws: every way it can go
 * wrong is an {@link LlmFailure} the caller turns into a fallback.
 */
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { logger } from '../log/logger';
import { DeadlineExceededError } from '../util/deadline';
import { DEFAULT_MAX_RETRIES, llmClient, llmModel, type LlmClient } from './client';
import {
  classifyLlmError,
  parseStructuredCompletion,
  type LlmFailure,
  type LlmFailureReason,
  type LlmResult,
} from './result';
import { checkTokenBudget, recordTokenUsage, type TokenBudget } from './usage';

/** Default cap on the answer's tokens. */
const DEFAULT_MAX_OUTPUT_TOKENS = 600;
/** A malformed answer is asked for again only if at least this much of the deadline is left. */
const MIN_TIME_FOR_ANOTHER_ROUND_MS = 400;

export interface StructuredRequest<T> {
  /** The user whose budget is checked and whose usage counter is added to. */
  uid: string;
  /** What the call is for, in logs (e.g. `weekly-insights`). */
  purpose: string;
  messages: ChatCompletionMessageParam[];
  /** Validates the parsed answer; its output is the result's value. */
  schema: z.ZodType<T>;
  /**
   * The JSON Schema sent as `response_format.json_schema.schema` with `strict: true`: every
   * property required, `additionalProperties: false`.
   */
  jsonSchema: Record<string, unknown>;
  /** `response_format.json_schema.name`: `[A-Za-z0-9_-]{1,64}`. */
  schemaName: string;
  /**
   * Time for everything, in ms: budget check, loading the SDK, every attempt and every retry.
   * When it passes, the result is `timeout` at once and the request in flight is aborted.
   */
  deadlineMs: number;
  /** The caller's own signal (e.g. the HTTP client disconnected): aborts with `cancelled`. */
  signal?: AbortSignal;
  /** Timeout of one HTTP attempt, in ms. Default: the whole deadline. */
  attemptTimeoutMs?: number;
  /** SDK retries after 429, 5xx and connection errors, inside the deadline. Default 2. */
  maxRetries?: number;
  /**
   * Further requests after an answer that is malformed (not JSON, wrong shape), made only while
   * enough of the deadline is left. Default 1: models are not deterministic, one bad answer
   * is often followed by a good one.
   */
  malformedRetries?: number;
  /** `max_completion_tokens`. Default {@link DEFAULT_MAX_OUTPUT_TOKENS}. */
  maxOutputTokens?: number;
  /** Sampling temperature; omitted by default (some models accept only their default). */
  temperature?: number;
  /** Check the daily token budget first. Default true; false when the caller just did. */
  checkBudget?: boolean;
}

/** What {@link completeStructured} needs from the outside world; replaced in tests. */
export interface LlmDependencies {
  client(): Promise<LlmClient | undefined>;
  model(): string;
  budget(uid: string): Promise<TokenBudget>;
  recordUsage(uid: string, totalTokens: number): Promise<unknown>;
}

const defaultDependencies: LlmDependencies = {
  client: llmClient,
  model: llmModel,
  budget: (uid) => checkTokenBudget(uid),
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

/**
 * Asks the model for a JSON answer that fits `schema`.
 *
 * Failures (see {@link LlmFailureReason}): `not_configured` without a key, `budget_exhausted`
 * past `AI_DAILY_TOKEN_BUDGET`, `timeout` when `deadlineMs` passes (retries included),
 * `rate_limited` / `server_error` when every retry failed, `malformed` when the answers did not
 * fit, `cancelled` when `signal` aborted, `error` otherwise. Tokens the provider reports are
 * added to the user's daily counter, for failed (malformed) answers too.
 */
export async function completeStructured<T>(
  request: StructuredRequest<T>,
  dependencies: Partial<LlmDependencies> = {},
): Promise<LlmResult<T>> {
  const deps = { ...defaultDependencies, ...dependencies };
  const model = deps.model();
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const deadline = new AbortController();
  const timer = setTimeout(
    () =>
      deadline.abort(
        new DeadlineExceededError(`model call ${request.purpose}`, request.deadlineMs),
      ),
    request.deadlineMs,
  );
  const signal = request.signal
    ? AbortSignal.any([deadline.signal, request.signal])
    : deadline.signal;
  let totalTokens = 0;
  let rounds = 0;
  let sdk: LlmClient['sdk'] | undefined;

  const finish = async (result: LlmResult<T>): Promise<LlmResult<T>> => {
    clearTimeout(timer);
    if (totalTokens > 0) {
      // Spent tokens count even when the answer was unusable; a failed count never fails the call.
      await deps.recordUsage(request.uid, totalTokens).catch(() => undefined);
    }
    const line = {
      purpose: request.purpose,
      model,
      ok: result.ok,
      ...(result.ok ? {} : { reason: result.reason, detail: result.detail }),
      rounds,
      tokens: totalTokens,
      latencyMs: result.latencyMs,
    };
    if (result.ok) logger.info('llm call', line);
    else logger.warn('llm call failed', line);
    return result;
  };
  const fail = (reason: LlmFailureReason, detail: string): Promise<LlmResult<T>> => {
    const failure: LlmFailure = {
      ok: false,
      reason,
      detail,
      usage: { totalTokens },
      rounds,
      latencyMs: Math.round(elapsed()),
    };
    return finish(failure);
  };
  const failFromError = (error: unknown): Promise<LlmResult<T>> => {
    const { reason, detail } = classifyLlmError(error, sdk, {
      deadlineExpired: deadline.signal.aborted,
      cancelled: request.signal?.aborted ?? false,
    });
    return fail(reason, detail);
  };

  try {
    const [client, budget] = await untilAborted(
      Promise.all([
        deps.client(),
        request.checkBudget === false ? undefined : deps.budget(request.uid),
      ]),
      signal,
    );
    if (!client) return await fail('not_configured', 'OPENAI_API_KEY is not set');
    sdk = client.sdk;
    if (budget?.exhausted) {
      return await fail('budget_exhausted', `${budget.used} of ${budget.limit} tokens used`);
    }

    const malformedRetries = request.malformedRetries ?? 1;
    let lastMalformed = 'no answer';
    while (rounds <= malformedRetries) {
      const remaining = request.deadlineMs - elapsed();
      if (rounds > 0 && remaining < MIN_TIME_FOR_ANOTHER_ROUND_MS) break;
      rounds++;
      const completion = await untilAborted(
        client.openai.chat.completions.create(
          {
            model,
            messages: request.messages,
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.schemaName, strict: true, schema: request.jsonSchema },
            },
            max_completion_tokens: request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          {
            signal,
            timeout: Math.max(
              1,
              Math.round(Math.min(request.attemptTimeoutMs ?? remaining, remaining)),
            ),
            maxRetries: request.maxRetries ?? DEFAULT_MAX_RETRIES,
          },
        ),
        signal,
      );
      const tokens = completion.usage?.total_tokens;
      if (typeof tokens === 'number' && Number.isFinite(tokens) && tokens > 0)
        totalTokens += tokens;
      const parsed = parseStructuredCompletion(completion, request.schema);
      if (parsed.ok) {
        return await finish({
          ok: true,
          value: parsed.value,
          usage: { totalTokens },
          rounds,
          latencyMs: Math.round(elapsed()),
        });
      }
      lastMalformed = parsed.detail;
    }
    return await fail('malformed', lastMalformed);
  } catch (error) {
    return await failFromError(error);
  }
}

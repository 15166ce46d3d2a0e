/**
 * What a model call gives its caller: a value, or a typed failure, never an exception. The
 * functions here are pure (no I/O) so that the mapping of every way a call can go wrong is
 * unit-tested on its own.
 */
import type { z } from 'zod';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { OpenAiSdk } from './client';

/**
 * Why a model call gave no usable answer:
 * - `not_configured`: no `OPENAI_API_KEY`;
 * - `timeout`: the caller's deadline passed (a hung or slow model, retries included);
 * - `rate_limited`: the provider answered 429 on every attempt;
 * - `server_error`: 5xx (or 408/409) on every attempt, or the server could not be reached;
 * - `malformed`: an answer that is not JSON, does not fit the schema, was cut off, or refused;
 * - `budget_exhausted`: the user has spent the daily token budget;
 * - `cancelled`: the caller's own signal was aborted (e.g. the client disconnected);
 * - `error`: anything else (a 4xx such as a wrong key or model, a bug).
 */
export type LlmFailureReason =
  | 'not_configured'
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'malformed'
  | 'budget_exhausted'
  | 'cancelled'
  | 'error';

/** Tokens a call spent, as the provider reported them (0 when it reported none). */
export interface LlmUsage {
  totalTokens: number;
}

export interface LlmSuccess<T> {
  ok: true;
  value: T;
  usage: LlmUsage;
  /** Requests for a valid answer (1, or 2 after one malformed answer), SDK retries not counted. */
  rounds: number;
  latencyMs: number;
}

export interface LlmFailure {
  ok: false;
  reason: LlmFailureReason;
  /** For logs: status, error class, schema path. Never prompt or answer text. */
  detail: string;
  usage: LlmUsage;
  rounds: number;
  latencyMs: number;
}

export type LlmResult<T> = LlmSuccess<T> | LlmFailure;

/** The outcome of reading one completion against a schema. */
export type ParsedCompletion<T> =
  { ok: true; value: T } | { ok: false; reason: 'malformed'; detail: string };

function malformed(detail: string): { ok: false; reason: 'malformed'; detail: string } {
  return { ok: false, reason: 'malformed', detail };
}

/**
 * Reads the first choice of a structured-output completion: it must have finished normally
 * (`stop`), not be a refusal, and its content must be JSON that `schema` accepts. Anything else
 * is `malformed`, with a detail that names what was wrong but quotes none of the content.
 */
export function parseStructuredCompletion<T>(
  completion: Pick<ChatCompletion, 'choices'> | null | undefined,
  schema: z.ZodType<T>,
): ParsedCompletion<T> {
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice || typeof choice !== 'object') return malformed('no choice in the completion');
  const message = choice.message as Partial<ChatCompletion.Choice['message']> | undefined;
  if (message?.refusal) return malformed('the model refused');
  if (choice.finish_reason === 'length') return malformed('cut off at the token limit');
  if (choice.finish_reason === 'content_filter') return malformed('stopped by the content filter');
  const content = message?.content;
  if (typeof content !== 'string' || content.trim() === '') return malformed('empty content');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return malformed('content is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return malformed(`content does not fit the schema at ${path}: ${issue?.code ?? 'invalid'}`);
  }
  return { ok: true, value: parsed.data };
}

/** The SDK's error classes that decide a failure's reason. */
export type SdkErrors = Pick<
  OpenAiSdk,
  'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError' | 'APIUserAbortError'
>;

/** What a call's signals said when it failed. */
export interface AbortState {
  /** The call's own deadline has passed. */
  deadlineExpired: boolean;
  /** The caller's signal (e.g. the HTTP client went away) was aborted. */
  cancelled: boolean;
}

/**
 * Maps an error thrown by a model call to a failure reason. The signals come first: once the
 * deadline or the caller has aborted, whatever the SDK threw is a consequence of that.
 */
export function classifyLlmError(
  error: unknown,
  sdk: SdkErrors | undefined,
  signals: AbortState,
): { reason: LlmFailureReason; detail: string } {
  const name = typeof error === 'object' && error !== null ? error.constructor.name : typeof error;
  if (signals.deadlineExpired) return { reason: 'timeout', detail: `deadline passed (${name})` };
  if (signals.cancelled) return { reason: 'cancelled', detail: `caller aborted (${name})` };
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return { reason: 'timeout', detail: 'attempt timeout on every attempt' };
  }
  if (sdk && error instanceof sdk.APIUserAbortError) {
    return { reason: 'cancelled', detail: 'aborted' };
  }
  if (sdk && error instanceof sdk.APIConnectionError) {
    return { reason: 'server_error', detail: 'connection failed on every attempt' };
  }
  if (sdk && error instanceof sdk.APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429)
      return { reason: 'rate_limited', detail: `HTTP 429 ${error.code ?? ''}`.trim() };
    if (status >= 500 || status === 408 || status === 409) {
      return { reason: 'server_error', detail: `HTTP ${status}` };
    }
    return { reason: 'error', detail: `HTTP ${status} ${error.code ?? error.type ?? ''}`.trim() };
  }
  // A 200 whose body is not JSON: the SDK's JSON.parse throws.
  if (error instanceof SyntaxError)
    return { reason: 'malformed', detail: 'response body is not JSON' };
  return { reason: 'error', detail: name };
}

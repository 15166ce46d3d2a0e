/** The request's one log line, and what goes into it (and to Sentry) when a request fails. */
import { performance } from 'node:perf_hooks';
import { describeError } from '../../log/describe-error';
import { logger } from '../../log/logger';
import type { RateLimitOutcome } from '../../ratelimit/limiter';
import { toApiError, type ApiError } from '../errors';
import type { PipelineDeps } from './deps';

/** How much of an unexpected error goes into the log: enough to find it in the code. */
const INTERNAL_ERROR_LOG = { maxLength: 500, stackFrames: 5 };

/** One request on its way through the pipeline. */
export interface RequestState {
  readonly requestId: string;
  /** `performance.now()` when it arrived. */
  readonly started: number;
  /** Fields of its log line (infrastructure facts only, never user text). */
  readonly logFields: Record<string, unknown>;
  /** The status sent, or about to be: 500 until a step knows better. */
  status: number;
  /** The rate limiter's verdict, once the request has been counted. */
  rateLimit?: RateLimitOutcome;
}

export function newRequestState(requestId: string, method: string): RequestState {
  return { requestId, started: performance.now(), logFields: { method }, status: 500 };
}

/**
 * The error a failed request answers with. Records it: its code in the log line; an unexpected
 * one (`internal`) logged and sent to Sentry; the cause of another 5xx in the log line.
 */
export async function recordError(
  thrown: unknown,
  state: RequestState,
  context: { function: string; method: string },
  deps: Pick<PipelineDeps, 'reportError'>,
): Promise<ApiError> {
  const error = toApiError(thrown);
  state.status = error.status;
  state.logFields.errorCode = error.code;
  if (error.code === 'internal') {
    logger.error('unexpected error', { error: describeError(thrown, INTERNAL_ERROR_LOG) });
    await deps.reportError(thrown, {
      requestId: state.requestId,
      function: context.function,
      method: context.method,
    });
  } else if (error.status >= 500) {
    if (error.cause !== undefined) {
      state.logFields.cause = describeError(error.cause, INTERNAL_ERROR_LOG);
    }
  }
  return error;
}

/** Writes the request's log line: a warning for a 5xx, else info. */
export function logRequest(state: RequestState, now = performance.now()): void {
  const latencyMs = Math.round((now - state.started) * 10) / 10;
  const line = { ...state.logFields, status: state.status, latencyMs };
  if (state.status >= 500) logger.warn('request', line);
  else logger.info('request', line);
}

/**
 * Structured logging through firebase-functions' logger (JSON lines that Cloud Logging reads),
 * with the current request's id and function name added to every line written while that
 * request runs. Callers pass infrastructure facts only: never tokens, notes or chat text.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as functionsLogger from 'firebase-functions/logger';

type Fields = Record<string, unknown>;

interface RequestLogContext {
  requestId: string;
  function: string;
}

const context = new AsyncLocalStorage<RequestLogContext>();

/** Runs `fn` with every log line inside it tagged with the request's id. */
export function runWithLogContext<T>(ctx: RequestLogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

function withContext(fields: Fields | undefined): Fields {
  const ctx = context.getStore();
  return ctx ? { requestId: ctx.requestId, function: ctx.function, ...fields } : { ...fields };
}

export const logger = {
  debug: (message: string, fields?: Fields) => functionsLogger.debug(message, withContext(fields)),
  info: (message: string, fields?: Fields) => functionsLogger.info(message, withContext(fields)),
  warn: (message: string, fields?: Fields) => functionsLogger.warn(message, withContext(fields)),
  error: (message: string, fields?: Fields) => functionsLogger.error(message, withContext(fields)),
};

/**
 * Contract-shaped answers for requests the Cloud Functions runtime rejects before our code runs.
 *
 * Both the Functions Framework (production) and the Functions emulator parse bodies with
 * body-parser in their own Express app, ahead of the function. Malformed JSON, an unsupported
 * charset or an over-size body make body-parser call `next(err)`, and Express's default final
 * handler answers with an HTML page (the Functions Framework does not let user code handle
 * it: GoogleCloudPlatform/functions-framework-nodejs#686). Both runtimes load our module before
 * creating their app, so we give Express's `app.handle` a final handler of our own: it answers
 * such errors with the contract's JSON error body, request id and CORS headers. It changes
 * nothing for requests that reach the function.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody, INTERNAL_MESSAGE, type ErrorCode } from './errors';
import { resolveRequestId } from './request-id';
import { corsHeaders } from './cors';
import { MAX_BODY_BYTES } from './validation';
import { logger } from '../log/logger';

type FinalHandler = (err?: unknown) => void;
type Handle = (req: IncomingMessage, res: ServerResponse, callback?: FinalHandler) => unknown;

const PATCHED = Symbol.for('stilla.runtimeErrorsInstalled');

/** body-parser's error types and what the contract calls them. */
function classify(err: unknown): ApiError {
  const type = (err as { type?: unknown } | null)?.type;
  const status = Number((err as { status?: unknown; statusCode?: unknown } | null)?.status ?? 500);
  const code: ErrorCode =
    type === 'entity.parse.failed'
      ? 'invalid_argument'
      : type === 'entity.too.large'
        ? 'payload_too_large'
        : type === 'encoding.unsupported' || type === 'charset.unsupported'
          ? 'unsupported_media_type'
          : status >= 400 && status < 500
            ? 'invalid_argument'
            : 'internal';
  const messages: Record<ErrorCode, string> = {
    invalid_argument: 'The request body is not valid JSON.',
    payload_too_large: `The request body exceeds ${MAX_BODY_BYTES / 1024} KiB.`,
    unsupported_media_type: 'The request body encoding is not supported.',
    internal: INTERNAL_MESSAGE,
  } as Record<ErrorCode, string>;
  return new ApiError(code, messages[code] ?? 'The request could not be read.');
}

function answer(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const requestId = resolveRequestId(req.headers['x-request-id']);
  const error = classify(err);
  logger.warn('request rejected by the runtime', {
    requestId,
    status: error.status,
    code: error.code,
    kind: (err as { type?: unknown } | null)?.type ?? 'unknown',
  });
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    ...corsHeaders(req.headers.origin),
    'X-Request-Id': requestId,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  };
  res.writeHead(error.status, headers);
  res.end(JSON.stringify(errorBody(error, requestId)));
}

/**
 * Installs the final handler on the Express that the runtime hosting this process uses.
 * Safe to call more than once and outside a runtime (then it does nothing).
 */
export function installRuntimeErrorHandler(): void {
  const main = require.main?.filename;
  if (!main) return;
  let express: { application?: { handle?: Handle } & { [PATCHED]?: boolean } };
  try {
    express = createRequire(main)('express');
  } catch {
    return; // Not inside an Express-based runtime (e.g. unit tests).
  }
  const app = express.application;
  if (!app?.handle || app[PATCHED]) return;
  const original = app.handle;
  app.handle = function handle(this: unknown, req, res, callback) {
    const final: FinalHandler =
      callback ??
      ((err?: unknown) => {
        if (err) return answer(req, res, err);
        // No error and no route: never happens with the runtimes' catch-all routes.
        answer(req, res, Object.assign(new Error('not found'), { status: 404 }));
      });
    return original.call(this, req, res, final);
  };
  app[PATCHED] = true;
}

/**
 * Error reporting to Sentry through @sentry/google-cloud-serverless, loaded only when a DSN is
 * set (the SDK costs ~300 ms of cold start). Events carry the error, the request id and the
 * function name, and nothing a user wrote: no request bodies, query strings, headers, cookies,
 * breadcrumbs, local variables or GenAI payloads. {@link scrubEvent} enforces that last, on
 * every event, whatever integration produced it.
 */
import { SENTRY_DSN } from '../config/params';
import { logger } from '../log/logger';
import { describeError } from '../log/describe-error';

type SentryModule = typeof import('@sentry/google-cloud-serverless');
type SentryInitOptions = NonNullable<Parameters<SentryModule['init']>[0]>;
type ErrorEvent = Parameters<NonNullable<SentryInitOptions['beforeSend']>>[0];

/** Event contexts that describe the machine, never the request. */
const SAFE_CONTEXTS = new Set(['os', 'runtime', 'app', 'device', 'cloud_resource', 'trace']);

let sentry: Promise<SentryModule | null> | undefined;

/** Drops everything from an event that could hold user data. Exported for tests. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  if (event.request) {
    const url = event.request.url?.split('?')[0];
    event.request = { method: event.request.method, ...(url ? { url } : {}) };
  }
  delete event.user;
  delete event.extra;
  delete event.breadcrumbs;
  if (event.contexts) {
    event.contexts = Object.fromEntries(
      Object.entries(event.contexts).filter(([key]) => SAFE_CONTEXTS.has(key)),
    );
  }
  for (const exception of event.exception?.values ?? []) {
    for (const frame of exception.stacktrace?.frames ?? []) delete frame.vars;
  }
  return event;
}

/**
 * Initialises the SDK with a minimal integration set. `extra` lets tests supply a capturing
 * transport.
 */
export function initSentry(
  module: SentryModule,
  dsn: string,
  extra: Partial<SentryInitOptions> = {},
): void {
  module.init({
    dsn,
    sendDefaultPii: false,
    // Only integrations that cannot read request or model payloads.
    defaultIntegrations: false,
    integrations: [
      module.linkedErrorsIntegration(),
      module.dedupeIntegration(),
      module.functionToStringIntegration(),
      module.nodeContextIntegration(),
    ],
    tracesSampleRate: 0,
    maxBreadcrumbs: 0,
    beforeBreadcrumb: () => null,
    beforeSend: (event) => scrubEvent(event),
    environment: process.env.FUNCTIONS_EMULATOR === 'true' ? 'emulator' : 'production',
    ...extra,
  });
}

function loadSentry(): Promise<SentryModule | null> {
  const dsn = SENTRY_DSN.value();
  if (!dsn) return Promise.resolve(null);
  sentry ??= import('@sentry/google-cloud-serverless').then(
    (module) => {
      initSentry(module, dsn);
      return module;
    },
    (error: unknown) => {
      logger.error('sentry failed to load', { error: describeError(error) });
      return null;
    },
  );
  return sentry;
}

export interface ErrorContext {
  requestId: string;
  function: string;
  method: string;
}

/** Reports an unexpected error (a `500`), waiting at most 2 s for delivery. */
export async function reportError(error: unknown, context: ErrorContext): Promise<void> {
  const module = await loadSentry();
  if (!module) return;
  module.withScope((scope) => {
    scope.setTag('requestId', context.requestId);
    scope.setTag('function', context.function);
    scope.setTag('method', context.method);
    module.captureException(error);
  });
  await module.flush(2_000);
}

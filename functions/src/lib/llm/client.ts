/**
 * The instance's one OpenAI client. Any OpenAI-compatible server works: `OPENAI_BASE_URL`
 * points the SDK elsewhere. The `openai` module costs ~110 ms to load, so it is imported on the
 * first model call only, and the client is built once per instance (per key and base URL, so a
 * rotated secret takes effect without a restart).
 */
import { OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL } from '../config/params';

/**
 * The `openai` module as `import()` loads it (its ESM build: from CommonJS, `import()` resolves
 * with the `import` condition, whose classes are distinct from the `require` build's).
 */
export type OpenAiSdk = typeof import('openai', { with: { 'resolution-mode': 'import' } });

export interface LlmClient {
  openai: InstanceType<OpenAiSdk['OpenAI']>;
  /** The loaded module, for its error classes (`instanceof` needs the same build). */
  sdk: OpenAiSdk;
}

/** The model when `OPENAI_MODEL` is set to an empty string: small and cheap. */
const DEFAULT_MODEL = 'gpt-4o-mini';

/**
 * SDK retries of one call (connection errors, 408, 409, 429, 5xx), with its own backoff of
 * ~0.5 s then ~1 s, or what `Retry-After` asks. Callers' deadlines bound them.
 */
export const DEFAULT_MAX_RETRIES = 2;

/**
 * The SDK's own per-attempt timeout when a caller passes none (its default is 10 minutes).
 * Callers normally pass their deadline.
 */
const CLIENT_TIMEOUT_MS = 30_000;

let cached: { identity: string; client: Promise<LlmClient> } | undefined;

/** The model key; empty when no model is configured (a blank key counts as none). */
function configuredKey(): string {
  return OPENAI_API_KEY.value().trim();
}

/** Whether a model is configured at all: the one check (health reports it; calls use the key). */
export function llmConfigured(): boolean {
  return configuredKey() !== '';
}

/** The chat model to call: `OPENAI_MODEL`, default {@link DEFAULT_MODEL}. */
export function llmModel(): string {
  return OPENAI_MODEL.value().trim() || DEFAULT_MODEL;
}

/**
 * The OpenAI client, or `undefined` when no `OPENAI_API_KEY` is configured. The first call
 * loads the SDK; later calls with the same configuration share one client (and its connection
 * pool).
 */
export async function llmClient(): Promise<LlmClient | undefined> {
  const apiKey = configuredKey();
  if (!apiKey) return undefined;
  const baseURL = OPENAI_BASE_URL.value().trim() || undefined;
  const identity = `${apiKey}\n${baseURL ?? ''}`;
  if (cached?.identity === identity) return cached.client;
  const client = (async (): Promise<LlmClient> => {
    const sdk = await import('openai');
    const openai = new sdk.OpenAI({
      apiKey,
      baseURL,
      maxRetries: DEFAULT_MAX_RETRIES,
      timeout: CLIENT_TIMEOUT_MS,
    });
    return { openai, sdk };
  })();
  const entry = { identity, client };
  cached = entry;
  // A failed load must not stick for the life of the instance.
  client.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return client;
}

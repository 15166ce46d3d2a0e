/**
 * Rule format and rule book of the fake OpenAI server. A rule decides how the server answers
 * the requests it matches; tests add rules in process or over HTTP (`POST /__rules`).
 */

/** Which OpenAI endpoint a rule applies to. */
export type Endpoint = 'chat' | 'moderations';

/** The moderation categories of omni-moderation, in the order OpenAI lists them. */
export const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/** One moderation category name, e.g. `self-harm/intent`. */
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

/** How a `malformed` reply is broken. */
export type MalformedKind =
  /** 200 whose assistant content is cut-off JSON (a structured-output reply that does not parse). */
  | 'invalid-json'
  /** 200 whose assistant content is valid JSON that does not fit the requested schema. */
  | 'wrong-shape'
  /** 200 whose HTTP body (or SSE event) itself is not JSON, so the SDK fails to parse it. */
  | 'body';

/** Delays that combine with any behaviour. */
export interface Timing {
  /** Wait this long before answering (before the status line, so it counts as time to first byte). */
  latencyMs?: number;
  /** For streamed replies: wait this long between SSE events. */
  deltaDelayMs?: number;
}

/** Answer normally, only slower: after `latencyMs` and/or with `deltaDelayMs` between stream events. */
export type LatencyBehavior =
  (Timing & { latencyMs: number }) | (Timing & { deltaDelayMs: number });

/** Never answer; the socket stays open until the client gives up or the server stops. */
export interface HangBehavior extends Timing {
  hang: true;
}

/** Answer with an HTTP error in OpenAI's error format. */
export interface ErrorBehavior extends Timing {
  /** 400-599, e.g. 400, 429, 500, 503. */
  status: number;
  /** Error message; a status-specific OpenAI-like message by default. */
  message?: string;
  /** Seconds, sent as the `retry-after` header (the SDK waits this long before retrying). */
  retryAfter?: number;
  /** `error.type`; default by status (`invalid_request_error`, `requests`, `server_error`, ...). */
  type?: string;
  /** `error.code`; `rate_limit_exceeded` for 429, otherwise null by default. */
  code?: string | null;
}

/** Answer 200 with a broken payload; `true` means `'invalid-json'`. */
export interface MalformedBehavior extends Timing {
  malformed: true | MalformedKind;
}

/** Answer with exactly this assistant content (streams split it into several deltas). */
export interface ContentBehavior extends Timing {
  content: string;
  /** Default `'stop'`; `'length'` or `'content_filter'` exercise the SDK's parse errors. */
  finishReason?: 'stop' | 'length' | 'content_filter';
}

/** Moderation result flagged for the given categories (default `['self-harm']`). */
export interface FlaggedBehavior extends Timing {
  flagged: true;
  categories?: ModerationCategory[];
}

/** Stream a few deltas, then destroy the connection. */
export interface StreamBreakBehavior extends Timing {
  streamBreak: true;
  /** Content deltas sent before the break; default 2. */
  afterDeltas?: number;
}

/** What the server does with a matched request. */
export type Behavior =
  | LatencyBehavior
  | HangBehavior
  | ErrorBehavior
  | MalformedBehavior
  | ContentBehavior
  | FlaggedBehavior
  | StreamBreakBehavior;

/** A rule. The most recently added matching rule wins. */
export interface Rule {
  /**
   * Substring of the raw request body; absent matches every request. Tests sharing one server
   * should put a unique token in their prompts and match on it, so they never see each other's rules.
   */
  match?: string;
  /** Restrict the rule to one endpoint. `content`/`streamBreak` imply chat, `flagged` moderations. */
  endpoint?: Endpoint;
  /** How many requests the rule applies to before it is removed; default unlimited. */
  times?: number;
  behavior: Behavior;
}

/** A stored rule as listed by `GET /__rules`. */
export interface RuleInfo extends Rule {
  id: string;
  /** Requests the rule still applies to; null when unlimited. */
  remaining: number | null;
  /** Requests the rule has been applied to so far. */
  hits: number;
}

/** Raised for a rule that does not follow the format above. */
export class RuleError extends Error {
  override name = 'RuleError';
}

const BEHAVIOR_KINDS = [
  'hang',
  'status',
  'malformed',
  'content',
  'flagged',
  'streamBreak',
] as const;
type BehaviorKind = (typeof BEHAVIOR_KINDS)[number] | 'latency';

const ALLOWED_KEYS: Readonly<Record<BehaviorKind, readonly string[]>> = {
  latency: [],
  hang: ['hang'],
  status: ['status', 'message', 'retryAfter', 'type', 'code'],
  malformed: ['malformed'],
  content: ['content', 'finishReason'],
  flagged: ['flagged', 'categories'],
  streamBreak: ['streamBreak', 'afterDeltas'],
};

/** The endpoints a behaviour makes sense for; a rule never matches requests to other endpoints. */
const KIND_ENDPOINTS: Readonly<Record<BehaviorKind, readonly Endpoint[]>> = {
  latency: ['chat', 'moderations'],
  hang: ['chat', 'moderations'],
  status: ['chat', 'moderations'],
  malformed: ['chat', 'moderations'],
  content: ['chat'],
  flagged: ['moderations'],
  streamBreak: ['chat'],
};

/** The kind of a behaviour (its one defining key, or `latency` for a bare delay). */
export function behaviorKind(behavior: Behavior): BehaviorKind {
  for (const kind of BEHAVIOR_KINDS) if (kind in behavior) return kind;
  return 'latency';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNonNegative(record: Record<string, unknown>, key: string, integer: boolean): void {
  const value = record[key];
  if (value === undefined) return;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RuleError(`behavior.${key} must be a non-negative ${integer ? 'integer' : 'number'}`);
  }
}

/**
 * Checks an untrusted rule (e.g. from `POST /__rules`) and returns a copy. Unknown keys are
 * rejected so a typo such as `retry_after` fails loudly instead of being ignored.
 */
export function parseRule(input: unknown): Rule {
  if (!isRecord(input)) throw new RuleError('a rule must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!['match', 'endpoint', 'times', 'behavior'].includes(key))
      throw new RuleError(`unknown rule key ${JSON.stringify(key)}`);
  }
  const { match, endpoint, times, behavior } = input;
  if (match !== undefined && typeof match !== 'string')
    throw new RuleError('match must be a string');
  if (endpoint !== undefined && endpoint !== 'chat' && endpoint !== 'moderations') {
    throw new RuleError("endpoint must be 'chat' or 'moderations'");
  }
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new RuleError('times must be a positive integer');
  }
  if (!isRecord(behavior)) throw new RuleError('behavior must be an object');

  const kinds = BEHAVIOR_KINDS.filter((kind) => kind in behavior);
  if (kinds.length > 1) throw new RuleError(`behavior mixes ${kinds.join(' and ')}; pick one`);
  // Not `kinds[0] ?? ...`: without noUncheckedIndexedAccess TS would drop the 'latency' case.
  const kind: BehaviorKind = kinds.length === 0 ? 'latency' : (kinds[0] as BehaviorKind);
  for (const key of Object.keys(behavior)) {
    if (key !== 'latencyMs' && key !== 'deltaDelayMs' && !ALLOWED_KEYS[kind].includes(key)) {
      throw new RuleError(`unknown key ${JSON.stringify(key)} for a ${kind} behavior`);
    }
  }
  optionalNonNegative(behavior, 'latencyMs', false);
  optionalNonNegative(behavior, 'deltaDelayMs', false);
  switch (kind) {
    case 'latency':
      if (behavior['latencyMs'] === undefined && behavior['deltaDelayMs'] === undefined) {
        throw new RuleError(
          'behavior needs one of latencyMs, deltaDelayMs, hang, status, malformed, content, flagged, streamBreak',
        );
      }
      break;
    case 'hang':
      if (behavior['hang'] !== true) throw new RuleError('hang must be true');
      break;
    case 'status': {
      const status = behavior['status'];
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new RuleError('status must be an integer from 400 to 599');
      }
      if (behavior['message'] !== undefined && typeof behavior['message'] !== 'string')
        throw new RuleError('message must be a string');
      if (behavior['type'] !== undefined && typeof behavior['type'] !== 'string')
        throw new RuleError('type must be a string');
      const code = behavior['code'];
      if (code !== undefined && code !== null && typeof code !== 'string')
        throw new RuleError('code must be a string or null');
      optionalNonNegative(behavior, 'retryAfter', false);
      break;
    }
    case 'malformed': {
      const value = behavior['malformed'];
      if (
        value !== true &&
        value !== 'invalid-json' &&
        value !== 'wrong-shape' &&
        value !== 'body'
      ) {
        throw new RuleError("malformed must be true, 'invalid-json', 'wrong-shape' or 'body'");
      }
      break;
    }
    case 'content': {
      if (typeof behavior['content'] !== 'string') throw new RuleError('content must be a string');
      const reason = behavior['finishReason'];
      if (
        reason !== undefined &&
        reason !== 'stop' &&
        reason !== 'length' &&
        reason !== 'content_filter'
      ) {
        throw new RuleError("finishReason must be 'stop', 'length' or 'content_filter'");
      }
      break;
    }
    case 'flagged': {
      if (behavior['flagged'] !== true) throw new RuleError('flagged must be true');
      const categories = behavior['categories'];
      if (categories !== undefined) {
        if (!Array.isArray(categories) || categories.length === 0)
          throw new RuleError('categories must be a non-empty array');
        for (const category of categories) {
          if (!(MODERATION_CATEGORIES as readonly unknown[]).includes(category)) {
            throw new RuleError(`unknown moderation category ${JSON.stringify(category)}`);
          }
        }
      }
      break;
    }
    case 'streamBreak':
      if (behavior['streamBreak'] !== true) throw new RuleError('streamBreak must be true');
      optionalNonNegative(behavior, 'afterDeltas', true);
      break;
  }
  if (endpoint !== undefined && !KIND_ENDPOINTS[kind].includes(endpoint)) {
    throw new RuleError(`a ${kind} behavior does not apply to the ${endpoint} endpoint`);
  }
  const rule: Rule = {
    // The checks above established the Behavior shape; structuredClone detaches it from the caller.
    behavior: structuredClone(behavior) as unknown as Behavior,
  };
  if (match !== undefined) rule.match = match;
  if (endpoint !== undefined) rule.endpoint = endpoint;
  if (times !== undefined) rule.times = times;
  return rule;
}

interface StoredRule {
  readonly id: string;
  readonly rule: Rule;
  remaining: number | null;
  hits: number;
}

/** Holds the rules of one server. Requests are handled one at a time by the event loop, so
 * `take` (find + count down) is atomic with respect to concurrent requests. */
export class RuleBook {
  #rules: StoredRule[] = [];
  #nextId = 1;

  /** Validates and stores a rule; returns its id. Throws `RuleError` for a bad rule. */
  add(input: unknown): string {
    const rule = parseRule(input);
    // A counter, never reset, so a stale id from an earlier test cannot delete a newer rule.
    const id = `rule_${this.#nextId++}`;
    this.#rules.push({ id, rule, remaining: rule.times ?? null, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((stored) => stored.id !== id);
    return this.#rules.length !== before;
  }

  clear(): number {
    const count = this.#rules.length;
    this.#rules = [];
    return count;
  }

  list(): RuleInfo[] {
    return this.#rules.map((stored) => ({
      ...structuredClone(stored.rule),
      id: stored.id,
      remaining: stored.remaining,
      hits: stored.hits,
    }));
  }

  /** Finds the newest rule matching the request, counts it down, and returns it. */
  take(endpoint: Endpoint, rawBody: string): { id: string; behavior: Behavior } | undefined {
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      const stored = this.#rules[i];
      if (!stored) continue;
      const { rule } = stored;
      if (rule.endpoint !== undefined && rule.endpoint !== endpoint) continue;
      if (!KIND_ENDPOINTS[behaviorKind(rule.behavior)].includes(endpoint)) continue;
      if (rule.match !== undefined && !rawBody.includes(rule.match)) continue;
      stored.hits++;
      if (stored.remaining !== null) {
        stored.remaining--;
        if (stored.remaining <= 0) this.#rules.splice(i, 1);
      }
      return { id: stored.id, behavior: rule.behavior };
    }
    return undefined;
  }
}

import { z } from 'zod';
import { classifyLlmError, parseStructuredCompletion, type SdkErrors } from './result';

const schema = z.strictObject({
  summary: z.string().min(1),
  suggestions: z.array(z.string()).min(1),
});

function completion(
  content: string | null,
  finishReason: 'stop' | 'length' | 'content_filter' = 'stop',
  refusal: string | null = null,
) {
  return {
    choices: [
      {
        index: 0,
        logprobs: null,
        finish_reason: finishReason,
        message: { role: 'assistant' as const, content, refusal },
      },
    ],
  };
}

describe('parseStructuredCompletion', () => {
  it('returns the validated value of a good answer', () => {
    const parsed = parseStructuredCompletion(
      completion('{"summary":"A calm week.","suggestions":["Walk"]}'),
      schema,
    );
    expect(parsed).toEqual({ ok: true, value: { summary: 'A calm week.', suggestions: ['Walk'] } });
  });

  it.each([
    ['cut-off JSON', completion('{"summary": "A calm'), 'content is not JSON'],
    ['empty content', completion(''), 'empty content'],
    ['null content', completion(null), 'empty content'],
    ['a refusal', completion(null, 'stop', 'I cannot help with that.'), 'the model refused'],
    ['a length stop', completion('{"summary":"x","suggestions":["y"]}', 'length'), 'cut off'],
    ['a content filter stop', completion('{}', 'content_filter'), 'content filter'],
    ['no choices', { choices: [] }, 'no choice'],
    ['no completion', undefined, 'no choice'],
  ])('treats %s as malformed', (_label, input, detail) => {
    const parsed = parseStructuredCompletion(input, schema);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe('malformed');
      expect(parsed.detail).toContain(detail);
    }
  });

  it('treats valid JSON of the wrong shape as malformed and names the path, not the content', () => {
    const parsed = parseStructuredCompletion(
      completion('{"summary":"secret words","suggestions":[]}'),
      schema,
    );
    expect(parsed).toEqual({
      ok: false,
      reason: 'malformed',
      detail: 'content does not fit the schema at suggestions: too_small',
    });
    expect(JSON.stringify(parsed)).not.toContain('secret');
  });

  it('rejects extra properties of a strict schema', () => {
    const parsed = parseStructuredCompletion(
      completion('{"summary":"x","suggestions":["y"],"diagnosis":"z"}'),
      schema,
    );
    expect(parsed.ok).toBe(false);
  });
});

describe('classifyLlmError', () => {
  let sdk: SdkErrors;
  beforeAll(async () => {
    sdk = await import('openai');
  });
  const quiet = { deadlineExpired: false, cancelled: false };
  const apiError = (status: number, code: string | null = null) =>
    sdk.APIError.generate(
      status,
      { error: { message: 'x', type: 'y', code } },
      undefined,
      new Headers(),
    );

  it('calls anything after the deadline a timeout, whatever the SDK threw', () => {
    expect(
      classifyLlmError(new sdk.APIUserAbortError(), sdk, {
        deadlineExpired: true,
        cancelled: false,
      }).reason,
    ).toBe('timeout');
    expect(
      classifyLlmError(apiError(500), sdk, { deadlineExpired: true, cancelled: true }).reason,
    ).toBe('timeout');
  });

  it('calls an abort by the caller cancelled', () => {
    expect(
      classifyLlmError(new sdk.APIUserAbortError(), sdk, {
        deadlineExpired: false,
        cancelled: true,
      }).reason,
    ).toBe('cancelled');
  });

  it.each([
    [429, 'rate_limited'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
    [408, 'server_error'],
    [400, 'error'],
    [401, 'error'],
    [404, 'error'],
  ] as const)('maps HTTP %i to %s', (status, reason) => {
    expect(classifyLlmError(apiError(status), sdk, quiet).reason).toBe(reason);
  });

  it('keeps the status and code in the detail', () => {
    expect(classifyLlmError(apiError(429, 'rate_limit_exceeded'), sdk, quiet).detail).toBe(
      'HTTP 429 rate_limit_exceeded',
    );
  });

  it('maps SDK timeouts, connection errors and unparsable bodies', () => {
    expect(classifyLlmError(new sdk.APIConnectionTimeoutError(), sdk, quiet).reason).toBe(
      'timeout',
    );
    expect(classifyLlmError(new sdk.APIConnectionError({}), sdk, quiet).reason).toBe(
      'server_error',
    );
    expect(classifyLlmError(new SyntaxError('Unexpected token <'), sdk, quiet).reason).toBe(
      'malformed',
    );
  });

  it('calls anything else an error, also before the SDK is loaded', () => {
    expect(classifyLlmError(new TypeError('boom'), sdk, quiet)).toEqual({
      reason: 'error',
      detail: 'TypeError',
    });
    expect(classifyLlmError('boom', undefined, quiet).reason).toBe('error');
  });
});

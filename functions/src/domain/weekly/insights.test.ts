import { computeWeeklyStats, fallbackInsights, weekRange, type ModelInsights } from '.';
import type { LlmResult } from '../../lib/llm/result';
import type { StructuredRequest } from '../../lib/llm/structured';
import { INSIGHTS_DEADLINE_MS, weeklyInsights, type GenerateStructured } from './insights';

const range = weekRange({ year: 2026, week: 47 }, 'UTC');
const stats = computeWeeklyStats(
  [
    { score: 4, tags: ['work'], recordedAt: new Date('2026-11-16T08:00:00Z') },
    { score: 8, tags: ['walk'], recordedAt: new Date('2026-11-20T08:00:00Z') },
  ],
  range,
  'UTC',
);
const previousWeek = { count: 1, average: 5 };
const input = { uid: 'u1', stats, previousWeek, language: 'sv' as const };

function failing(reason: 'timeout' | 'not_configured'): GenerateStructured {
  return async () => ({
    ok: false,
    reason,
    detail: '',
    usage: { totalTokens: 0 },
    rounds: 0,
    latencyMs: 0,
  });
}

describe('weeklyInsights', () => {
  it("serves the model's insights, marked ai", async () => {
    let seen: StructuredRequest<ModelInsights> | undefined;
    const generate: GenerateStructured = async (request) => {
      seen = request;
      const result: LlmResult<ModelInsights> = {
        ok: true,
        value: { summary: 'En lugn vecka.', suggestions: ['Ta en promenad.'] },
        usage: { totalTokens: 10 },
        rounds: 1,
        latencyMs: 5,
      };
      return result;
    };
    const outcome = await weeklyInsights(input, generate);
    expect(outcome).toEqual({
      insights: { summary: 'En lugn vecka.', suggestions: ['Ta en promenad.'], source: 'ai' },
      fallbackReason: null,
    });
    expect(seen).toMatchObject({
      uid: 'u1',
      purpose: 'weekly-insights',
      schemaName: 'weekly_insights',
      deadlineMs: INSIGHTS_DEADLINE_MS,
    });
    expect(seen?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(JSON.stringify(seen?.messages)).toContain('walk');
  });

  it.each(['timeout', 'not_configured'] as const)(
    'falls back in the requested language on %s',
    async (reason) => {
      const outcome = await weeklyInsights(input, failing(reason));
      expect(outcome).toEqual({
        insights: { ...fallbackInsights(stats, previousWeek, 'sv'), source: 'fallback' },
        fallbackReason: reason,
      });
    },
  );

  it('falls back even if the model layer throws', async () => {
    const outcome = await weeklyInsights(input, async () => {
      throw new Error('bug');
    });
    expect(outcome.insights.source).toBe('fallback');
    expect(outcome.fallbackReason).toBe('error');
  });

  it('passes the caller signal on', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    await weeklyInsights({ ...input, signal: controller.signal }, async (request) => {
      signal = request.signal;
      return failing('timeout')(request);
    });
    expect(signal).toBe(controller.signal);
  });
});

import { fallbackInsights, MAX_SUGGESTIONS } from './fallback';
import { insightsSchema } from './prompt';
import type { PreviousWeekSummary, TagStats, WeeklyStats } from './stats';

const DATES = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'];

/** Stats built from per-day averages (null = no entry that day); counts are one per day. */
function weekOf(dayAverages: (number | null)[], overrides: Partial<WeeklyStats> = {}): WeeklyStats {
  const days = [...DATES, '2026-11-22'].map((date, index) => {
    const average = dayAverages[index] ?? null;
    return { date, count: average === null ? 0 : 1, average };
  });
  const scores = days.flatMap((day) => (day.average === null ? [] : [day.average]));
  const count = scores.length;
  return {
    count,
    average: count ? Math.round((scores.reduce((a, b) => a + b, 0) / count) * 10) / 10 : null,
    min: count ? Math.min(...scores) : null,
    max: count ? Math.max(...scores) : null,
    trend: count < 4 ? 'insufficient_data' : 'stable',
    days,
    topTags: [],
    ...overrides,
  };
}

const none: PreviousWeekSummary = { count: 0, average: null };
const tags = (...list: [string, number, number][]): TagStats[] =>
  list.map(([tag, count, average]) => ({ tag, count, average }));

describe('fallbackInsights with no entries', () => {
  it('encourages logging, in English', () => {
    const insights = fallbackInsights(weekOf([]), none, 'en');
    expect(insights.summary).toBe("You haven't logged your mood this week yet.");
    expect(insights.suggestions).toHaveLength(3);
    expect(insights.suggestions[0]).toMatch(/check-in once a day/);
  });

  it('encourages logging, in Swedish, mentioning last week', () => {
    const insights = fallbackInsights(weekOf([]), { count: 4, average: 6.5 }, 'sv');
    expect(insights.summary).toBe(
      'Du har inte loggat ditt humör den här veckan än. Förra veckan checkade du in 4 gånger, så fortsätt gärna – då syns det hur veckorna skiljer sig åt.',
    );
    expect(insights.suggestions[0]).toMatch(/^Gör en snabb incheckning/);
  });

  it('says "once" for a single entry last week', () => {
    expect(fallbackInsights(weekOf([]), { count: 1, average: 5 }, 'en').summary).toContain(
      'checked in once',
    );
    expect(fallbackInsights(weekOf([]), { count: 1, average: 5 }, 'sv').summary).toContain(
      'checkade du in en gång',
    );
  });
});

describe('fallbackInsights with one entry', () => {
  it('names the score and the day and asks for more check-ins', () => {
    const stats = weekOf([null, null, 7]);
    const en = fallbackInsights(stats, none, 'en');
    expect(en.summary).toMatch(/^You logged your mood once this week: 7 out of 10 on Wednesday\./);
    expect(en.suggestions).toContain(
      "Check in a few more times next week: with four or more entries you'll start to see a trend.",
    );
    const sv = fallbackInsights(stats, none, 'sv');
    expect(sv.summary).toMatch(
      /^Du loggade ditt humör en gång den här veckan: 7 av 10 på onsdagen\./,
    );
  });
});

describe('fallbackInsights with several entries', () => {
  const declining = weekOf([8, 7, 7, 5, 4, 3, 3], {
    trend: 'declining',
    topTags: tags(['work', 4, 4.5], ['walk', 2, 7.5], ['sleep', 1, 8]),
  });

  it('describes average, range, trend, days and tags, in English', () => {
    const { summary, suggestions } = fallbackInsights(declining, { count: 5, average: 6.6 }, 'en');
    expect(summary).toBe(
      [
        'You logged your mood 7 times this week, with an average of 5.3 out of 10 (from 3 to 8).',
        'It dipped as the week went on: your later entries were lower than the earlier ones.',
        'Monday was your brightest day (average 8.0) and Saturday the toughest (3.0).',
        'Your mood was highest in entries tagged “walk” (7.5) and lowest with “work” (4.5).',
        "That's 1.3 points lower than last week (6.6).",
      ].join(' '),
    );
    expect(suggestions).toEqual([
      expect.stringMatching(/^Your mood dipped toward the end of the week/),
      expect.stringMatching(/^Entries tagged “work” averaged 4\.5\./),
      expect.stringMatching(/^Saturday was tough\./),
      expect.stringMatching(/^“walk” came with your better moods \(average 7\.5\)/),
      expect.stringMatching(/^Think about what made Monday good/),
    ]);
  });

  it('says the same in proper Swedish, with decimal commas', () => {
    const { summary, suggestions } = fallbackInsights(declining, { count: 5, average: 6.6 }, 'sv');
    expect(summary).toBe(
      [
        'Du loggade ditt humör 7 gånger den här veckan, med ett snitt på 5,3 av 10 (från 3 till 8).',
        'Det sjönk under veckans gång: dina senare noteringar låg lägre än de första.',
        'Måndagen var din ljusaste dag (snitt 8,0) och lördagen den tyngsta (3,0).',
        'Ditt humör var som högst i noteringar taggade ”walk” (7,5) och som lägst med ”work” (4,5).',
        'Det är 1,3 poäng lägre än förra veckan (6,6).',
      ].join(' '),
    );
    expect(suggestions[0]).toMatch(/^Humöret sjönk mot slutet av veckan/);
    expect(suggestions[1]).toMatch(/^Noteringar taggade ”work” hade ett snitt på 4,5\./);
    expect(suggestions[2]).toMatch(/^Lördagen var tung\./);
  });

  it('is supportive first in a heavy week', () => {
    const heavy = weekOf([3, 2, 4, 3, 3], { trend: 'stable' });
    const en = fallbackInsights(heavy, none, 'en').suggestions;
    expect(en[0]).toMatch(/^This week looks heavy\. Reach out to someone you trust/);
    expect(en.some((s) => /talking to a doctor or another professional/.test(s))).toBe(true);
    const sv = fallbackInsights(heavy, none, 'sv').suggestions;
    expect(sv[0]).toMatch(/^Veckan ser tung ut\./);
    expect(sv.some((s) => s.includes('1177'))).toBe(true);
  });

  it('celebrates an improving week and compares with last week', () => {
    const improving = weekOf([4, 5, 6, 7, 8], { trend: 'improving' });
    const { summary, suggestions } = fallbackInsights(improving, { count: 3, average: 5 }, 'en');
    expect(summary).toContain('It rose as the week went on');
    expect(summary).toContain("That's 1 point higher than last week (5.0).");
    expect(suggestions).toContain(
      'Things picked up during the week. Notice what you did differently so you can keep it going.',
    );
  });

  it('words small and no changes', () => {
    const steady = weekOf([6, 6, 7, 6, 6], { trend: 'stable' }); // 6.2
    expect(fallbackInsights(steady, { count: 2, average: 6.2 }, 'en').summary).toContain(
      "That's the same average as last week (6.2).",
    );
    expect(fallbackInsights(steady, { count: 2, average: 6.5 }, 'en').summary).toContain(
      "That's a little lower than last week (6.5).",
    );
    expect(fallbackInsights(steady, { count: 2, average: 6 }, 'sv').summary).toContain(
      'Det är lite högre än förra veckan (6,0).',
    );
    expect(fallbackInsights(steady, none, 'en').summary).toContain(
      'There were no entries last week, so this week is your starting point.',
    );
  });

  it('notes when every entry had the same score and leaves out a meaningless best day', () => {
    const flat = weekOf([7, 7, 7, 7], { trend: 'stable' });
    const { summary, suggestions } = fallbackInsights(flat, none, 'en');
    expect(summary).toContain('(every entry was 7).');
    expect(summary).not.toContain('brightest');
    expect(suggestions).toContain(
      'Your mood has been steady and good. Keep the routines that support you.',
    );
    expect(fallbackInsights(flat, none, 'sv').summary).toContain('(alla noteringar var 7).');
  });

  it('mentions the main tag when only one tag repeats, and asks for tags when none are used', () => {
    const oneTag = weekOf([5, 6, 5, 6], { topTags: tags(['walk', 3, 5.7], ['tea', 1, 6]) });
    expect(fallbackInsights(oneTag, none, 'en').summary).toContain(
      'Your most used tag was “walk” (3 times, average 5.7).',
    );
    expect(fallbackInsights(oneTag, none, 'sv').summary).toContain(
      'Din vanligaste tagg var ”walk” (3 gånger, snitt 5,7).',
    );
    const noTags = weekOf([5, 6, 5, 6]);
    expect(fallbackInsights(noTags, none, 'en').suggestions).toContain(
      'Add tags like “sleep”, “exercise” or “friends” to your entries to discover what lifts your mood.',
    );
  });
});

describe('fallbackInsights in general', () => {
  // A small deterministic generator, so the sweep is the same on every run.
  function* scenarios(): Generator<[WeeklyStats, PreviousWeekSummary]> {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const longTag = 'x'.repeat(32);
    for (let run = 0; run < 300; run++) {
      const averages = Array.from({ length: 7 }, () => (next(3) === 0 ? null : 1 + next(10)));
      const topTags = tags(
        ...Array.from({ length: next(6) }, (_, i): [string, number, number] => [
          i % 2 ? longTag + String(i) : `tag${i}`,
          1 + next(4),
          1 + next(90) / 10,
        ]),
      );
      const trends = ['improving', 'declining', 'stable', 'insufficient_data'] as const;
      const stats = weekOf(averages, { topTags, trend: trends[next(4)] });
      const previous = next(2) ? { count: 1 + next(9), average: 1 + next(90) / 10 } : none;
      yield [stats, previous];
    }
  }

  it('always fits the contract: a summary of 1-600 characters and 1-5 suggestions', () => {
    for (const [stats, previous] of scenarios()) {
      for (const lang of ['en', 'sv'] as const) {
        const insights = fallbackInsights(stats, previous, lang);
        expect(insightsSchema.parse(insights)).toEqual(insights);
        expect(insights.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
        expect(new Set(insights.suggestions).size).toBe(insights.suggestions.length);
      }
    }
  });

  it('is deterministic and varies with the statistics', () => {
    const summaries = new Set<string>();
    for (const [stats, previous] of scenarios()) {
      const first = fallbackInsights(stats, previous, 'en');
      expect(fallbackInsights(stats, previous, 'en')).toEqual(first);
      summaries.add(first.summary);
    }
    expect(summaries.size).toBeGreaterThan(200);
  });

  it('stays non-clinical', () => {
    for (const [stats, previous] of scenarios()) {
      for (const lang of ['en', 'sv'] as const) {
        const { summary, suggestions } = fallbackInsights(stats, previous, lang);
        const text = [summary, ...suggestions].join(' ');
        expect(text).not.toMatch(/depress|diagnos|disorder|symptom|medication|medicin|störning/i);
      }
    }
  });

  it('drops the least important sentences when long tags would overflow the summary', () => {
    // Tags are at most 32 characters by contract; these are longer to force the overflow.
    const long = 'ö'.repeat(200);
    const stats = weekOf([1, 10, 1, 10, 1, 10, 1], {
      trend: 'declining',
      topTags: tags([`${long}a`, 3, 9.9], [`${long}b`, 3, 1.1]),
    });
    const { summary } = fallbackInsights(stats, { count: 3, average: 2.5 }, 'sv');
    expect(summary.length).toBeLessThanOrEqual(600);
    expect(summary).toMatch(/^Du loggade ditt humör 7 gånger/);
    expect(summary).toContain('Det är 2,4 poäng högre än förra veckan (2,5).');
    expect(summary).not.toContain(long);
    const suggestions = fallbackInsights(stats, { count: 3, average: 2.5 }, 'sv').suggestions;
    for (const suggestion of suggestions) expect(suggestion.length).toBeLessThanOrEqual(300);
  });
});

/**
 * The labelled safety corpus (corpus/*.jsonl, categories in corpus/CATEGORIES.md): its format, and
 * the screen's scores on the held-out part, written apart from the rules by someone who saw only
 * the category definitions. A regression test of accuracy, not of speed. On failure it prints
 * counts only, never a held-out message (nobody working on the rules may read them).
 */
import { screenText } from './screen';
import { CRISIS_CATEGORIES } from './types';
import { heldOutFiles, readCorpus, readTraining } from './corpus/files';

const training = readTraining();
const heldOutParts = heldOutFiles().map((file) => ({ file, messages: readCorpus(file) }));
const heldOut = heldOutParts.flatMap((part) => part.messages);
const HARD_NEGATIVES = ['idiom', 'negation', 'topic', 'others'];
const NONE_CATEGORIES = ['everyday', ...HARD_NEGATIVES];

/** The issue's target on the held-out part, per language. */
const TARGET = { minRecall: 0.97, maxFalseAlarms: 0.03 };

/**
 * What the screen reaches on each held-out part, per language: crisis recall at least, false alarms
 * (a non-crisis message answered `crisis`) at most, pinned so they cannot silently fall; where a
 * part meets TARGET, the pin is the target itself. Nine parts, each written by its own writer who
 * saw only CATEGORIES.md: heldout.jsonl and heldout-b.jsonl (504 messages each), heldout-c.jsonl
 * (464: 504 written after round 6 was final, less 40 near-duplicates of training messages),
 * heldout-d.jsonl (462: written before round 7 was trained, less 42), heldout-e.jsonl (490:
 * written before round 8 was trained, less 14), heldout-f.jsonl (488: written before round 9 was
 * trained, less 16), heldout-g.jsonl (496: written before round 10 was trained, less 8),
 * heldout-h.jsonl (481: written after round 10 was final, less 23) and heldout-i.jsonl (495:
 * written before round 11 was trained, less 9; scored by the shipped round 10 first, then once
 * after round 11 was final). Training lines near any held-out message were dropped first.
 *
 * Round 11 (32 writers' training files; thresholds kept at round 10's, en 0.50 and sv 0.45, see
 * docs/API-NOTES.md), caught and false alarms: heldout en 125/126 and 1/126, sv 119/126 and
 * 2/126; heldout-b en 122/126 and 1/126, sv 119/126 and 1/126; heldout-c en 110/115 and 2/107, sv
 * 116/119 and 1/123; heldout-d en 110/113 and 3/110, sv 114/119 and 6/120; heldout-e en 110/120
 * and 3/121, sv 109/124 and 6/125; heldout-f en 112/118 and 2/119, sv 119/125 and 1/126;
 * heldout-g en 120/125 and 6/121, sv 119/125 and 8/125; heldout-h en 115/118 and 5/116, sv
 * 116/124 and 2/123; heldout-i en 113/122 and 0/125, sv 113/123 and 5/125 (under round 10, before
 * round 11 was trained: en 112 and 1, sv 113 and 6). Round 10 (28 writers, en 0.50 and sv 0.45):
 * heldout en 125 and 1, sv 120 and 2; heldout-b en 121 and 1, sv 119 and 1; heldout-c en 110 and
 * 2, sv 115 and 1; heldout-d en 109 and 2, sv 114 and 7; heldout-e en 109 and 3, sv 109 and 6;
 * heldout-f en 113 and 2, sv 118 and 4; heldout-g en 118 and 5, sv 116 and 7; heldout-h en 113
 * and 4, sv 116 and 2.
 * Raise the pins as the screen improves; never tune on held-out messages.
 */
const PINNED = {
  'heldout.jsonl': {
    en: { minRecall: 0.97, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.944, maxFalseAlarms: 0.03 },
  },
  'heldout-b.jsonl': {
    en: { minRecall: 0.968, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.944, maxFalseAlarms: 0.03 },
  },
  'heldout-c.jsonl': {
    en: { minRecall: 0.956, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.97, maxFalseAlarms: 0.03 },
  },
  'heldout-d.jsonl': {
    en: { minRecall: 0.97, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.957, maxFalseAlarms: 0.05 },
  },
  'heldout-e.jsonl': {
    en: { minRecall: 0.916, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.879, maxFalseAlarms: 0.048 },
  },
  'heldout-f.jsonl': {
    en: { minRecall: 0.949, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.952, maxFalseAlarms: 0.03 },
  },
  'heldout-g.jsonl': {
    en: { minRecall: 0.96, maxFalseAlarms: 0.05 },
    sv: { minRecall: 0.952, maxFalseAlarms: 0.064 },
  },
  'heldout-h.jsonl': {
    en: { minRecall: 0.97, maxFalseAlarms: 0.044 },
    sv: { minRecall: 0.935, maxFalseAlarms: 0.03 },
  },
  'heldout-i.jsonl': {
    en: { minRecall: 0.926, maxFalseAlarms: 0.03 },
    sv: { minRecall: 0.918, maxFalseAlarms: 0.04 },
  },
};

describe('safety corpus: format', () => {
  it.each([
    ['training', training],
    ['held-out', heldOut],
  ])('every %s message has the label/category schema', (_part, messages) => {
    const problems = messages.filter((message) => {
      const keys = Object.keys(message).sort().join(',');
      const crisis = (CRISIS_CATEGORIES as readonly string[]).includes(message.category);
      const labelFits =
        (message.label === 'crisis' && crisis) ||
        (message.label === 'elevated' && message.category === 'distress') ||
        (message.label === 'none' && NONE_CATEGORIES.includes(message.category));
      return (
        keys !== 'category,label,lang,text' ||
        !['en', 'sv'].includes(message.lang) ||
        typeof message.text !== 'string' ||
        message.text.trim() === '' ||
        !labelFits
      );
    });
    expect(problems.length).toBe(0);
  });

  it('has at least 600 messages, half crisis, a third of the rest hard negatives, both languages', () => {
    const all = [...training, ...heldOut];
    expect(all.length).toBeGreaterThanOrEqual(600);
    const crisis = all.filter((message) => message.label === 'crisis').length;
    expect(crisis / all.length).toBeGreaterThanOrEqual(0.45);
    expect(crisis / all.length).toBeLessThanOrEqual(0.55);
    const rest = all.filter((message) => message.label !== 'crisis');
    const hard = rest.filter((message) => HARD_NEGATIVES.includes(message.category));
    expect(hard.length / rest.length).toBeGreaterThanOrEqual(1 / 3);
    for (const part of [training, heldOut]) {
      for (const lang of ['en', 'sv']) {
        const inLang = part.filter((message) => message.lang === lang);
        expect(inLang.filter((message) => message.label === 'crisis').length).toBeGreaterThan(0);
        expect(inLang.filter((message) => message.label !== 'crisis').length).toBeGreaterThan(0);
      }
    }
  });

  it('covers every crisis category and every non-crisis kind in both languages', () => {
    for (const lang of ['en', 'sv']) {
      const categories = new Set(
        training.filter((message) => message.lang === lang).map((message) => message.category),
      );
      for (const category of [...CRISIS_CATEGORIES, 'distress', ...NONE_CATEGORIES]) {
        expect(`${lang} ${category} ${categories.has(category)}`).toBe(`${lang} ${category} true`);
      }
    }
  });
});

describe('safety screen on the held-out corpus (counts only)', () => {
  it('pins every held-out part', () => {
    expect(heldOutParts.map((part) => part.file)).toEqual(Object.keys(PINNED).sort());
  });

  it.each(
    heldOutParts.flatMap(({ file, messages }) =>
      (['en', 'sv'] as const).map((lang) => [file, lang, messages] as const),
    ),
  )('%s %s: crisis recall and false alarms', (file, lang, messages) => {
    const pinned = PINNED[file as keyof typeof PINNED][lang];
    let crisis = 0;
    let caught = 0;
    let other = 0;
    let falseAlarms = 0;
    for (const message of messages) {
      if (message.lang !== lang) continue;
      const flagged = screenText(message.text, lang).level === 'crisis';
      if (message.label === 'crisis') {
        crisis++;
        if (flagged) caught++;
      } else {
        other++;
        if (flagged) falseAlarms++;
      }
    }
    expect(crisis).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    // The pins never sit beyond the target (once reached, pin the target itself).
    expect(pinned.minRecall).toBeLessThanOrEqual(TARGET.minRecall);
    expect(pinned.maxFalseAlarms).toBeGreaterThanOrEqual(TARGET.maxFalseAlarms);
    // Numbers only in the failure message.
    expect({ file, lang, caught, crisis, recall: caught / crisis >= pinned.minRecall }).toEqual({
      file,
      lang,
      caught,
      crisis,
      recall: true,
    });
    expect({
      file,
      lang,
      falseAlarms,
      other,
      withinLimit: falseAlarms / other <= pinned.maxFalseAlarms,
    }).toEqual({ file, lang, falseAlarms, other, withinLimit: true });
  });
});

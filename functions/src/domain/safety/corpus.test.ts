/**
 * The labelled safety corpus (corpus/*.jsonl, categories in corpus/CATEGORIES.md): its format, and
 * the screen's scores on the held-out part, written apart from the rules by someone who saw only
 * the category definitions. A regression test of accuracy, not of speed. On failure it prints
 * counts only, never a held-out message (nobody working on the rules may read them).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../lib/language';
import { screenText } from './screen';
import { CRISIS_CATEGORIES } from './types';

interface CorpusMessage {
  text: string;
  lang: Language;
  label: 'crisis' | 'elevated' | 'none';
  category: string;
}

function readCorpus(file: string): CorpusMessage[] {
  const path = join(__dirname, 'corpus', file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusMessage);
}

// One file per writer (train-a … train-f) plus train-extra (examples for the unit tests' idioms).
const training = [
  'train-a',
  'train-b',
  'train-c',
  'train-d',
  'train-e',
  'train-f',
  'train-extra',
].flatMap((name) => readCorpus(`${name}.jsonl`));
const heldOut = readCorpus('heldout.jsonl');
const HARD_NEGATIVES = ['idiom', 'negation', 'topic', 'others'];
const NONE_CATEGORIES = ['everyday', ...HARD_NEGATIVES];

/** The issue's target on the held-out part, per language. */
const TARGET = { minRecall: 0.97, maxFalseAlarms: 0.03 };

/**
 * What the screen reaches on the held-out part, per language: crisis recall at least, false alarms
 * (a non-crisis message answered `crisis`) at most, pinned so they cannot silently fall. Round 3
 * (six writers' training files, cue rules): en 123/126 caught, 2/126 false alarms, which meets
 * TARGET, so en pins the target itself; sv 120/126 caught, 4/126 false alarms, short of TARGET
 * (round 2 was en 119/126 and 4/126, sv 117/126 and 7/126). Raise sv towards TARGET as the screen
 * improves (the model's threshold comes from cross-validation on the training part); never tune
 * on held-out messages.
 */
const PINNED = {
  en: { minRecall: 0.97, maxFalseAlarms: 0.03 },
  sv: { minRecall: 0.952, maxFalseAlarms: 0.032 },
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
  it.each(['en', 'sv'] as const)('%s: crisis recall and false alarms', (lang) => {
    let crisis = 0;
    let caught = 0;
    let other = 0;
    let falseAlarms = 0;
    for (const message of heldOut) {
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
    expect(PINNED[lang].minRecall).toBeLessThanOrEqual(TARGET.minRecall);
    expect(PINNED[lang].maxFalseAlarms).toBeGreaterThanOrEqual(TARGET.maxFalseAlarms);
    // Numbers only in the failure message.
    expect({ lang, caught, crisis, recall: caught / crisis >= PINNED[lang].minRecall }).toEqual({
      lang,
      caught,
      crisis,
      recall: true,
    });
    expect({
      lang,
      falseAlarms,
      other,
      withinLimit: falseAlarms / other <= PINNED[lang].maxFalseAlarms,
    }).toEqual({ lang, falseAlarms, other, withinLimit: true });
  });
});

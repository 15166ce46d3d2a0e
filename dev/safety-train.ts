/**
 * Trains the safety screen's statistical model from the TRAINING corpus
 * (functions/src/domain/safety/corpus/train*.jsonl; never the held-out part) and writes it to
 * functions/src/domain/safety/model.generated.ts. Deterministic: the same corpus and code give the
 * same file byte for byte (fixed fold assignment, full-batch optimisation, no randomness).
 *
 * First prints writer-held-out cross-validation figures (5-fold with --cv=kfold) of the whole
 * screen (rules, then the model) per language at a range of thresholds, and picks a threshold per
 * language: the lowest whose out-of-fold false alarms in that language stay within
 * MAX_FALSE_ALARMS.
 *
 *   npm --prefix functions run build && node dev/safety-train.ts [--cv-only] [--bits=16] [--l2=1e-4]
 *   npm --prefix functions run build   # again, to ship the new model
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const safetyDir = join(root, 'functions', 'src', 'domain', 'safety');
const require = createRequire(join(root, 'functions', 'package.json'));
const lib = './lib/domain/safety';
const { applyRules, modelMayRaise } = require(`${lib}/screen`) as {
  modelMayRaise: (signals: readonly string[], blockNegated: boolean) => boolean;
  applyRules: (
    rules: unknown,
    folded: string,
  ) => { level: string; matched: string[]; signals: string[] };
};
const { compileRules, SAFETY_RULES } = require(`${lib}/rules`) as {
  compileRules: (rules: unknown) => unknown;
  SAFETY_RULES: unknown;
};
interface FeatureOptions {
  chars: boolean;
  pairs: boolean;
  prefixes: boolean;
  firstPerson: boolean;
  concepts: boolean;
  unique: boolean;
}
const { extractFeatures, DEFAULT_FEATURES } = require(`${lib}/features`) as {
  extractFeatures: (
    folded: string,
    signals: readonly string[],
    options: FeatureOptions,
  ) => number[];
  DEFAULT_FEATURES: FeatureOptions;
};
const { foldText } = require(`${lib}/normalize`) as { foldText: (text: string) => string };
const { CRISIS_CATEGORIES } = require(`${lib}/types`) as { CRISIS_CATEGORIES: readonly string[] };

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key ?? '', value ?? 'true'];
  }),
);
const BITS = Number(args.get('bits') ?? 16);
const L2 = Number(args.get('l2') ?? 3e-4);
const ITERATIONS = Number(args.get('iterations') ?? 150);
const LEARNING_RATE = Number(args.get('rate') ?? 0.1);
const MAX_FALSE_ALARMS = Number(args.get('max-false-alarms') ?? 0.03);
// Crisis examples weigh this much more than the rest in the loss (1: unweighted).
const CRISIS_WEIGHT = Number(args.get('crisis-weight') ?? 1);
// --binary: one crisis class instead of the nine categories (cross-validation only).
const BINARY = args.has('binary');
// Cross-validation: 'writer' holds out one writer's file at a time (train-<writer>; train-extra is
// always trained on): how the screen does on a writer it never saw. 'kfold': 5 interleaved folds.
const CV = args.get('cv') ?? 'writer';
// Whether a negated crisis phrase keeps the model from raising the text (see modelMayRaise).
const BLOCK_NEGATED = (args.get('block-negated') ?? 'true') === 'true';
const { writerFiles, readCorpus, EXTRA_FILE } = require(`${lib}/corpus/files`) as {
  writerFiles: () => string[];
  readCorpus: (file: string) => Omit<Message, 'source'>[];
  EXTRA_FILE: string;
};
const WRITERS = writerFiles();
const FEATURES: FeatureOptions = { ...DEFAULT_FEATURES };
// --with=a,b / --without=a,b: feature kinds switched on or off (compared by cross-validation).
for (const [flag, on] of [
  ['with', true],
  ['without', false],
] as const) {
  for (const name of (args.get(flag) ?? '').split(',').filter(Boolean)) {
    if (!(name in FEATURES)) throw new Error(`unknown feature kind ${name}`);
    FEATURES[name as keyof FeatureOptions] = on;
  }
}
const CLASSES = BINARY ? ['not_crisis', 'crisis'] : ['not_crisis', ...CRISIS_CATEGORIES];
const CLASS_COUNT = CLASSES.length;
const MASK = (1 << BITS) - 1;

type Lang = 'en' | 'sv';
interface Message {
  text: string;
  lang: Lang;
  label: 'crisis' | 'elevated' | 'none';
  category: string;
  source: string;
}
interface Example {
  message: Message;
  features: Int32Array;
  target: number;
  ruleCrisis: boolean;
  mayRaise: boolean;
  /** The other choice of BLOCK_NEGATED, to print both from one cross-validation. */
  mayRaiseOther: boolean;
}

const rules = compileRules(SAFETY_RULES);
const messages: Message[] = [...WRITERS, EXTRA_FILE].flatMap((file) =>
  readCorpus(file).map((message) => ({ ...message, source: file })),
);
const examples: Example[] = messages.map((message) => {
  const folded = foldText(message.text);
  const found = applyRules(rules, folded);
  const crisisClass = BINARY ? 1 : CLASSES.indexOf(message.category);
  const target = message.label === 'crisis' ? crisisClass : 0;
  if (target < 0) throw new Error(`unknown crisis category ${message.category}`);
  return {
    message,
    features: Int32Array.from(
      extractFeatures(folded, found.signals, FEATURES),
      (hash) => hash & MASK,
    ),
    target,
    ruleCrisis: found.level === 'crisis',
    mayRaise: modelMayRaise(found.signals, BLOCK_NEGATED),
    mayRaiseOther: modelMayRaise(found.signals, !BLOCK_NEGATED),
  };
});

interface Trained {
  weights: Float64Array;
  bias: Float64Array;
}

function logitsOf(model: Trained, features: Int32Array, out: Float64Array): void {
  out.set(model.bias);
  for (const feature of features) {
    const row = feature * CLASS_COUNT;
    for (let k = 0; k < CLASS_COUNT; k++) out[k] = out[k]! + model.weights[row + k]!;
  }
}

function crisisProbability(model: Trained, features: Int32Array): number {
  const logits = new Float64Array(CLASS_COUNT);
  logitsOf(model, features, logits);
  const max = Math.max(...logits);
  let sum = 0;
  for (const logit of logits) sum += Math.exp(logit - max);
  return 1 - Math.exp(logits[0]! - max) / sum;
}

/** Full-batch Adam on the mean cross-entropy plus L2 (deterministic). */
function train(set: readonly Example[]): Trained {
  const size = (MASK + 1) * CLASS_COUNT;
  const model: Trained = { weights: new Float64Array(size), bias: new Float64Array(CLASS_COUNT) };
  const counts = new Float64Array(CLASS_COUNT);
  for (const example of set) counts[example.target]!++;
  let totalWeight = 0;
  for (const example of set) totalWeight += example.target === 0 ? 1 : CRISIS_WEIGHT;
  for (let k = 0; k < CLASS_COUNT; k++) model.bias[k] = Math.log((counts[k]! + 1) / set.length);

  const grad = new Float64Array(size);
  const gradBias = new Float64Array(CLASS_COUNT);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const mb = new Float64Array(CLASS_COUNT);
  const vb = new Float64Array(CLASS_COUNT);
  const logits = new Float64Array(CLASS_COUNT);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  for (let step = 1; step <= ITERATIONS; step++) {
    grad.fill(0);
    gradBias.fill(0);
    for (const example of set) {
      logitsOf(model, example.features, logits);
      const max = Math.max(...logits);
      let sum = 0;
      for (let k = 0; k < CLASS_COUNT; k++) {
        logits[k] = Math.exp(logits[k]! - max);
        sum += logits[k]!;
      }
      for (let k = 0; k < CLASS_COUNT; k++) {
        const weight = example.target === 0 ? 1 : CRISIS_WEIGHT;
        const g = (weight * (logits[k]! / sum - (k === example.target ? 1 : 0))) / totalWeight;
        gradBias[k]! += g;
        for (const feature of example.features) grad[feature * CLASS_COUNT + k]! += g;
      }
    }
    const rate = (LEARNING_RATE * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    for (let i = 0; i < size; i++) {
      const g = grad[i]! + L2 * model.weights[i]!;
      if (g === 0) continue;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      model.weights[i]! -= (rate * m[i]!) / (Math.sqrt(v[i]!) + epsilon);
    }
    for (let k = 0; k < CLASS_COUNT; k++) {
      const g = gradBias[k]!;
      mb[k] = beta1 * mb[k]! + (1 - beta1) * g;
      vb[k] = beta2 * vb[k]! + (1 - beta2) * g * g;
      model.bias[k]! -= (rate * mb[k]!) / (Math.sqrt(vb[k]!) + epsilon);
    }
  }
  return model;
}

// ------------------------------------------------------------------ cross-validation
// --threshold=en:T,sv:T (or one T for both) skips cross-validation: a quick retrain at thresholds
// chosen before.
const fixedThreshold: Record<Lang, number> | null = args.has('threshold')
  ? parseThresholds(args.get('threshold') ?? '')
  : null;
function parseThresholds(value: string): Record<Lang, number> {
  const both = Number(value);
  if (!Number.isNaN(both)) return { en: both, sv: both };
  const parsed = Object.fromEntries(
    value.split(',').map((part) => {
      const [lang, threshold] = part.split(':');
      return [lang, Number(threshold)];
    }),
  ) as Partial<Record<Lang, number>>;
  const { en, sv } = parsed;
  if (!(en !== undefined && en > 0 && sv !== undefined && sv > 0)) {
    throw new Error(`--threshold=${value}: give en:T,sv:T`);
  }
  return { en, sv };
}
const outOfFold = new Float64Array(examples.length);
// Which fold each example is tested in (-1: always trained on).
const foldOf = examples.map((example, index) =>
  CV === 'writer' ? WRITERS.indexOf(example.message.source) : index % 5,
);
const FOLDS = CV === 'writer' ? WRITERS.length : 5;
for (let fold = 0; fold < (fixedThreshold === null ? FOLDS : 0); fold++) {
  const model = train(examples.filter((_, index) => foldOf[index] !== fold));
  examples.forEach((example, index) => {
    if (foldOf[index] === fold) outOfFold[index] = crisisProbability(model, example.features);
  });
}
const tested = (index: number) => foldOf[index]! >= 0;

interface Scores {
  crisis: number;
  caught: number;
  other: number;
  falseAlarms: number;
}
function scoresAt(threshold: number, lang: string, source?: string, other = false): Scores {
  const scores: Scores = { crisis: 0, caught: 0, other: 0, falseAlarms: 0 };
  examples.forEach((example, index) => {
    if (example.message.lang !== lang || !tested(index)) return;
    if (source !== undefined && example.message.source !== source) return;
    const mayRaise = other ? example.mayRaiseOther : example.mayRaise;
    const flagged = example.ruleCrisis || (mayRaise && outOfFold[index]! >= threshold);
    if (example.message.label === 'crisis') {
      scores.crisis++;
      if (flagged) scores.caught++;
    } else {
      scores.other++;
      if (flagged) scores.falseAlarms++;
    }
  });
  return scores;
}
const percent = (part: number, whole: number) =>
  whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

console.log(
  `${examples.length} training messages, ${CV === 'writer' ? 'writer-held-out' : '5-fold'} cross-validation, bits=${BITS} l2=${L2} iterations=${ITERATIONS} rate=${LEARNING_RATE} crisis-weight=${CRISIS_WEIGHT} block-negated=${BLOCK_NEGATED}${BINARY ? ' binary' : ''} features=${JSON.stringify(FEATURES)}`,
);
console.log('threshold   en recall  en false alarms   sv recall  sv false alarms');
const rulesOnly = { en: scoresAt(2, 'en'), sv: scoresAt(2, 'sv') };
console.log(
  `rules only  ${percent(rulesOnly.en.caught, rulesOnly.en.crisis)}     ${percent(rulesOnly.en.falseAlarms, rulesOnly.en.other)}           ${percent(rulesOnly.sv.caught, rulesOnly.sv.crisis)}     ${percent(rulesOnly.sv.falseAlarms, rulesOnly.sv.other)}`,
);
// Per language: the language a message is written in decides (see screen.ts), and one shared
// threshold would be set by whichever language's false alarms bind first.
const chosen: Record<Lang, number> = fixedThreshold ?? { en: 0.5, sv: 0.5 };
for (let step = 95; step >= 5 && fixedThreshold === null; step -= 5) {
  const threshold = step / 100;
  const en = scoresAt(threshold, 'en');
  const sv = scoresAt(threshold, 'sv');
  console.log(
    `  ${threshold.toFixed(2)}      ${percent(en.caught, en.crisis)}     ${percent(en.falseAlarms, en.other)}           ${percent(sv.caught, sv.crisis)}     ${percent(sv.falseAlarms, sv.other)}`,
  );
  if (en.falseAlarms <= MAX_FALSE_ALARMS * en.other) chosen.en = threshold;
  if (sv.falseAlarms <= MAX_FALSE_ALARMS * sv.other) chosen.sv = threshold;
}
for (const threshold of [0.3, 0.4, 0.5, 0.6]) {
  const line = (['en', 'sv'] as const).map((lang) => {
    const s = scoresAt(threshold, lang, undefined, true);
    return `${lang} ${percent(s.caught, s.crisis)} / ${percent(s.falseAlarms, s.other)}`;
  });
  console.log(`with block-negated=${!BLOCK_NEGATED} at ${threshold}: ${line.join('   ')}`);
}
console.log(
  `chosen thresholds en ${chosen.en}, sv ${chosen.sv} (out-of-fold false alarms <= ${MAX_FALSE_ALARMS * 100} % in each language)`,
);
if (CV === 'writer' && fixedThreshold === null) {
  console.log(`per held-out writer at en ${chosen.en}, sv ${chosen.sv}: recall / false alarms`);
  for (const source of WRITERS) {
    const line = (['en', 'sv'] as const).map((lang) => {
      const s = scoresAt(chosen[lang], lang, source);
      return `${lang} ${percent(s.caught, s.crisis)} / ${percent(s.falseAlarms, s.other)}`;
    });
    console.log(`  ${source.padEnd(16)} ${line.join('   ')}`);
  }
}

// Out-of-fold misses and false alarms by category (counts only), to see where the screen is weak.
const byCategory = new Map<string, { total: number; wrong: number }>();
examples.forEach((example, index) => {
  if (!tested(index)) return;
  const flagged =
    example.ruleCrisis || (example.mayRaise && outOfFold[index]! >= chosen[example.message.lang]);
  const key = `${example.message.lang} ${example.message.category}`;
  const entry = byCategory.get(key) ?? { total: 0, wrong: 0 };
  entry.total++;
  if (flagged !== (example.message.label === 'crisis')) entry.wrong++;
  byCategory.set(key, entry);
});
console.log('out-of-fold errors by category:');
for (const [key, { total, wrong }] of [...byCategory].sort()) {
  console.log(`  ${key.padEnd(28)} ${String(wrong).padStart(3)} / ${total}`);
}
if (args.has('show-errors')) {
  examples.forEach((example, index) => {
    if (!tested(index)) return;
    const flagged =
      example.ruleCrisis || (example.mayRaise && outOfFold[index]! >= chosen[example.message.lang]);
    if (flagged !== (example.message.label === 'crisis')) {
      console.log(
        `  ${flagged ? 'FA  ' : 'MISS'} ${outOfFold[index]!.toFixed(2)} ${example.message.category} ${example.message.text}`,
      );
    }
  });
}

if (args.has('cv-only') || BINARY) process.exit(0);

// ------------------------------------------------------------------ the shipped model
const model = train(examples);
let largest = 0;
for (const weight of model.weights) largest = Math.max(largest, Math.abs(weight));
const scale = largest / 127 || 1;
const quantised = Int8Array.from(model.weights, (weight) => Math.round(weight / scale));
const weights = deflateRawSync(Buffer.from(quantised.buffer), { level: 9 }).toString('base64');
const round = (value: number) => Number(value.toPrecision(6));
const output = join(safetyDir, 'model.generated.ts');
writeFileSync(
  output,
  `/**
 * Generated by dev/safety-train.ts from corpus/train*.jsonl (${examples.length} messages): do not edit.
 * Re-run the script after changing the corpus, the rules or features.ts.
 */
import type { SafetyModelData } from './model';

export const SAFETY_MODEL: SafetyModelData = {
  bits: ${BITS},
  classes: ${JSON.stringify(CLASSES)},
  thresholds: ${JSON.stringify(chosen)},
  scale: ${round(scale)},
  bias: ${JSON.stringify(Array.from(model.bias, round))},
  weights:
    '${weights}',
};
`,
);
execFileSync(join(root, 'functions', 'node_modules', '.bin', 'prettier'), ['--write', output], {
  stdio: 'ignore',
});
console.log(`wrote ${output} (${(weights.length / 1024).toFixed(0)} KiB of weights)`);

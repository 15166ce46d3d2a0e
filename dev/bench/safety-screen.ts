/**
 * The safety screen (functions/lib/domain/safety) beside its baseline, the screen as it was at
 * BASELINE_COMMIT (taken from git and transpiled, so no copy of old rules lives in the repo):
 *   - accuracy on the labelled corpus: crisis recall and false alarms (non-crisis answered
 *     `crisis`) per language and category, on the training part and the held-out part (held-out:
 *     aggregate figures only, never a message);
 *   - time per message: median and p99 over the corpus, and per 4,000-character text;
 *   - cold start: a fresh Node process requiring the module and screening a first everyday text,
 *     then a first crisis text (median of 7), and the machine's load average.
 *
 *   npm --prefix functions run build && node dev/bench/safety-screen.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const BASELINE_COMMIT = 'b3c1730';
const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'functions', 'package.json'));
type Screen = (text: string, lang?: 'en' | 'sv') => { level: string; matched: string[] };
const { screenText } = require('./lib/domain/safety') as { screenText: Screen };

function loadBaseline(): Screen {
  // The few parts of the TypeScript compiler used here (dev/ has no types of it).
  const ts = require('typescript') as {
    transpileModule: (
      source: string,
      options: { compilerOptions: Record<string, unknown> },
    ) => { outputText: string };
    ModuleKind: { CommonJS: number };
    ScriptTarget: { ES2022: number };
  };
  const dir = join(tmpdir(), `stilla-safety-baseline-${BASELINE_COMMIT}`);
  mkdirSync(dir, { recursive: true });
  for (const name of ['index', 'screen', 'rules', 'context', 'normalize', 'resources', 'types']) {
    const source = execFileSync(
      'git',
      ['show', `${BASELINE_COMMIT}:functions/src/domain/safety/${name}.ts`],
      { cwd: root, encoding: 'utf8' },
    );
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  return (require(join(dir, 'index.js')) as { screenText: Screen }).screenText;
}
const baselineDir = join(tmpdir(), `stilla-safety-baseline-${BASELINE_COMMIT}`);
const baseline = loadBaseline();

const { heldOutFiles, readCorpus, readTraining } = require('./lib/domain/safety/corpus/files') as {
  heldOutFiles: () => string[];
  readCorpus: (file: string) => CorpusMessage[];
  readTraining: () => CorpusMessage[];
};
interface CorpusMessage {
  text: string;
  lang: 'en' | 'sv';
  label: string;
  category: string;
}
const training = readTraining();
const heldOutParts = heldOutFiles().map((file) => ({ file, messages: readCorpus(file) }));

const pct = (part: number, whole: number) =>
  whole === 0 ? '     -' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

/** Per language and category: share answered crisis (recall for crisis, false alarms otherwise). */
function accuracy(title: string, messages: readonly CorpusMessage[]): void {
  const rows = new Map<string, { total: number; now: number; before: number }>();
  const add = (key: string, now: boolean, before: boolean) => {
    const row = rows.get(key) ?? { total: 0, now: 0, before: 0 };
    row.total++;
    if (now) row.now++;
    if (before) row.before++;
    rows.set(key, row);
  };
  for (const message of messages) {
    const now = screenText(message.text, message.lang).level === 'crisis';
    const before = baseline(message.text, message.lang).level === 'crisis';
    const kind = message.label === 'crisis' ? 'crisis recall' : 'false alarms';
    add(`${message.lang} ${kind} (all)`, now, before);
    add(`${message.lang} ${kind}: ${message.category}`, now, before);
  }
  console.log(`\n${title}: share answered crisis        n    screen  baseline`);
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `  ${key.padEnd(40)} ${String(row.total).padStart(4)}   ${pct(row.now, row.total)}   ${pct(row.before, row.total)}`,
    );
  }
}

function timings(fn: Screen, texts: readonly string[]): { median: number; p99: number } {
  for (const text of texts) fn(text);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of texts) {
      const started = performance.now();
      fn(text);
      samples.push((performance.now() - started) * 1000);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}

function perCall(fn: Screen, text: string): number {
  for (let i = 0; i < 20; i++) fn(text);
  const runs = 200;
  const started = performance.now();
  for (let i = 0; i < runs; i++) fn(text);
  return ((performance.now() - started) / runs) * 1000;
}

/**
 * Cold start in a fresh process (median of 7): require + a first everyday text, and then a first
 * crisis text (which compiles the regular expressions of the rules it wakes and decodes the model).
 */
function loadTime(module: string): { first: number; crisis: number } {
  const firsts: number[] = [];
  const crises: number[] = [];
  for (let i = 0; i < 7; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const t=performance.now();const m=require(${JSON.stringify(module)});if(m.screenText)m.screenText('hej, bra dag idag');const a=performance.now();if(m.screenText)m.screenText('i took all my pills and said goodbye');console.log(a-t,performance.now()-a)`,
      ],
      { encoding: 'utf8' },
    );
    const [first, crisis] = out.trim().split(' ').map(Number);
    firsts.push(first ?? NaN);
    crises.push(crisis ?? NaN);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[3] ?? NaN;
  return { first: median(firsts), crisis: median(crises) };
}

accuracy(`training part (${training.length} messages)`, training);
for (const { file, messages } of heldOutParts) {
  accuracy(`HELD-OUT part ${file} (${messages.length} messages, aggregates only)`, messages);
}

const corpusTexts = [...training, ...heldOutParts.flatMap((part) => part.messages)].map(
  (message) => message.text,
);
const now = timings(screenText, corpusTexts);
const before = timings(baseline, corpusTexts);
console.log(`\nµs per corpus message (${corpusTexts.length} messages × 5)   screen  baseline`);
console.log(
  `  median                                  ${now.median.toFixed(1).padStart(7)}   ${before.median.toFixed(1).padStart(7)}`,
);
console.log(
  `  p99                                     ${now.p99.toFixed(1).padStart(7)}   ${before.p99.toFixed(1).padStart(7)}`,
);

const longTexts: Record<string, string> = {
  'English prose': 'I went for a walk, then had a coffee and felt ok. '.repeat(80).slice(0, 4000),
  'Swedish prose': 'Jag gick en promenad och drack kaffe, det var en okej dag. '
    .repeat(70)
    .slice(0, 4000),
  'crisis at the end': `${'Today was a normal day at work. '.repeat(120)}I want to die`.slice(
    -4000,
  ),
  'one 4000-char word': 'a'.repeat(4000),
  'repeated triggers': 'kill my self want to die not '.repeat(140).slice(0, 4000),
  'only negations': "don't not never inte aldrig ".repeat(150).slice(0, 4000),
};
console.log('\nµs per 4000-char text (200 runs after 20 warm-up)   screen  baseline');
for (const [name, text] of Object.entries(longTexts)) {
  console.log(
    `  ${name.padEnd(40)}  ${perCall(screenText, text).toFixed(0).padStart(7)}   ${perCall(baseline, text).toFixed(0).padStart(7)}`,
  );
}
const screenLoad = loadTime(join(root, 'functions', 'lib', 'domain', 'safety'));
const baselineLoad = loadTime(join(baselineDir, 'index.js'));
console.log('\ncold start, fresh process, median of 7 (ms)          screen  baseline');
console.log(
  `  require + first everyday text            ${screenLoad.first.toFixed(1).padStart(7)}   ${baselineLoad.first.toFixed(1).padStart(7)}`,
);
console.log(
  `  then the first crisis text               ${screenLoad.crisis.toFixed(1).padStart(7)}   ${baselineLoad.crisis.toFixed(1).padStart(7)}`,
);
console.log(
  `machine load average (1, 5, 15 min): ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}`,
);

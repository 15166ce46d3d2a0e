/**
 * Speed of the safety screen (functions/lib/domain/safety) on 4,000-character texts, the chat's
 * longest message, side by side with a naive baseline (lower-case + substring search of a few
 * phrases) that has none of the screen's inflection, negation or misspelling handling.
 *
 *   npm --prefix functions run build && node dev/bench/safety-screen.ts
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'functions', 'package.json'));
const { screenText } = require('./lib/domain/safety') as {
  screenText: (text: string, lang?: 'en' | 'sv') => { level: string };
};

const NAIVE = [
  'kill myself',
  'want to die',
  'suicide',
  'end my life',
  'ta livet av mig',
  'vill dö',
];
const naive = (text: string) => {
  const lower = text.toLowerCase();
  return NAIVE.some((phrase) => lower.includes(phrase)) ? 'crisis' : 'none';
};

const texts: Record<string, string> = {
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

function perCall(fn: (text: string) => unknown, text: string): number {
  for (let i = 0; i < 50; i++) fn(text);
  const runs = 500;
  const started = performance.now();
  for (let i = 0; i < runs; i++) fn(text);
  return ((performance.now() - started) / runs) * 1000;
}

console.log('safety screen, µs per 4000-char text (500 runs after 50 warm-up)');
console.log('  text                  screen   naive baseline');
for (const [name, text] of Object.entries(texts)) {
  console.log(
    `  ${name.padEnd(20)} ${perCall(screenText, text).toFixed(0).padStart(7)}   ${perCall(naive, text).toFixed(1).padStart(7)}`,
  );
}

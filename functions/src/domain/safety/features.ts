/**
 * Features of a folded text (see `foldText`) for the safety screen's statistical model: hashed
 * word 1–3-grams, character 3–5-grams of each clause, words in the scope of a negation, and the
 * rule engine's verdicts (`signals`). The same code runs when the model is trained
 * (dev/safety-train.ts) and when a message is screened, so the two cannot drift apart.
 *
 * Hashing (FNV-1a, no strings built per n-gram) keeps extraction allocation-light and the model a
 * fixed-size table whatever the vocabulary; a namespace seed keeps a word, a word pair and a
 * character n-gram with the same letters apart.
 */

const FNV_PRIME = 16777619;
const FNV_OFFSET = 2166136261;

// Namespace seeds: one per kind of feature.
const SEED_WORD = 0x1000193;
const SEED_NEGATED_WORD = 0x2000193;
const SEED_PAIR = 0x3000193;
const SEED_TRIPLE = 0x4000193;
const SEED_CHARS = 0x5000193;
const SEED_SIGNAL = 0x6000193;

/** Words that negate what follows them in their clause ("i dont want to die"). */
const NEGATIONS = new Set([
  'not',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'wont',
  'wouldnt',
  'isnt',
  'arent',
  'wasnt',
  'havent',
  'hasnt',
  'hadnt',
  'shouldnt',
  'no',
  'nor',
  'inte',
  'aldrig',
  'ingen',
  'inga',
  'inget',
  'ej',
]);
/** How many words after a negation are marked as negated. */
const NEGATION_SCOPE = 4;
/** Longer texts are cut for the model (the rules still read all of it): bounds the cost. */
export const MAX_MODEL_CHARS = 1200;

function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME) >>> 0;
}

function hashRange(seed: number, text: string, from: number, to: number): number {
  let hash = mix(FNV_OFFSET, seed);
  for (let index = from; index < to; index++) hash = mix(hash, text.charCodeAt(index));
  return hash;
}

/** Spreads the low bits, which FNV leaves weak, before the caller masks them. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Folded text and rule signals → 32-bit feature hashes (repeats kept: they count twice). */
export function extractFeatures(folded: string, signals: readonly string[]): number[] {
  const features: number[] = [];
  const text = folded.length > MAX_MODEL_CHARS ? folded.slice(0, MAX_MODEL_CHARS) : folded;
  for (const signal of signals)
    features.push(finish(hashRange(SEED_SIGNAL, signal, 0, signal.length)));

  let clauseStart = 0;
  while (clauseStart <= text.length) {
    let clauseEnd = text.indexOf('\n', clauseStart);
    if (clauseEnd < 0) clauseEnd = text.length;
    if (clauseEnd > clauseStart) addClause(text, clauseStart, clauseEnd, features);
    clauseStart = clauseEnd + 1;
  }
  return features;
}

function addClause(text: string, start: number, end: number, features: number[]): void {
  // Character 3–5-grams over " clause ", spaces included: stems, compounds, misspellings.
  const padded = ` ${text.slice(start, end)} `;
  for (let from = 0; from + 3 <= padded.length; from++) {
    let hash = mix(FNV_OFFSET, SEED_CHARS);
    for (let length = 1; length <= 5 && from + length <= padded.length; length++) {
      hash = mix(hash, padded.charCodeAt(from + length - 1));
      if (length >= 3) features.push(finish(hash));
    }
  }

  // Word n-grams; "^" marks the clause start so an opening word differs from a later one.
  let previous = hashRange(SEED_WORD, '^', 0, 1);
  let beforePrevious = previous;
  let negatedLeft = 0;
  let wordStart = start;
  while (wordStart < end) {
    let wordEnd = text.indexOf(' ', wordStart);
    if (wordEnd < 0 || wordEnd > end) wordEnd = end;
    if (wordEnd > wordStart) {
      const word = hashRange(SEED_WORD, text, wordStart, wordEnd);
      features.push(finish(word));
      if (negatedLeft > 0) {
        features.push(finish(hashRange(SEED_NEGATED_WORD, text, wordStart, wordEnd)));
        negatedLeft--;
      }
      features.push(finish(mix(mix(SEED_PAIR, previous), word)));
      features.push(finish(mix(mix(mix(SEED_TRIPLE, beforePrevious), previous), word)));
      if (NEGATIONS.has(text.slice(wordStart, wordEnd))) negatedLeft = NEGATION_SCOPE;
      beforePrevious = previous;
      previous = word;
    }
    wordStart = wordEnd + 1;
  }
}

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

import { conceptOf } from './concepts';

const FNV_PRIME = 16777619;
const FNV_OFFSET = 2166136261;

// Namespace seeds: one per kind of feature.
const SEED_WORD = 0x1000193;
const SEED_NEGATED_WORD = 0x2000193;
const SEED_PAIR = 0x3000193;
const SEED_TRIPLE = 0x4000193;
const SEED_CHARS = 0x5000193;
const SEED_SIGNAL = 0x6000193;
const SEED_PREFIX = 0x7000193;
const SEED_FIRST_PERSON = 0x8000193;
const SEED_CONCEPT = 0x9000193;

/** Which feature kinds are extracted (dev/safety-train.ts compares them by cross-validation). */
export interface FeatureOptions {
  /** Character 3–5-grams of each clause. */
  chars: boolean;
  /** Word 2- and 3-grams. */
  pairs: boolean;
  /** The first {@link PREFIX_LENGTH} letters of longer words: Swedish inflection and compounds. */
  prefixes: boolean;
  /** Words of a clause that has a first-person word, marked as such ("i"/"jag" ... "pills"). */
  firstPerson: boolean;
  /** Meaning classes (concepts.ts), their pairs in the message, and with a first-person word. */
  concepts: boolean;
  /**
   * Each feature once, whatever how often it occurs: a repeated phrase adds nothing, so a long
   * or repetitive text cannot pile up a score that short training messages never reach.
   */
  unique: boolean;
}

/** The options the shipped model was trained with. */
// Writer-held-out cross-validation (dev/safety-train.ts): prefixes and first-person marking added
// nothing over character n-grams (within ±0.5 point), so they are off and cost no time.
export const DEFAULT_FEATURES: FeatureOptions = {
  chars: true,
  pairs: true,
  prefixes: false,
  firstPerson: false,
  concepts: true,
  unique: true,
};

/** What a message's clauses found, for the message-level concept features. */
interface MessageState {
  concepts: number;
  firstPerson: boolean;
}
const PREFIX_LENGTH = 5;
const FIRST_PERSON = new Set([
  'i',
  'im',
  'ive',
  'id',
  'ill',
  'me',
  'my',
  'jag',
  'mig',
  'mej',
  'min',
  'mitt',
  'mina',
  'ja',
]);

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
const MAX_MODEL_CHARS = 1200;

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
export function extractFeatures(
  folded: string,
  signals: readonly string[],
  options: FeatureOptions = DEFAULT_FEATURES,
): number[] {
  const features: number[] = [];
  const text = folded.length > MAX_MODEL_CHARS ? folded.slice(0, MAX_MODEL_CHARS) : folded;
  for (const signal of signals)
    features.push(finish(hashRange(SEED_SIGNAL, signal, 0, signal.length)));

  const state: MessageState = { concepts: 0, firstPerson: false };
  let clauseStart = 0;
  while (clauseStart <= text.length) {
    let clauseEnd = text.indexOf('\n', clauseStart);
    if (clauseEnd < 0) clauseEnd = text.length;
    if (clauseEnd > clauseStart) addClause(text, clauseStart, clauseEnd, features, options, state);
    clauseStart = clauseEnd + 1;
  }
  if (options.concepts) addConcepts(state, features);
  return options.unique ? [...new Set(features)] : features;
}

function addClause(
  text: string,
  start: number,
  end: number,
  features: number[],
  options: FeatureOptions,
  state: MessageState,
): void {
  // Character 3–5-grams over " clause ", spaces included: stems, compounds, misspellings.
  const padded = options.chars ? ` ${text.slice(start, end)} ` : '';
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
  const firstWord = features.length;
  let firstPerson = false;
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
      if (options.prefixes && wordEnd - wordStart > PREFIX_LENGTH) {
        features.push(finish(hashRange(SEED_PREFIX, text, wordStart, wordStart + PREFIX_LENGTH)));
      }
      if (options.pairs) {
        features.push(finish(mix(mix(SEED_PAIR, previous), word)));
        features.push(finish(mix(mix(mix(SEED_TRIPLE, beforePrevious), previous), word)));
      }
      const token = text.slice(wordStart, wordEnd);
      if (NEGATIONS.has(token)) negatedLeft = NEGATION_SCOPE;
      if (!firstPerson && FIRST_PERSON.has(token)) firstPerson = true;
      if (options.concepts) {
        const concept = conceptOf(token);
        if (concept >= 0) state.concepts |= 1 << concept;
      }
      beforePrevious = previous;
      previous = word;
    }
    wordStart = wordEnd + 1;
  }
  if (firstPerson) state.firstPerson = true;
  if (firstPerson && options.firstPerson) {
    // The clause's words again under their own seed: "pills" said about oneself weighs apart.
    const words = features.length;
    for (let index = firstWord; index < words; index++) {
      features.push(finish(mix(features[index] ?? 0, SEED_FIRST_PERSON)));
    }
  }
}

/** Each meaning class found, each pair of them, and each with "a first-person word was there". */
function addConcepts(state: MessageState, features: number[]): void {
  const found = state.concepts;
  for (let a = 0; found >>> a !== 0; a++) {
    if ((found & (1 << a)) === 0) continue;
    const single = mix(SEED_CONCEPT, a + 1);
    features.push(finish(single));
    if (state.firstPerson) features.push(finish(mix(single, SEED_FIRST_PERSON)));
    for (let b = a + 1; found >>> b !== 0; b++) {
      if ((found & (1 << b)) !== 0) features.push(finish(mix(single, 100 + b)));
    }
  }
}

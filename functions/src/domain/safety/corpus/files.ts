/**
 * The labelled safety corpus on disk (format and categories in CATEGORIES.md), for the corpus
 * test, the training script and the benchmark; the screen itself never reads it. Files are found
 * by name, so a new writer's file is picked up everywhere at once:
 *
 * - `train-<writer>.jsonl`: one file per writer, each written apart from the others; the training
 *   script holds out one writer at a time to see how the screen does on a writer it never saw.
 * - `train-extra.jsonl`: the unit tests' idioms and negations (trained on, never held out).
 * - `heldout*.jsonl`: the held-out parts, written by someone who saw only CATEGORIES.md. Nobody
 *   working on the rules reads them; only their scores are looked at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../../lib/language';

export interface CorpusMessage {
  text: string;
  lang: Language;
  label: 'crisis' | 'elevated' | 'none';
  category: string;
}

/** The corpus folder in the source tree (this file runs compiled from functions/lib). */
export const CORPUS_DIR = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'src',
  'domain',
  'safety',
  'corpus',
);

/** The file of examples that is always trained on and never held out. */
export const EXTRA_FILE = 'train-extra.jsonl';

const jsonlFiles = (prefix: string) =>
  readdirSync(CORPUS_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.jsonl'))
    .sort();

/** The writers' training files, `train-a.jsonl` …, in name order (train-extra not included). */
export const writerFiles = (): string[] =>
  jsonlFiles('train-').filter((name) => name !== EXTRA_FILE);

/** Every held-out part, `heldout.jsonl`, `heldout-b.jsonl` …, in name order. */
export const heldOutFiles = (): string[] => jsonlFiles('heldout');

/** The messages of one corpus file, one JSON object per line. */
export function readCorpus(file: string): CorpusMessage[] {
  return readFileSync(join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusMessage);
}

/** Every training message: the writers' files and train-extra. */
export const readTraining = (): CorpusMessage[] =>
  [...writerFiles(), EXTRA_FILE].flatMap(readCorpus);

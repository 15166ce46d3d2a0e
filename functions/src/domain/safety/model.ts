import { inflateRawSync } from 'node:zlib';
import type { Language } from '../../lib/language';
import type { CrisisCategory } from './types';

/**
 * The safety screen's statistical model as shipped: a multinomial logistic regression over hashed
 * features (see features.ts), trained at build time by dev/safety-train.ts from the labelled
 * corpus (corpus/train*.jsonl) and written to model.generated.ts. Class 0 is "not crisis", the
 * others are the C-SSRS crisis categories; P(crisis) is 1 − P(class 0).
 */
export interface SafetyModelData {
  /** The table has 2^bits rows, one per feature bucket. */
  bits: number;
  classes: readonly string[];
  /**
   * P(crisis) at or above this is a crisis, per language (each the lowest that keeps that
   * language's false alarms within 3 % in writer-held-out cross-validation).
   */
  thresholds: Readonly<Record<Language, number>>;
  /** Weight = int8 × scale. */
  scale: number;
  bias: readonly number[];
  /**
   * Base64 of the raw-DEFLATE-compressed int8 weights, row-major: bucket × class. Compressed
   * because most weights are 0: 260 KiB of source instead of 850 KiB, which V8 parses in a third
   * of the time, and inflating costs less than the parse it saves.
   */
  weights: string;
}

export interface ModelVerdict {
  /** Probability that the text is a crisis message. */
  crisis: number;
  /** The most likely crisis category. */
  category: CrisisCategory;
}

/** A loaded model: inflates its table once (2^16 × 10 weights: ~3 ms warm, ~7 ms on a cold process). */
export interface SafetyModel {
  readonly thresholds: Readonly<Record<Language, number>>;
  score(features: readonly number[]): ModelVerdict;
}

export function loadModel(data: SafetyModelData): SafetyModel {
  const bytes = inflateRawSync(Buffer.from(data.weights, 'base64'));
  const table = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const classCount = data.classes.length;
  const mask = (1 << data.bits) - 1;
  if (table.length !== (mask + 1) * classCount || data.bias.length !== classCount) {
    throw new Error('safety model: table size does not match its header');
  }
  const logits = new Float64Array(classCount);
  return {
    thresholds: data.thresholds,
    score(features) {
      logits.fill(0);
      for (const feature of features) {
        const row = (feature & mask) * classCount;
        for (let k = 0; k < classCount; k++) logits[k] = (logits[k] ?? 0) + (table[row + k] ?? 0);
      }
      let top = 1;
      let max = -Infinity;
      for (let k = 0; k < classCount; k++) {
        const logit = (logits[k] ?? 0) * data.scale + (data.bias[k] ?? 0);
        logits[k] = logit;
        if (logit > max) max = logit;
        if (k > 0 && logit > (logits[top] ?? 0)) top = k;
      }
      let sum = 0;
      for (let k = 0; k < classCount; k++) sum += Math.exp((logits[k] ?? 0) - max);
      const notCrisis = Math.exp((logits[0] ?? 0) - max) / sum;
      return { crisis: 1 - notCrisis, category: data.classes[top] as CrisisCategory };
    },
  };
}

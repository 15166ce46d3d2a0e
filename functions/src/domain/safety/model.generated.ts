/** Placeholder until dev/safety-train.ts has run. */
import type { SafetyModelData } from './model';

export const SAFETY_MODEL: SafetyModelData = {
  bits: 1,
  classes: [
    'not_crisis',
    'wish_dead',
    'nonspecific_ideation',
    'active_ideation',
    'method',
    'intent',
    'plan',
    'preparatory',
    'attempt',
    'nssi',
  ],
  threshold: 2,
  scale: 1,
  bias: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  weights: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

/** The safety screen: self-harm and suicide risk in English and Swedish, with crisis resources. */
export { mergeModeration, screenText } from './screen';
export { supportiveReply } from './resources';
export { compileRules, SAFETY_RULES } from './rules';
export { foldText } from './normalize';
export { maxLevel } from './types';
export type { ModerationResult, Resource, SafetyLevel } from './types';

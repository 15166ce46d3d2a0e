/** The safety screen: self-harm and suicide risk in English and Swedish, with crisis resources. */
export { mergeModeration, PAST_SUFFIX, screenText, screenWith } from './screen';
export { crisisResources, elevatedResources, resourcesFor, supportiveReply } from './resources';
export { compileRules, SAFETY_RULES } from './rules';
export type { CompiledRule, SafetyRule } from './rules';
export { foldText } from './normalize';
export { maxLevel } from './types';
export type { ModerationResult, Resource, SafetyAssessment, SafetyLevel } from './types';

import { matchContext } from './context';
import { foldText } from './normalize';
import { resourcesFor } from './resources';
import { compileRules, SAFETY_RULES } from './rules';
import type { CompiledRule } from './rules';
import { maxLevel } from './types';
import type { ModerationResult, SafetyAssessment, SafetyLanguage, SafetyLevel } from './types';

const COMPILED_RULES = compileRules(SAFETY_RULES);

/** Suffix added to a crisis rule's id when it only fired about the past (reported as elevated). */
export const PAST_SUFFIX = ':past';

/**
 * Screens a text (a mood note or a chat message) for risk of self-harm or suicide, in English and
 * Swedish whatever `lang` is; `lang` only picks the language of the resources.
 */
export function screenText(text: string, lang: SafetyLanguage = 'en'): SafetyAssessment {
  return screenWith(COMPILED_RULES, text, lang);
}

/** {@link screenText} with an explicit rule set (for tests and for trying out new rules). */
export function screenWith(
  rules: readonly CompiledRule[],
  text: string,
  lang: SafetyLanguage = 'en',
): SafetyAssessment {
  // Clauses come out separated by "\n", which no pattern can match across.
  const folded = foldText(text);

  let level: SafetyLevel = 'none';
  const matched: string[] = [];
  if (folded !== '') {
    for (const rule of rules) {
      const ruleLevel = strongestMatch(rule, folded);
      if (ruleLevel === 'none') continue;
      level = maxLevel(level, ruleLevel);
      matched.push(ruleLevel === rule.level ? rule.id : `${rule.id}${PAST_SUFFIX}`);
    }
  }
  return { level, resources: resourcesFor(level, lang), matched };
}

function strongestMatch(rule: CompiledRule, folded: string): SafetyLevel {
  let strongest: SafetyLevel = 'none';
  for (const match of folded.matchAll(rule.regex)) {
    const context = matchContext(folded, match.index, match.index + match[0].length);
    if (context.negated) continue;
    const level = rule.level === 'crisis' && context.past ? 'elevated' : rule.level;
    strongest = maxLevel(strongest, level);
    if (strongest === rule.level) break;
  }
  return strongest;
}

/**
 * Combines the local screen with a moderation model's verdict. Self-harm intent or instructions
 * raise the level to crisis, self-harm alone to at least elevated; other moderation categories
 * (`flagged` without self-harm) are not this screen's concern. It never lowers the local level.
 * `lang` picks the resources when the level is raised.
 */
export function mergeModeration(
  local: SafetyAssessment,
  moderation: ModerationResult | null,
  lang: SafetyLanguage = 'en',
): SafetyAssessment {
  if (moderation === null) return local;
  const extra: string[] = [];
  let raisedTo: SafetyLevel = 'none';
  if (moderation.selfHarmIntent) extra.push('moderation.self_harm_intent');
  if (moderation.selfHarmInstructions) extra.push('moderation.self_harm_instructions');
  if (extra.length > 0) raisedTo = 'crisis';
  else if (moderation.selfHarm) {
    extra.push('moderation.self_harm');
    raisedTo = 'elevated';
  }
  if (extra.length === 0) return local;

  const level = maxLevel(local.level, raisedTo);
  return {
    level,
    resources: level === local.level ? local.resources : resourcesFor(level, lang),
    matched: [...local.matched, ...extra],
  };
}

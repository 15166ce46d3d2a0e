import { LiteralIndex } from './anchors';
import { matchContext } from './context';
import { extractFeatures } from './features';
import { loadModel } from './model';
import type { SafetyModel } from './model';
import type * as GeneratedModel from './model.generated';
import { foldText } from './normalize';
import { resourcesFor } from './resources';
import { compileRules, SAFETY_RULES } from './rules';
import type { CompiledRule } from './rules';
import { PRECOMPILED_RULES } from './rules.generated';
import { CRISIS_CATEGORIES, maxLevel } from './types';
import type { Language } from '../../lib/language';
import type { ModerationResult, SafetyAssessment, SafetyLevel } from './types';

const COMPILED_RULES = compileRules(SAFETY_RULES, PRECOMPILED_RULES);
// Read and decoded on the first screen that needs it, not when the module loads: its 260 KiB of
// base64 take ~7 ms to parse and ~7 ms to inflate on a cold process, which a function that never
// screens (or an instance whose first requests carry no text) should not pay.
let shippedModel: SafetyModel | undefined;
function shipped(): SafetyModel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  shippedModel ??= loadModel((require('./model.generated') as typeof GeneratedModel).SAFETY_MODEL);
  return shippedModel;
}

/** Suffix added to a crisis rule's id when it only fired about the past (reported as elevated). */
export const PAST_SUFFIX = ':past';

/** Prefix of the id reported when the statistical model alone found a crisis. */
const MODEL_PREFIX = 'model.';

/**
 * Screens a text (a mood note or a chat message) for risk of self-harm or suicide, in English and
 * Swedish whatever `lang` is. `lang`, the language the user writes in, picks the language of the
 * resources and the model's threshold (one per language, see model.ts).
 *
 * Two stages. The phrase rules (rules.ts, read in context by context.ts) decide first: a crisis
 * rule that fires, not negated and not about the past, is a crisis. Otherwise the statistical model
 * (model.ts), which also sees what the rules found, negated or past, decides whether it is a crisis
 * anyway: it catches wordings no rule lists. Below its threshold the rules' level stands.
 */
export function screenText(text: string, lang: Language = 'en'): SafetyAssessment {
  return screenWith(COMPILED_RULES, text, lang);
}

/** {@link screenText} with an explicit rule set and model (for tests and for trying out rules). */
export function screenWith(
  rules: readonly CompiledRule[],
  text: string,
  lang: Language = 'en',
  model: SafetyModel | null = shipped(),
): SafetyAssessment {
  // Clauses come out separated by "\n", which no pattern can match across.
  const folded = foldText(text);
  if (folded === '') return { level: 'none', resources: [], matched: [] };

  const { level: ruleLevel, matched, signals } = applyRules(rules, folded);
  let level = ruleLevel;
  // A crisis phrase the rules read as about the writer's own past stays elevated: the model, which
  // sees no tense, may not raise it.
  if (level !== 'crisis' && model !== null && modelMayRaise(signals)) {
    const verdict = model.score(extractFeatures(withoutCodes(folded), signals));
    if (verdict.crisis >= model.thresholds[lang]) {
      level = 'crisis';
      matched.push(`${MODEL_PREFIX}${verdict.category}`);
    }
  }
  return { level, resources: resourcesFor(level, lang), matched };
}

/**
 * Codes, ids and hashes mixed of letters and digits ("t8f4146d292", "order 4f9a1c2e") mean
 * nothing to a reader, but their character n-grams land on arbitrary model weights: measured,
 * 0.2 % of greetings followed by a random id ("hej igen t0e28494b6a") were raised to crisis. The
 * model does not see them: tokens of 7 or more letters and digits with at least 3 digits. Doses
 * and counts ("20mg", "500mg", "x10") and texting ("2morrow", "gr8") stay.
 */
const CODE_TOKEN =
  /(?<![\p{L}\p{N}])(?=(?:[\p{L}]*\p{N}){3})(?=[\p{L}\p{N}]*\p{L})[\p{L}\p{N}]{7,}(?![\p{L}\p{N}])/gu;

export function withoutCodes(folded: string): string {
  return folded.replace(CODE_TOKEN, ' ');
}

/**
 * Whether the model may raise a text the rules did not call a crisis. Not when a crisis phrase was
 * read as about the writer's own past (the model sees no tense), nor, with `blockNegated`, when
 * the only crisis phrase the rules saw was negated or someone else's ("i would never kill
 * myself", "my friend said she wants to die"): the model does not overrule the rules' reading of
 * a negation scope.
 */
export function modelMayRaise(signals: readonly string[], blockNegated = BLOCK_NEGATED): boolean {
  if (signals.includes('past')) return false;
  if (!blockNegated) return true;
  return !signals.some(
    (signal) => signal.startsWith('negated:') && CRISIS_SET.has(signal.slice('negated:'.length)),
  );
}
/** Chosen by cross-validation (dev/safety-train.ts --block-negated=true|false). */
const BLOCK_NEGATED = true;
const CRISIS_SET: ReadonlySet<string> = new Set(CRISIS_CATEGORIES);

/** What the rules found in a folded text, and the same as signals for the model. */
export function applyRules(
  rules: readonly CompiledRule[],
  folded: string,
): { level: SafetyLevel; matched: string[]; signals: string[] } {
  let level: SafetyLevel = 'none';
  const matched: string[] = [];
  const signals: string[] = [];
  const present = rulesWithAnchorsIn(rules, folded);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    // No anchor of the rule in the text: it cannot match, and its regex need not run (or be
    // compiled).
    if (rule === undefined || present[index] !== 1) continue;
    const outcome = strongestMatch(rule, folded);
    if (rule.level === 'cue') {
      if (outcome.level === 'crisis') signals.push(`cue:${rule.category}`);
      continue;
    }
    if (outcome.negated && rule.negationBlocksModel !== false) {
      signals.push(`negated:${rule.category}`);
    }
    if (outcome.level === 'none') continue;
    level = maxLevel(level, outcome.level);
    // An elevated phrase only about the writer's past ("jag har skadat mig själv förut") is
    // marked past as well, so the model, which sees no tense, does not raise it.
    const pastCrisis = outcome.level !== rule.level;
    matched.push(pastCrisis ? `${rule.id}${PAST_SUFFIX}` : rule.id);
    const past = pastCrisis || outcome.pastOnly;
    signals.push(`${past ? 'past' : rule.level}:${rule.category}`, past ? 'past' : rule.level);
  }
  return { level, matched, signals };
}

/** Per rule set: all its rules' anchors in one index, and the rules without anchors. */
const ANCHOR_INDEXES = new WeakMap<
  readonly CompiledRule[],
  { index: LiteralIndex; always: readonly number[] }
>();

/** 1 for each rule that has an anchor in `folded` (or has none, so always runs), else 0. */
function rulesWithAnchorsIn(rules: readonly CompiledRule[], folded: string): Uint8Array {
  let entry = ANCHOR_INDEXES.get(rules);
  if (entry === undefined) {
    entry = {
      index: new LiteralIndex(
        rules.flatMap((rule, id) => (rule.anchors ?? []).map((anchor) => [anchor, id] as const)),
      ),
      always: rules.flatMap((rule, id) => (rule.anchors === null ? [id] : [])),
    };
    ANCHOR_INDEXES.set(rules, entry);
  }
  const present = new Uint8Array(rules.length);
  for (const id of entry.always) present[id] = 1;
  entry.index.scan(folded, (id) => (present[id] = 1));
  return present;
}

/** The strongest reading of a rule's matches in `folded` (which has one of its anchors). */
function strongestMatch(
  rule: CompiledRule,
  folded: string,
): { level: SafetyLevel; negated: boolean; pastOnly: boolean } {
  let strongest: SafetyLevel = 'none';
  let negated = false;
  let present = false;
  let past = false;
  // exec on the rule's own regex, not matchAll: matchAll clones the regex on every call, which
  // cost more than the matching itself on short texts.
  const regex = rule.regex;
  regex.lastIndex = 0;
  for (let match = regex.exec(folded); match !== null; match = regex.exec(folded)) {
    if (match[0] === '') regex.lastIndex++;
    const context = matchContext(folded, match.index, match.index + match[0].length);
    // Someone else's words or risk: dropped, except by the rules that are about others.
    if (context.negated || (context.reported && rule.category !== 'others')) {
      negated = true;
      continue;
    }
    // A cue counts only when it is about the writer now: found, it reads as crisis.
    if (rule.level === 'cue' && context.past) continue;
    const ruleLevel = rule.level === 'cue' ? 'crisis' : rule.level;
    const level = ruleLevel === 'crisis' && context.past ? 'elevated' : ruleLevel;
    strongest = maxLevel(strongest, level);
    if (context.past) past = true;
    else present = true;
    if (strongest === ruleLevel && present) break;
  }
  return { level: strongest, negated, pastOnly: past && !present };
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
  lang: Language = 'en',
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

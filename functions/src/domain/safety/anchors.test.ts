import { requiredLiterals } from './anchors';
import { readTraining } from './corpus/files';
import { foldText } from './normalize';
import { compileRules, SAFETY_RULES } from './rules';

describe('requiredLiterals', () => {
  it.each([
    ['kill myself', ['kill myself']],
    ['\\bkil(?:ing|s)? my ?self\\b', ['self']],
    ['\\b(?:want|wanna) to die\\b', [' to die']],
    ['(?:pills|tablets) (?:now|tonight)', ['pills', 'tablets']],
    ['(?<!not )\\bend it(?! all)', ['end it']],
    ['a|b', null],
    ['(?:jag )?vill do', ['vill do']],
    ['[a-z]+ ?x', null],
    ['(?:kms|die)+ now', [' now']],
    ['\\bjag (?:ska ){0,3}hoppa\\b', ['hoppa']],
  ])('%s → %j', (source, expected) => {
    expect(requiredLiterals(source)).toEqual(expected);
  });
});

describe('rule anchors', () => {
  const rules = compileRules(SAFETY_RULES);
  const texts = readTraining()
    .map((message) => message.text)
    .concat(SAFETY_RULES.flatMap((rule) => rule.examples))
    .map(foldText);

  it('every rule has anchors (so its regex is skipped on texts without them)', () => {
    expect(rules.filter((rule) => rule.anchors === null).map((rule) => rule.id)).toEqual([]);
  });

  it('no rule matches a training text or an example that has none of its anchors', () => {
    const missed: string[] = [];
    for (const rule of rules) {
      const regex = new RegExp(rule.regex.source);
      for (const text of texts) {
        if (regex.test(text) && !(rule.anchors ?? []).some((anchor) => text.includes(anchor))) {
          missed.push(rule.id);
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

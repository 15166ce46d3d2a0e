import { LiteralIndex, requiredLiterals } from './anchors';
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

describe('LiteralIndex', () => {
  const found = (index: LiteralIndex, text: string) => {
    const ids = new Set<number>();
    index.scan(text, (id) => ids.add(id));
    return [...ids].sort((a, b) => a - b);
  };

  it('finds overlapping literals, and literals inside others', () => {
    const index = new LiteralIndex([
      ['he', 0],
      ['she', 1],
      ['his', 2],
      ['hers', 3],
    ]);
    expect(found(index, 'ushers')).toEqual([0, 1, 3]);
    expect(found(index, 'this')).toEqual([2]);
    expect(found(index, 'nothing here')).toEqual([0]);
    expect(found(index, '')).toEqual([]);
  });

  it('finds literals with spaces and shared ids', () => {
    const index = new LiteralIndex([
      [' to die', 7],
      ['kil my', 7],
      ['unalive', 8],
    ]);
    expect(found(index, 'i want to die')).toEqual([7]);
    expect(found(index, 'gona kil myself')).toEqual([7]);
    expect(found(index, 'unalive\nto die')).toEqual([8]);
  });

  it('agrees with includes() for every rule anchor on every training text', () => {
    const rules = compileRules(SAFETY_RULES);
    const pairs = rules.flatMap((rule, id) =>
      (rule.anchors ?? []).map((anchor) => [anchor, id] as const),
    );
    const index = new LiteralIndex(pairs);
    const texts = readTraining().map((message) => foldText(message.text));
    const disagreements = texts.filter((text) => {
      const expected = [
        ...new Set(pairs.filter(([anchor]) => text.includes(anchor)).map(([, id]) => id)),
      ].sort((a, b) => a - b);
      return JSON.stringify(found(index, text)) !== JSON.stringify(expected);
    });
    expect(disagreements).toEqual([]);
  });
});

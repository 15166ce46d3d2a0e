import { requiredLiterals } from './anchors';
import { compileRules, SAFETY_RULES } from './rules';
import { PRECOMPILED_RULES } from './rules.generated';
import { foldPattern, foldText } from './normalize';
import {
  applyRules,
  mergeModeration,
  PAST_SUFFIX,
  screenText,
  screenWith,
  withoutCodes,
} from './screen';
import { CRISIS_CATEGORIES } from './types';
import type { SafetyAssessment } from './types';

const levelOf = (text: string) => screenText(text).level;

describe('screenText: crisis, English', () => {
  it.each([
    // Passive ideation and a goodbye message (C-SSRS wish_dead, preparatory; corpus/CATEGORIES.md):
    // crisis as the contract defines it, found by the model, which no rule lists.
    'nobody would miss me',
    // Like the English: every training message saying it is crisis (4 of 4 writers).
    'ingen skulle sakna mig',
    'this is my final goodbye',
    'I want to kill myself',
    "I'm going to end it all tonight",
    'I wanna die',
    'I just want to die.',
    'kms',
    'honestly might kms lol',
    "I'm going to unalive myself",
    "I've been thinking about suicide a lot",
    'I feel suicidal',
    "I'm suicidal",
    'I want to end my life',
    'thinking of taking my own life',
    'I wish I was dead',
    'Everyone says it gets better but I’d be better off dead',
    "I don't want to live anymore",
    'I do not want to be alive',
    'I no longer want to live',
    'I want to hurt myself',
    "I've been cutting myself again",
    "I'm planning to overdose",
    "I'm going to hang myself",
    'I keep thinking about jumping off the bridge',
    'I wrote a suicide note',
    'I want to go to sleep and never wake up',
    'I deserve to die',
    'I want to commit suicide',
    'ready to end it all',
    'I feel like hurting myself',
    "i'm going to take the whole bottle of pills",
    'I have a plan to kill myself',
    'My plan is to end my life on Friday',
    'I want to die for real',
    'I wish I could die',
    'gonna kms fr',
    "I can't stop thinking about killing myself",
    "I haven't told anyone that I want to die",
    'suicide feels like the only way out',
    'I tried to kill myself last night',
    // Passive ideation is crisis by the contract (API.md, aiChat); these were elevated before.
    'Everyone would be better off without me',
    "There's no reason to live",
    "I wish I'd never been born",
    'no one would even notice if I died',
  ])('%s', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: crisis, Swedish', () => {
  it.each([
    'jag vill dö',
    'Jag vill bara dö.',
    'jag tänker ta livet av mig',
    'Jag vill ta livet av mej ikväll',
    'jag tar livet av mig',
    'vill inte leva längre',
    'jag orkar inte leva',
    'jag vill skada mig själv',
    'skada mig själv',
    'Jag har självmordstankar',
    'jag funderar på självmord',
    'Jag ska ta mitt liv',
    'jag vill avsluta mitt liv',
    'Jag önskar att jag var död',
    'vill somna och aldrig vakna',
    'jag ska hänga mig',
    'jag vill hoppa framför tåget',
    'tänker ta en överdos',
    'jag är självmordsbenägen',
    'jag har lust att skära mig',
    'jag skär mig igen',
    'ta livet av mig',
    'Jag är inte okej, jag vill dö',
    'jag vill inte dö men jag vill ta livet av mig',
    // Passive ideation is crisis by the contract (API.md, aiChat); these were elevated before.
    'alla skulle ha det bättre utan mig',
    'det finns ingen mening med livet',
  ])('%s', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: misspellings, missing diacritics, case, punctuation and emoji', () => {
  it.each([
    'I want to kil myself',
    'gonna kill myslef',
    'i keep thinking about suicde',
    'considering sucide',
    'so sucidal rn',
    'I WANT TO DIE!!!',
    'i want to dieeeee 😭😭',
    'i want 2 die',
    'I’m going to kill myself', // typographic apostrophe
    'I ́m going to kill myself', // stray combining accent
    'k\u200Bill myself', // zero-width space inside a word
    'I want to kill my self',
    'jag vill do', // "dö" typed without ö
    'jag vill dööööö',
    'JAG VILL DÖ!!!',
    'jag tanker ta livet av mig',
    'Jag vill inte leva langre',
    'har sjalvmordstankar igen',
    'självmortstankar',
    'jag vill begå självmort',
    '💔💔 i just want to die 💔💔',
    'i want to die... seriously',
    'Ｉ want to die', // full-width letter
  ])('%s', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: passive ideation is crisis (the contract: a burden, no reason to live, wishing not to exist)', () => {
  // Round 9: these were cues for the model; the training messages they match are crisis (burden
  // 17 of 17, disappear 29 of 29, tired of living 12 of 13, 'bättre utan mig' / 'en börda' 27 of
  // 29, 'vill bara försvinna' 21 of 23, 'ingen mening med livet' 11 of 11).
  it.each([
    "I'm such a burden to everyone",
    'everyone would be better off without me',
    "I'm so tired of living",
    'I just want to disappear',
    'there is no reason to live',
    'jag vill bara försvinna',
    'jag är bara en börda',
    'det finns ingen mening med livet',
  ])('%s', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });

  it.each([
    'im so tired of living in this house with my parents',
    'i want to disappear for a week to a cabin',
    'vill bara försvinna en helg utan mobil',
  ])('but not: %s', (text) => {
    expect(levelOf(text)).not.toBe('crisis');
  });
});

describe('screenText: elevated', () => {
  it.each([
    "I can't go on",
    "I can't go on like this",
    'I feel hopeless',
    "I can't take it anymore",
    'I feel worthless',
    'I used to self-harm',
    'after my suicide attempt',
    'jag orkar inte mer',
    'Orkar inte mer!!',
    'allt känns hopplöst',
    'jag har skadat mig själv förut',
    'står inte ut längre',
    'jag känner mig värdelös',
    'jag vill inte leva så här',
  ])('%s', (text) => {
    const result = screenText(text);
    expect(result.level).toBe('elevated');
  });
});

describe('screenText: crisis phrases about the past are elevated', () => {
  it.each([
    ['I used to be suicidal', 'en.nonspecific_ideation.suicidal'],
    ['I wanted to kill myself years ago', 'en.active_ideation.kill_myself'],
    ['When I was 15 I tried to kill myself', 'en.active_ideation.kill_myself'],
    ['as a teenager I wanted to end my life', 'en.active_ideation.end_my_life'],
    ['jag brukade ha självmordstankar', 'sv.nonspecific_ideation.sjalvmordstankar'],
    ['jag hade självmordstankar som tonåring', 'sv.nonspecific_ideation.sjalvmordstankar'],
    ['för flera år sedan ville jag ta livet av mig', 'sv.active_ideation.ta_livet_av_mig'],
  ])('%s', (text, id) => {
    const result = screenText(text);
    expect(result.level).toBe('elevated');
    expect(result.matched).toContain(`${id}${PAST_SUFFIX}`);
  });

  it.each([
    'I used to be suicidal and now I am suicidal again',
    'I used to be suicidal. I want to kill myself',
    'years ago I wanted to die and now I want to kill myself again',
  ])('but not when it is happening now: %s', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: worry about someone else is elevated, not crisis', () => {
  it.each([
    ['my brother is suicidal', 'en.others.someone_else'],
    ["she's suicidal and I don't know what to do", 'en.others.someone_else'],
    ['my friend said she wants to kill herself', 'en.others.someone_else'],
    ['hon är självmordsbenägen', 'sv.others.nagon_annan'],
    ['min kompis vill ta livet av sig', 'sv.others.nagon_annan'],
  ])('%s', (text, id) => {
    expect(screenText(text)).toMatchObject({ level: 'elevated', matched: [id] });
  });
});

describe('screenText: negation', () => {
  it.each([
    "I don't want to die",
    'I dont want to die',
    "I'm not suicidal",
    'I would never kill myself',
    "I'd never hurt myself",
    "I'm not going to hurt myself",
    "I'm not thinking about suicide",
    'I have no plans to end my life',
    'I have no intention of killing myself',
    "I don't feel suicidal anymore",
    "I'm no longer suicidal",
    'I never wanted to die',
    "I don't really want to die, I just need some sleep",
    'jag vill inte dö',
    'jag skulle aldrig ta livet av mig',
    'jag tänker inte ta livet av mig',
    'Jag är inte självmordsbenägen',
    'jag har inga självmordstankar',
    'jag har aldrig haft självmordstankar',
    'jag vill inte skada mig själv',
    'jag är inte längre självmordsbenägen',
  ])('%s', (text) => {
    expect(screenText(text)).toEqual({ level: 'none', resources: [], matched: [] });
  });

  it.each([
    // Negation does not reach past a content word or across a clause break.
    "I'm not suicidal, I just want to die",
    'Not really. I want to die',
    'no, I want to die',
    "I don't know why but I want to die",
    "I don't know if I want to die", // uncertain: err towards flagging
    "I'm not okay and I want to die",
    "I'm not gonna lie i want to die",
    "I don't want to die but I want to kill myself",
    'nobody knows I want to die',
    'jag vet inte om jag vill dö',
    'jag kan inte sluta tänka på att ta livet av mig',
  ])('is scoped: %s is still crisis', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: someone else, something found, an accident, a thought left behind', () => {
  // From training writers r-u (round 7): rule matches that were someone else's or over.
  it.each([
    'apprentice has fresh cuts on his arms. do i say something or leave it',
    'a guy on my team has fresh cuts on his arms, should i tell the coach?',
    'hittade ett avskedsbrev i min systers rum',
    'found a suicide note in my dads car',
    'min psykiatriker sa att vi kan trappa ner eftersom jag varit fri från självmordstankar i ett år',
    'rakade benen o skar mig på hyveln, svider',
    'halkan på vägen hem va livsfarlig, tog 40 min extra',
    // Hyperbole on a trivial condition, the way training writers meant it (five of five).
    'if i have to hear this song one more time im gonna unalive myself lmaooo',
    'one more round of karaoke from Tommo and i will shoot meself',
    'om jag måste fylla i ett formulär till idag så skjuter jag mig',
    "I'd rather shoot myself than sit through another council meeting lol",
    // Someone else's belief about the writer, with the writer's reason.
    'mum thinks i self harm bc of the long sleeves but im just always cold',
    'folk tror jag e självmordsbenägen för att jag lyssnar på sad musik',
    // The words as a term, and other people's words and situations.
    "what's the difference between passive and active suicidal ideation?",
    'what does passive suicidal ideation mean? my textbook never defines it',
    'sambon berättade att hans bästa vän har skickat avskedsbrev till flera personer',
    'min sambo har haft självmordstankar i perioder',
    'vilka tecken ska man kolla efter om nån planerar suicid?',
    'vi skrev testamente hos en jurist nu när lilla Ture har kommit',
    // Ordinary uses of the words of preparations and acts.
    'writing my will since we just bought a house',
    'bought rope for the climbing trip',
    'overdosed on netflix this weekend',
    'i took all my vitamins today go me',
    'skrev testamente när vi köpte huset',
    'i want to leave this world a better place',
    'planning my exit from this job',
    // People words that begin other people words (son, sonen; kompis, kompisarna).
    'sonen sa att han vill dö',
    'kompisarna sa att de vill dö',
    'my friends said they want to die',
  ])('%s is not crisis', (text) => {
    expect(levelOf(text)).not.toBe('crisis');
  });

  it.each([
    'they found the goodbye letter i wrote',
    // Someone's words, then the writer's own: what was said follows its verb closely.
    'after what my dad yelled at me today i just want to kill myself',
    // ... but not when the condition is living on, or it is a day like this.
    "i'd rather kill myself than go on like this",
    'one more day like this and i will kill myself',
    'my therapist thinks im suicidal and shes right',
    'jag har skrivit mitt testamente och ett brev till mamma',
    'mamma hittade mitt avskedsbrev',
    'i have fresh cuts on my arms again',
    'jag är fri från självmordstankar sen i våras men idag vill jag dö',
    'tog 40 st sömntabletter',
  ])('%s is still crisis', (text) => {
    expect(levelOf(text)).toBe('crisis');
  });
});

describe('screenText: everyday phrases do not trigger', () => {
  it.each([
    'this traffic is killing me',
    "I'm dying to see the movie",
    'I could kill for a coffee',
    'my phone died',
    'the deadline is killing me',
    'killer workout today 💪',
    'that cake is to die for',
    'stuck in a dead end job',
    'I almost died laughing',
    "I'm dead 💀 that meme",
    'my feet are killing me after the hike',
    'I nearly died of embarrassment',
    'I want to die of embarrassment',
    "I'm killing it at work",
    'we killed it at the gig',
    'my battery is dead',
    "I'd die for my kids",
    'the plant died',
    'killing time before the meeting',
    'I shot myself in the foot with that decision',
    "I'm cutting myself some slack this week",
    "I'm burning myself out at work",
    'I hurt myself at the gym',
    'I cut myself shaving',
    "I'm hopeless at cooking",
    "She's a hopeless romantic",
    'I ran 10 kms today',
    'we walked five kms',
    'Suicide Squad was a fun movie',
    'I donated to a suicide prevention charity',
    "I can't go on holiday this year",
    'I could kill myself for forgetting her birthday',
    "I'm going to end things with him",
    "let's end it here for today",
    'the battery is dying',
    "I'm dying for a burger",
    'dead tired after work',
    'I could murder a pizza',
    "I'm going to take my pills before bed",
    'I want to take my life in a new direction',
    'I want to die my hair blue',
    'over my dead body',
    'I killed the spider',
    'he has a killer smile',
    "I don't want to live with my parents anymore",
    'the suspense is killing me',
    "I'd rather die than sing karaoke",
    'this heat is going to kill me',
    "I'm killing myself at the gym to get fit",
    'i want to finish it all before friday',
    'I want to disappear for a weekend',
    'nobody noticed my new haircut',
    'jag skrattade ihjäl mig',
    'dödstrött efter jobbet',
    'jag dör av skratt',
    'jag dog nästan av skratt',
    'mobilen dog',
    'Jag ville dö av skam',
    'jobbet tar livet av mig',
    'den här värmen kommer att ta livet av mig',
    'jag dör av tristess',
    'jag hänger med till stan',
    'vi ska hänga med kompisar ikväll',
    'mördande tråkigt möte',
    'jag är död i benen',
    'jag orkar inte mer mat',
    'jag är hopplös på matte',
    'min telefon är död',
    'vi sprang 5 km',
    'jag kan inte fortsätta titta på serien',
    'självmordsprevention är viktigt',
    'jag skadade mig på träningen',
    'det är livsfarligt att cykla här',
    'jag ska döda den här spindeln',
    'jag vill inte leva utan kaffe',
    'jag vill göra slut med honom',
    'Jag tänker göra slut på allt godis',
    'jag dör av längtan',
    'döden i grytan',
    'en helt vanlig dag, lite trött men okej',
    '',
    '   ',
    '😀😀😀',
  ])('%s', (text) => {
    expect(screenText(text)).toEqual({ level: 'none', resources: [], matched: [] });
  });
});

describe('the rules leave ordinary uses of their words alone (the model still weighs them)', () => {
  const rules = compileRules(SAFETY_RULES, PRECOMPILED_RULES);
  it.each([
    'allt är meningslöst på jobbet och hemma',
    'jag skäms så att jag vill dö',
    'serien var så dålig att jag ville skjuta mig själv i foten',
    'took 2 ibuprofen for the headache',
    'i want everything to stop for a while, i need a break',
    'gave away my bookshelf on marketplace',
    'this song is so good i want to die',
    'my little brother scratches his arms till they bleed',
    'I am not having any such thoughts of harming myself',
    'I am not wanting to end my life',
    'my son (15) said "i wish i wasnt alive" at dinner',
    'känner mig nere men noll lust att skada mig',
    'i keep hurting myself at the gym',
    'hon väntar på att få dö, hon är 96',
  ])('%s', (text) => {
    expect(applyRules(rules, foldText(text))).toMatchObject({ level: 'none', matched: [] });
  });
});

describe('the rule table', () => {
  const deciding = SAFETY_RULES.filter((rule) => rule.level !== 'cue');
  it.each(deciding.flatMap((rule) => rule.examples.map((example) => [rule.id, example])))(
    '%s fires on its example %p',
    (id, example) => {
      expect(screenText(example).matched).toContain(id);
    },
  );

  // A cue is never reported: it only hands the model a signal.
  it.each(
    SAFETY_RULES.filter((rule) => rule.level === 'cue').flatMap((rule) =>
      rule.examples.map((example) => [rule.id, example]),
    ),
  )('cue %s signals on its example %p', (id, example) => {
    const rule = compileRules(SAFETY_RULES.filter((candidate) => candidate.id === id));
    const found = applyRules(rule, foldText(example));
    expect(found).toMatchObject({ level: 'none', matched: [] });
    expect(found.signals).toEqual([`cue:${rule[0]?.category}`]);
  });

  it('has unique, well-formed ids and examples for every rule', () => {
    const ids = SAFETY_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SAFETY_RULES) {
      expect(rule.id).toMatch(/^(en|sv)\.[a-z_]+\.[a-z_]+$/);
      expect(rule.id.startsWith(`${rule.lang}.${rule.category}.`)).toBe(true);
      // Crisis and cue rules carry a C-SSRS category; elevated ones distress or someone else's risk.
      expect(
        rule.level !== 'elevated'
          ? (CRISIS_CATEGORIES as readonly string[]).includes(rule.category)
          : ['distress', 'others'].includes(rule.category),
      ).toBe(true);
      expect(rule.examples.length).toBeGreaterThan(0);
    }
  });

  it('compiles every pattern, and refuses an invalid one', () => {
    expect(compileRules(SAFETY_RULES)).toHaveLength(SAFETY_RULES.length);
    expect(() =>
      compileRules([
        {
          id: 'en.method.bad',
          lang: 'en',
          level: 'crisis',
          category: 'method',
          pattern: '(',
          examples: [],
        },
      ]),
    ).toThrow(SyntaxError);
  });

  it('ships every rule folded and anchored at build time, as the code would work it out now', () => {
    // Stale after a change to a pattern, foldPattern or the anchor derivation: regenerate with
    // `node dev/safety-rules.ts` (after a build). A stale entry is never used for a changed
    // pattern, but its folding and anchors would be an older code's.
    expect(Object.keys(PRECOMPILED_RULES).sort()).toEqual(SAFETY_RULES.map((r) => r.id).sort());
    for (const rule of SAFETY_RULES) {
      const folded = foldPattern(rule.pattern);
      expect({ id: rule.id, ...PRECOMPILED_RULES[rule.id] }).toEqual({
        id: rule.id,
        pattern: rule.pattern,
        folded,
        anchors: requiredLiterals(folded),
      });
    }
  });

  it('uses a build-time entry only for the very pattern it was made from', () => {
    const rule = {
      id: 'en.distress.test',
      lang: 'en' as const,
      level: 'elevated' as const,
      category: 'distress' as const,
      pattern: '\\bfeel empty\\b',
      examples: [],
    };
    const stale = { pattern: '\\bfeel numb\\b', folded: '\\bfel numb\\b', anchors: ['numb'] };
    const [compiled] = compileRules([rule], { [rule.id]: stale });
    expect(compiled?.regex.source).toBe('\\bfel empty\\b');
    expect(compiled?.anchors).toEqual(['fel empty']);
    const fresh = { pattern: rule.pattern, folded: '\\bfel empty\\b', anchors: ['empty'] };
    expect(compileRules([rule], { [rule.id]: fresh })[0]?.anchors).toEqual(['empty']);
  });

  it('lets a reviewer try a new rule with screenWith', () => {
    const rules = compileRules([
      {
        id: 'en.distress.test',
        lang: 'en',
        level: 'elevated',
        category: 'distress',
        pattern: '\\bfeel empty\\b',
        examples: [],
      },
    ]);
    expect(screenWith(rules, 'I feel EMPTY today').matched).toEqual(['en.distress.test']);
    expect(screenWith(rules, "I don't feel empty").level).toBe('none');
  });
});

describe('screenText: result shape', () => {
  it('reports rule ids in table order and never the text', () => {
    const text = 'I feel hopeless and I want to kill myself';
    const result = screenText(text);
    expect(result.level).toBe('crisis');
    expect(result.matched).toEqual(['en.active_ideation.kill_myself', 'en.distress.hopeless']);
    expect(JSON.stringify(result.matched)).not.toContain('kill myself');
  });

  it('gives crisis resources in the requested language', () => {
    const sv = screenText('jag vill dö', 'sv');
    expect(sv.resources.map((r) => r.phone)).toEqual(['112', '90101', '1177']);
    const en = screenText('jag vill dö');
    expect(en.resources.map((r) => r.url)).toContain('https://988lifeline.org');
  });

  it('gives the gentle set for elevated and nothing for none', () => {
    expect(screenText('I feel hopeless').resources.map((r) => r.name)).toEqual([
      '988 Suicide & Crisis Lifeline (US)',
      'Samaritans (UK & Ireland)',
      'Find A Helpline (helplines in other countries)',
    ]);
    expect(screenText('allt känns hopplöst', 'sv').resources.map((r) => r.phone)).toEqual([
      '90101',
      '1177',
    ]);
    expect(screenText('a good day', 'sv').resources).toEqual([]);
  });

  it('finds a crisis phrase at the end of a long text', () => {
    const filler = 'Today was a normal day at work, I had lunch with a friend. '.repeat(70);
    expect(levelOf(`${filler}I want to die`)).toBe('crisis');
    expect(levelOf(filler)).toBe('none');
  });
});

// Speed is measured by bench/safety-screen.ts (figures, not thresholds); here only that the
// inputs that defeat naive regexes are screened at all and correctly.
describe('screenText: adversarial inputs', () => {
  it.each([
    [
      'prose',
      'I went for a walk, then had a coffee and felt ok. '.repeat(80).slice(0, 4000),
      'none',
    ],
    ['one long word', 'a'.repeat(4000), 'none'],
    [
      'repeated trigger words',
      'kill my self want to die not '.repeat(140).slice(0, 4000),
      'crisis',
    ],
    ['only negations', "don't not never inte aldrig ".repeat(150).slice(0, 4000), 'none'],
    ['only punctuation', '!?,.'.repeat(1000), 'none'],
    [
      'Swedish prose',
      'Jag gick en promenad och drack kaffe, det var en okej dag. '.repeat(70),
      'none',
    ],
  ])('screens 4000 characters of %s', (_name, text, level) => {
    expect(text.length).toBeGreaterThanOrEqual(4000);
    expect(screenText(text).level).toBe(level);
  });
});

describe('mergeModeration', () => {
  const none: SafetyAssessment = { level: 'none', resources: [], matched: [] };
  const flags = {
    flagged: true,
    selfHarm: false,
    selfHarmIntent: false,
    selfHarmInstructions: false,
  };

  it('returns the local result when there is no moderation', () => {
    const local = screenText('I feel hopeless');
    expect(mergeModeration(local, null)).toBe(local);
  });

  it('raises to crisis on self-harm intent or instructions, with resources for the language', () => {
    const intent = mergeModeration(none, { ...flags, selfHarm: true, selfHarmIntent: true }, 'sv');
    expect(intent.level).toBe('crisis');
    expect(intent.resources.map((r) => r.phone)).toEqual(['112', '90101', '1177']);
    expect(intent.matched).toEqual(['moderation.self_harm_intent']);

    const instructions = mergeModeration(none, { ...flags, selfHarmInstructions: true });
    expect(instructions.level).toBe('crisis');
    expect(instructions.matched).toEqual(['moderation.self_harm_instructions']);
    expect(instructions.resources[0]?.name).toMatch(/local emergency number/);
  });

  it('raises self-harm alone to elevated', () => {
    const result = mergeModeration(none, { ...flags, selfHarm: true });
    expect(result.level).toBe('elevated');
    expect(result.matched).toEqual(['moderation.self_harm']);
    expect(result.resources).toHaveLength(3);
  });

  it('never lowers the local level', () => {
    const crisis = screenText('jag vill dö', 'sv');
    const merged = mergeModeration(crisis, { ...flags, selfHarm: true }, 'en');
    expect(merged.level).toBe('crisis');
    expect(merged.resources).toEqual(crisis.resources);
    expect(merged.matched).toEqual(['sv.wish_dead.vill_do', 'moderation.self_harm']);

    const clean = {
      flagged: false,
      selfHarm: false,
      selfHarmIntent: false,
      selfHarmInstructions: false,
    };
    expect(mergeModeration(crisis, clean)).toBe(crisis);
  });

  it('ignores moderation flags that are not about self-harm', () => {
    expect(mergeModeration(none, flags)).toBe(none);
  });
});

describe('codes and ids', () => {
  // Each of these greetings was raised to crisis by the model before it stopped seeing ids.
  it.each([
    ['Hej igen t8f4146d292', 'sv'],
    ['Hej igen tfe24d0aa55', 'sv'],
    ['Hej t0e28494b6a', 'sv'],
    ['Hi t0e28494b6a', 'en'],
    ['Hej t062510a181', 'sv'],
  ] as const)('does not raise %j', (text, lang) => {
    expect(screenText(text, lang).level).toBe('none');
  });

  it('hides ids from the model but keeps doses, counts and texting', () => {
    expect(
      withoutCodes('tog 20mg 500mg x10 2morrow t8f4146d292 order 4f9a1c2e99').split(/\s+/),
    ).toEqual(['tog', '20mg', '500mg', 'x10', '2morrow', 'order', '']);
  });
});

import { compiledToMachineCode } from './native-regexp';
import { foldPattern, foldText } from './normalize';

/**
 * How a rule match is read in its clause.
 *
 * Negation scope: a match is negated when a negation word ends the text before it, either directly
 * or separated only by "filler" words (subject, auxiliaries, intent verbs, intensifiers), within
 * the same clause and at most {@link MAX_FILLERS} fillers back. So "I don't want to die",
 * "I'm not going to kill myself", "I would never hurt myself", "jag tänker inte ta livet av mig",
 * "jag har inga självmordstankar" are negated, while "I haven't told anyone I want to die",
 * "nobody knows I want to die", "I can't stop thinking about killing myself" are not: a content
 * word ("told", "knows", "stop") ends the scope. Clauses end at punctuation, commas and emoji, so
 * "Not really. I want to die" is not negated. When in doubt the screen errs towards flagging.
 *
 * Past scope: a crisis match about the past is downgraded to elevated: a habitual-past verb
 * governing it like a negation ("I used to be suicidal", "jag brukade ha självmordstankar"), or a
 * time adverbial anywhere earlier in the clause or just after the match ("when I was 15 I tried to
 * kill myself", "självmordstankar som tonåring", "... years ago"), unless the clause says it is
 * happening again or now. ("förr" alone is not a cue: folded it is the English "for".)
 */
export interface MatchContext {
  negated: boolean;
  past: boolean;
  /** Someone else's words or situation ("my friend said ...", "my brother overdosed"). */
  reported: boolean;
}

/**
 * One of `alternatives` as a whole word, matched without backtracking into it:
 * `(?=(?<name>…)\b)\k<name>`. For a list of single words followed by a space or the end, or at
 * the end of the expression, this matches exactly what `(?:…)` does (only one word of the list
 * ends at the next word boundary); but V8 compiles the list once instead of once per way the rest
 * of the expression may go on: the three expressions below that hold PERSON took 60 ms to compile
 * on a cold process, 17 ms so. `name` must be unique in its expression.
 */
function wholeWord(name: string, alternatives: string): string {
  return `(?=(?<${name}>${alternatives})\\b)\\k<${name}>`;
}

// Someone else's words earlier in the clause ("my brother said i wish i was dead", "en kille sa
// jag ska ta livet av mig") or a question put to the writer ("the app asked if i have thoughts of
// harming myself"): the match is reported, not the writer's own statement, and is read like a
// negated one. Quotes are gone after folding, so the speech verb is what marks it.
const PERSON =
  '(?:friends?|mate|bestie|bff|mom|mum|mother|dad|father|parents?|brother|sister|sibling|cousin|aunt|uncle|grandma|grandpa|grandmother|grandfather|boyfriend|girlfriend|partner|husband|wife|ex|son|daughter|kid|child|classmate|coworker|colleague|boss|teacher|therapist|doctor|nurse|counsell?or|psychologist|psychiatrist|guy|girl|man|woman|person|patient|client|students?|pupils?|elev|eleven|eleverna|polare|polaren|kompisar|vänner|bästis|bästisen|kille|killen|tjej|tjejen|kompis|kompisen|vän|vännen|mamma|pappa|morsan|farsan|bror|brorsan|syster|syrran|kusin|kusinen|moster|faster|morbror|farbror|mormor|farmor|morfar|farfar|pojkvän|flickvän|sambo|sambon|fru|dotter|klasskompis|kollega|kollegan|chef|chefen|lärare|läraren|terapeut|psykolog|psykologen|läkare|läkaren|kurator|kuratorn|roommate|flatmate|housemate|roomie|stepdad|stepmom|stepmum|stepfather|stepmother|stepbrother|stepsister|grandson|granddaughter|niece|nephew|neighbou?r|bf|gf|fiancee?|teammate|svåger|svågern|svägerska|svägerskan|svärmor|svärfar|rumskompis|rumskompisen|rumskamrat|rumskamraten|lillasyster|lillasyrran|lillebror|lillebrorsan|storasyster|storebror|granne|grannen|styvpappa|styvmamma|bonuspappa|bonusmamma|sonen|dottern|mannen|frun|frugan|gubben|gumman|exet|apprentice|lad|bloke|coach|resident|residents|colleagues|coworkers|teammates|classmates|teen|teenager|boende|mentorselev|mentorseleven|kollegor|kollegorna|klasskamrat|klasskamraten|tonåring|tonåringen|grabben|handledare|handledaren|kompisarna|vännerna|brukare|brukaren|brukarna|patienten|patienter|patienterna|killarna|tjejerna|grannarna|föräldrar|föräldrarna|syskon|syskonen|barnen|guys|girls|parents)';
const THIRD_SUBJECT = `(?:he|she|they|hes|shes|theyre|theyve|theyd|hed|shed|someone|somebody|anyone|anybody|people|han|hon|hen|dom|någon|nån|ngn|folk|(?:(?:one|someone|somebody|en|nån|ngn|någon) (?:in|i|from|på|från|of|av) [a-zåäö]+(?: [a-zåäö]+)?)|(?:(?:my|his|her|their|our|a|an|the|this|that|one|min|mitt|mina|hans|hennes|deras|vår|en|ett|den|det)(?: [a-zåäö]+)? )?${wholeWord('person', PERSON)}(?: (?:in|i|from|på|at|från|on|of|with|vid|med) [a-zåäö]+(?: [a-zåäö]+)?)?)`;
const SPEECH_VERB =
  '(?:said|says|say|told|tells|tell|wrote|writes|posted|posts|posting|texted|texts|joked|jokes|joking|mentioned|admitted|confessed|screamed|yelled|keeps saying|kept saying|keeps posting|yelling|screaming|shouting|shouted|skriker|sa|sade|säger|berättade|berättar|skrev|skriver|skämtade|skämtar|erkände|nämnde|postade|la upp|lägger upp|skrek)';
const ASK_VERB = '(?:asked|asks|asking|frågade|frågar|undrade|undrar)';
const REPORTED = new RegExp(
  `\\b(?:${foldPattern(`${THIRD_SUBJECT}(?: [a-z0-9]+){0,3} ${wholeWord('said', SPEECH_VERB)}`)}|${foldPattern(`${ASK_VERB}(?: me| mig| mej| om)? (?:if|whether|about|om|ifall|kring)`)})\\b`,
  'g',
);
// What was said follows its verb closely ("my friend said she wants to die", "han skrev i ett sms
// att han ville dö") or goes on about them ("mentioned in an email that she's been having ...");
// further on, with no one else named, the writer speaks again: "after what my dad yelled at me
// today i just want to kill myself".
const MAX_WORDS_AFTER_SPEECH = 5;
const THIRD_PRONOUN = new RegExp(
  `\\b${foldPattern('(?:he|she|they|hes|shes|theyre|him|her|them|his|han|hon|hen|dom|honom|henne|hans|hennes|sig|sin|sitt|sina)')}\\b`,
);
function reportedSpeech(before: string): boolean {
  if (!REPORTED_VERB.test(before)) return false;
  let lastEnd = -1;
  for (const said of before.matchAll(REPORTED)) lastEnd = said.index + said[0].length;
  if (lastEnd < 0) return false;
  const afterVerb = before.slice(lastEnd);
  const wordsAfter = afterVerb.split(' ').filter((word) => word !== '').length;
  return wordsAfter <= MAX_WORDS_AFTER_SPEECH || THIRD_PRONOUN.test(afterVerb);
}
// REPORTED cannot match without one of its verbs: this small expression is tried first, so the
// large one is compiled and run only on texts that have such a verb (most never do).
const REPORTED_VERB = new RegExp(`\\b(?:${foldPattern(SPEECH_VERB)}|${foldPattern(ASK_VERB)})\\b`);
// Someone else as the subject right before the match ("my best friend overdosed last year").
const OTHER_SUBJECT = new RegExp(
  `(?:^| )${foldPattern(THIRD_SUBJECT)}(?: (?:just|also|once|again|had|has|have|har|hade|was|is|är|var|started|starts|began|begun|keeps|kept|börjat|började|igen|också))?(?: (?:just|also|again|started|begun|börjat|började|igen|också|to|att|been|had|varit|haft|tagit|taken|took|tried|försökt))?$`,
);
// Something of someone else's that the writer found ("hittade ett avskedsbrev i hennes rum",
// "found a suicide note", "hittade sonens avskedsbrev", "found my dad's suicide note"): not the
// writer's own letter or means ("mamma hittade mitt avskedsbrev").
const FOUND_BEFORE = new RegExp(
  `(?:^| )${foldPattern('(?:found|find|finding|hittade|hittat|hittar|hitta) (?:a|an|the|her|his|their|this|ett|en|hennes|hans|deras|hens|det|den|(?:(?:my|min|mitt|mina) )?[a-zåäö]+s)')}$`,
);
// ... unless the writer says it is theirs ("they found the goodbye letter i wrote").
const WRITERS_OWN_AFTER = new RegExp(
  `^(?: [a-z]+){0,2}? ${foldPattern('(?:i|jag|ja) (?:wrote|had written|left|made|bought|skrev|skrivit|hade skrivit|lämnade|gjorde|köpte|köpt)')}\\b`,
);
// A match that names the writer ("they pumped my stomach", "mamma hittade mig med bältet runt
// halsen") is the writer's own, whoever is the subject before it.
const FIRST_PERSON_MATCH = /\b(?:my|me|myself|mig|mej|min|mitt|mina)\b/;
// A denial right after the match, alone in its clause: a form filled in ("thoughts of harming
// myself: none", "självmordstankar nej").
// Or a Swedish negation right after the verb phrase ("jag skär mig inte").
const DENIED_AFTER = new RegExp(
  `^(?: ?\n?(?:${foldPattern('none|no|nope|never|zero|nej|nix|inga|ingen|aldrig')})(?:\n|$)| (?:${foldPattern('inte|aldrig')})\\b)`,
);
// A joke retracted anywhere after the match ("gonna kms 😂 jk").
const RETRACTED = new RegExp(
  `\\b(?:${foldPattern('jk|j k|just kidding|just joking|skojar|skojade|skämtar bara|bara skoj|bara på skoj')})\\b`,
);

// Hyperbole built on a trivial condition, the way every training writer who used it meant it
// (five of five in English): "if i have to sit through one more meeting i'll shoot myself",
// "om jag måste fylla i ett formulär till så skjuter jag mig". Not "one more day (like this)".
const ONE_MORE =
  'one more(?! (?:day|days|night|nights|week|weeks|reason|minute|second|attempt|try|time i try|pill|pills)\\b)';
const ONE_MORE_BEFORE = new RegExp(
  `\\b(?:${foldPattern(`if\\b.* ${ONE_MORE}|${ONE_MORE}\\b.* (?:and|n|then)|om (?:jag|ja) (?:måste|behöver|ser|hör|får (?:höra|se|göra))\\b.* (?:till|igen)`)})\\b`,
);
// "i'd rather shoot myself than sit through that", "skulle hellre dränka mig än ...".
const RATHER_BEFORE = new RegExp(`\\b${foldPattern('(?:rather|hellre)')}(?: [a-z]+){0,2}$`);
// Not when the other choice is living on: "i'd rather kill myself than go on like this".
const THAN_AFTER = new RegExp(
  `^(?: [a-z0-9]+){0,5}? ${foldPattern('(?:than|än)(?! (?:go on|going on|keep going|keep living|live|living|continue|be alive|wake up|leva|fortsätta|vakna|leva så här|ha det så här))')}\\b`,
);
// Someone else's belief about the writer, with the writer's reason or denial after it: "mamma
// tror att jag skär mig pga långärmat men jag fryser bara", "folk tror jag e självmordsbenägen
// för att jag lyssnar på sad musik".
const BELIEF_BEFORE = new RegExp(
  `(?:^| )${foldPattern(`${THIRD_SUBJECT} (?:thinks|think|thought|believes|believe|tror|trodde|tycker)(?: that| att)?(?: (?:i|im|jag|ja)(?: (?:am|e|är|was|var))?)?`)}$`,
);
const REASON_OR_DENIAL_AFTER = new RegExp(
  `\\b${foldPattern('(?:but|because|bc|cause|cuz|not|just|men|för att|pga|eftersom|inte|bara|nej|no)')}\\b`,
);
// The words as a term: "the difference between passive and active suicidal ideation", "what does
// 'passive suicidal ideation' mean", "vad betyder självskadebeteende".
const TERM_BEFORE = new RegExp(
  `\\b${foldPattern('(?:difference between|skillnaden mellan|meaning of|definition of|the term|begreppet|termen)')}\\b`,
);
const MEANS_AFTER = new RegExp(
  `^(?: [a-z]+){0,2}? ${foldPattern('(?:mean|means|meant|betyder|innebär)')}\\b`,
);

/** How many filler words may sit between a negation (or past) cue and the match. */
const MAX_FILLERS = 6;

const FILLERS = new Set(
  [
    // English
    'i',
    "i'm",
    'am',
    'was',
    "i've",
    'have',
    'had',
    'ha',
    'haft',
    'been',
    'be',
    'do',
    'did',
    'would',
    'will',
    "i'll",
    "i'd",
    'really',
    'ever',
    'actually',
    'even',
    'truly',
    'honestly',
    'seriously',
    'going',
    'gonna',
    'to',
    'want',
    'wanna',
    'plan',
    'planning',
    'intend',
    'feel',
    'feeling',
    'like',
    'that',
    'so',
    'at',
    'all',
    'thinking',
    'about',
    'of',
    'try',
    'trying',
    'just',
    'currently',
    'now',
    'yet',
    'anymore',
    'any',
    'having',
    'wanting',
    'such',
    // West African English: "i no dey think of ..." (progressive).
    'dey',
    'dark',
    'thoughts',
    'thought',
    'urges',
    'urge',
    'zero',
    'wanted',
    'considered',
    'contemplated',
    'planned',
    'tried',
    'once',
    'a',
    // Swedish
    'jag',
    'ja',
    'är',
    'e',
    'var',
    'har',
    'hade',
    'skulle',
    'vill',
    'ville',
    'tänker',
    'tänkte',
    'kommer',
    'att',
    'ska',
    'kan',
    'kunde',
    'verkligen',
    'alls',
    'någonsin',
    'faktiskt',
    'heller',
    'planerar',
    'några',
    'något',
    'tankar',
    'på',
    'bara',
    'så',
    'nu',
    'längre',
    'mer',
    'egentligen',
    'riktigt',
    'ju',
    'ens',
    'ville',
    'försökt',
    'försökte',
    'funderat',
    'övervägt',
    'tänkt',
    'velat',
    'en',
  ].map(foldText),
);

const COORDINATORS = new Set(['or', 'eller', 'nor'].map(foldText));

// A subject pronoun right after a clause-ending adverb starts a new, unpunctuated clause, which a
// negation before it does not reach: "orkar inte mer jag vill ta livet av mig", "cant anymore i
// want to die". (After "att", "that", "like" it stays in the negation's reach: "inte att jag ...".)
const SUBJECTS = new Set(['i', 'im', 'jag', 'ja']);
const CLAUSE_END_ADVERBS = new Set(
  ['mer', 'längre', 'nu', 'heller', 'alls', 'anymore', 'now', 'either'].map(foldText),
);

function cueAtEnd(alternatives: string): RegExp {
  return new RegExp(`(?:^| )(?:${foldPattern(alternatives)})$`);
}

const NEGATION_CUE = cueAtEnd(
  [
    "not|never|don't|doesn't|didn't|won't|wouldn't|shouldn't|isn't|aren't|wasn't|weren't|ain't",
    "haven't|hasn't|hadn't|no longer|nor|neither|no|zero",
    'no (?:intention|intentions|plans?|desire|wish|urges?|thoughts)',
    // "int", "ente" are spoken Swedish (Finland-Swedish, Norrland, Skåne) for "inte".
    'inte|int|ente|aldrig|ej|icke|inga|ingen|inget|knappast|noll',
    // A belief given up, with its subject ("har slutat tro att barnen skulle klara sig bättre
    // utan mig", "i no longer believe my family would be better off").
    '(?:slutat|slutade|stopped|no longer|inte längre) (?:tro|tror|känna|känner|believing|believe|thinking|think|feeling|feel)(?: att| that)?(?: [a-zåäö]+){0,3}',
    // Stopping is denial of the act now ("i've stopped cutting", "har slutat rispa mig"), and so
    // is being free of it ("fri från självmordstankar i ett år").
    'stopped|quit|slutat|slutade|free (?:of|from)|fri från|fria från',
    // A stretch of time without it ("två år utan att skada mig själv", "a year without cutting"),
    // unless it cannot be done ("cant go a day without cutting myself").
    '(?<!(?:cant|cannot|can not|couldnt|could not|klarar inte|klarade inte|kan inte|kunde inte|orkar inte) (?:go |make it |last |ens )?(?:a |one |an |even a |en |ett |ens en )?)(?:days?|weeks?|months?|years?|dag|dagar|vecka|veckor|månad|månader|år|tid) (?:without|utan att)',
  ].join('|'),
);

// Habitual-past verbs: they must govern the match like a negation does ("I used to be suicidal").
const PAST_CUE = cueAtEnd('used to|brukade|förut|tidigare');

// Time adverbials put the whole clause in the past, wherever they stand in it.
const PAST_TIME = foldPattern(
  [
    'years ago|a long time ago|back then|in the past|as a (?:kid|teen|teenager|child)',
    'when i was (?:younger|a kid|a teen|a teenager|little|in school|in high school|[0-9]+)',
    'in (?:high school|my teens)|för (?:flera |många |några |ett par )?år sedan',
    '(?:ett|två|tre|fyra|fem|flera|många|[0-9]+) år sen(?:an)?',
    'som (?:tonåring|barn)|i tonåren|när jag var (?:yngre|liten|tonåring|barn|[0-9]+)',
    'förr i tiden|förut|tidigare',
  ].join('|'),
);
const PAST_TIME_BEFORE = new RegExp(`\\b(?:${PAST_TIME})\\b`, 'g');
// After the verb, Swedish "tidigare" is "earlier (today)" ("tog en massa piller tidigare"), not
// "in the past" as it is before it ("har tidigare försökt").
const PAST_TIME_AFTER = new RegExp(`^(?: [a-z0-9]+){0,3}? (?:${PAST_TIME})\\b(?<!\\btidigare)`);

// Words saying it is happening now, which override a past reading.
const NOW = foldPattern(
  'again|now|lately|recently|these days|tonight|today|igen|nu|numera|nuförtiden|ikväll|idag',
);
const NOW_ANYWHERE = new RegExp(`\\b(?:${NOW})\\b`);
const NOW_AFTER = new RegExp(`^(?: [a-z0-9]+){0,3}? (?:${NOW})\\b`);

// How much text around a match is inspected; bounded so long texts stay linear.
const WINDOW = 120;

// Compiled to machine code together when the first match is read (see native-regexp.ts): their
// bytecode took ~10 ms of the first crisis screen on a cold process. One left out of the list only
// compiles the usual way.
const CONTEXT_EXPRESSIONS = [
  REPORTED,
  THIRD_PRONOUN,
  REPORTED_VERB,
  OTHER_SUBJECT,
  FOUND_BEFORE,
  WRITERS_OWN_AFTER,
  FIRST_PERSON_MATCH,
  DENIED_AFTER,
  RETRACTED,
  ONE_MORE_BEFORE,
  RATHER_BEFORE,
  THAN_AFTER,
  BELIEF_BEFORE,
  REASON_OR_DENIAL_AFTER,
  TERM_BEFORE,
  MEANS_AFTER,
  NEGATION_CUE,
  PAST_CUE,
  PAST_TIME_BEFORE,
  PAST_TIME_AFTER,
  NOW_ANYWHERE,
  NOW_AFTER,
];
let contextCompiled = false;

/**
 * Reads the context of a match in folded text whose clauses are separated by `\n`.
 * `start`/`end` are the match bounds.
 */
export function matchContext(folded: string, start: number, end: number): MatchContext {
  if (!contextCompiled) CONTEXT_EXPRESSIONS.forEach(compiledToMachineCode);
  contextCompiled = true;
  const windowStart = Math.max(0, start - WINDOW);
  let before = folded.slice(windowStart, start);
  before = before.slice(before.lastIndexOf('\n') + 1);
  const words = before.split(' ').filter((word) => word !== '');
  // A window that starts mid-word would show a fragment; drop it.
  if (windowStart > 0 && !before.startsWith(' ') && before.length === start - windowStart) {
    words.shift();
  }

  const following = folded.slice(end, end + WINDOW);
  const clauseBreak = following.indexOf('\n');
  const clauseAfter = clauseBreak < 0 ? following : following.slice(0, clauseBreak);
  if (
    RETRACTED.test(following) ||
    DENIED_AFTER.test(following) ||
    ONE_MORE_BEFORE.test(before) ||
    (RATHER_BEFORE.test(before.trimEnd()) && THAN_AFTER.test(clauseAfter)) ||
    (BELIEF_BEFORE.test(before.trimEnd()) && REASON_OR_DENIAL_AFTER.test(following)) ||
    TERM_BEFORE.test(before) ||
    MEANS_AFTER.test(clauseAfter)
  ) {
    return { negated: true, past: false, reported: false };
  }
  const reported =
    reportedSpeech(before) ||
    ((OTHER_SUBJECT.test(before.trimEnd()) ||
      (FOUND_BEFORE.test(before.trimEnd()) && !WRITERS_OWN_AFTER.test(following))) &&
      !FIRST_PERSON_MATCH.test(folded.slice(start, end)));

  // The match opens with its own subject after a clause-ending adverb: a new clause.
  const space = folded.indexOf(' ', start);
  const firstWord = folded.slice(start, space < 0 || space > end ? end : space);
  const opensClause =
    SUBJECTS.has(firstWord) && CLAUSE_END_ADVERBS.has(words[words.length - 1] ?? '');
  let past = false;
  for (let skipped = 0; !opensClause; skipped++) {
    const prefix = words.join(' ');
    if (NEGATION_CUE.test(prefix)) return { negated: true, past: false, reported };
    if (PAST_CUE.test(prefix)) past = true;
    const last = words[words.length - 1];
    if (last === undefined || skipped >= MAX_FILLERS) break;
    // "not depressed or suicidal": the negation reaches over a coordinated word.
    if (COORDINATORS.has(last) && words.length >= 2) {
      words.length -= 2;
      continue;
    }
    if (!FILLERS.has(last)) break;
    const beforeLast = words[words.length - 2];
    if (SUBJECTS.has(last) && beforeLast !== undefined && CLAUSE_END_ADVERBS.has(beforeLast)) break;
    words.pop();
  }

  if (!past) {
    let lastTime = -1;
    for (const time of before.matchAll(PAST_TIME_BEFORE)) lastTime = time.index + time[0].length;
    past = lastTime >= 0 && !NOW_ANYWHERE.test(before.slice(lastTime));
  }

  let after = folded.slice(end, end + WINDOW);
  const clauseEnd = after.indexOf('\n');
  if (clauseEnd >= 0) after = after.slice(0, clauseEnd);
  if (!past && PAST_TIME_AFTER.test(after)) past = true;
  if (past && NOW_AFTER.test(after)) past = false;
  return { negated: false, past, reported };
}

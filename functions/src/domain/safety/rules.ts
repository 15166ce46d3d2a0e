import { requiredLiterals } from './anchors';
import { compiledToMachineCode } from './native-regexp';
import { foldPattern } from './normalize';
import type { Language } from '../../lib/language';
import type { RuleCategory } from './types';

/**
 * One phrase rule of the safety screen.
 *
 * `pattern` is a regular-expression source in plain lower-case spelling, with or without å/ä/ö,
 * apostrophes and double letters: it is folded exactly like the screened text (see `foldText`),
 * which is lower case, has no diacritics or apostrophes, has single spaces between words, and has
 * repeated letters collapsed ("kill" → "kil", "alla" → "ala"). So write "don't" or "dont",
 * "self ?harm" for "self-harm"/"selfharm", and never rely on a letter doubled across a group
 * boundary. Use bounded alternations only (no nested quantifiers) to keep matching linear.
 *
 * Every rule runs on every text whatever the user's language (people mix languages); `lang` only
 * documents which language the phrase belongs to. A match is dropped when a negation governs it
 * and downgraded from `crisis` to `elevated` when it is about the past (see `context.ts`).
 */
export interface SafetyRule {
  /** Stable id reported in `matched`: `<lang>.<category>.<what>`. */
  id: string;
  lang: Language;
  /** The C-SSRS category (crisis and cue rules), `distress` or `others` (elevated rules). */
  category: RuleCategory;
  /**
   * `crisis` and `elevated` decide a level. A `cue` decides nothing and is never reported: it is
   * evidence for the statistical model only (a signal `cue:<category>`), for wordings that point to
   * a category but are too often innocent to decide alone ("wrote letters to my parents", "checked
   * the roof door", "tonight's the night"). Negated, reported or past cues do not fire.
   */
  level: 'elevated' | 'crisis' | 'cue';
  pattern: string;
  /** Texts that must fire this rule (checked by the tests; also documentation for reviewers). */
  examples: string[];
  /**
   * Whether a negated match stops the model from raising the text (default: it does). `false`
   * where the denial leaves other risk standing: "inte för att dö, bara för att känna något"
   * denies dying, not the self-harm it explains.
   */
  negationBlocksModel?: false;
}

// Shared fragments. Misspellings seen in the wild are listed explicitly.
const MYSELF = '(?:my ?self|meself|myslef|mysefl|mysef|myelf|mself|masel|maself|mysel)';
const SUICIDE =
  '(?:suicide|suicid|suicde|sucide|sucid|suiside|suicied|suacide|suside|sewerslide|sewer slide)';
const SUICIDAL = '(?:suicidal|sucidal|suicdal|suisidal|suicidial|suicidle|suicidel)';
// "<someone> is (really) ..." before a word about suicide: the risk is someone else's.
const THIRD_PERSON =
  "(?:(?:he|she|they|someone|somebody|anyone|people|person|någon|folk|friend|mom|mum|dad|brother|sister|partner|boyfriend|girlfriend|wife|husband|son|daughter|kid|child|mate|colleague) (?:is|are|was|feels|felt|seems|has been|might be|är|e)|he's|she's|they're)(?: so| really| very)?";
const SV_THIRD_PERSON =
  '(?:han|hon|hen|de|dom|nån|någon|ngn|kompisen|vännen|min vän|min kompis) (?:är|e)(?: så| väldigt| nog)?';
const MIG = '(?:mig|mej)';
const SJALV = '(?:själv|själf)';
const SJALVMORD = '(?:själ?vmor[dt]|suicid)';
// Words that may sit between "jag" and the verb ("jag ska nog ta ..."); negations deliberately not.
const SV_AUX =
  '(?:vill|ville|velat|ska|skulle|tänker|tänkte|kommer|att|bara|verkligen|nog|kanske|snart|måste|borde|kan|har|hade|nästan|försökte|försökt|funderar|funderade|på|planerar|tänkt|bestämt|mig|för)';
// Intent words that make an infinitive "ta livet av mig" self-directed without "jag".
const SV_INTENT =
  '(?:tankar på att|tänker på att|tänka på att|tänkt på att|funderar på att|funderat på att|fundera på att|drömmer om att|planer på att|önskan att|impuls att|impulser att|lust att|vill|ville|velat|ska|tänker|planerar att|bestämt mig för att|försöka|försökte|försökt|borde|måste|känner för att|kände för att|känt för att|nära att)';
const TABLETS =
  '(?:tabletter|tabletterna|piller|pillren|sömntabletter|sömntabletterna|sömnpiller|värktabletter|sömnmedel|mediciner|medicinerna|lugnande|alvedon|panodil|ipren|sobril|propavan|lergigan|citodon|atarax|imovane|stilnoct|theralen)';
const PILLS =
  '(?:pills|tablets|meds|medication|sleeping pills|painkillers|paracetamol|tylenol|ibuprofen|advil|lithium|insulin|antidepressants|xanax|benadryl)';

/** The rule table. Add a row (with examples) to extend the screen; tests pin every example. */
export const SAFETY_RULES: readonly SafetyRule[] = [
  // ---------------------------------------------------------------- English, crisis
  {
    id: 'en.active_ideation.kill_myself',
    lang: 'en',
    category: 'active_ideation',
    level: 'crisis',
    // Idioms about overwork or laughing are excluded ("killing myself at the gym").
    pattern: `\\bkill(?:ing|s)? ${MYSELF}\\b(?! (?:laughing|working|trying|at (?:work|the gym|the office)|to (?:meet|finish|get|make|keep|pay|please)|over (?:work|this (?:project|deadline|essay|report))|with (?:these|this|the|my) (?:workouts?|training|exercises?|work|studying|homework|deadlines?)|for (?:a |the )?(?:grades?|job|deadline)|for (?:forgetting|not|being|doing|saying|missing|losing|eating))\\b)`,
    examples: [
      'ah want tae kill masel',
      'I want to kill myself',
      'thinking about killing myself',
      'gonna kil myslef',
    ],
  },
  {
    id: 'en.active_ideation.unalive',
    lang: 'en',
    category: 'active_ideation',
    level: 'crisis',
    pattern: `\\bunalive(?:d|ing)? ${MYSELF}\\b|\\b(?:want|wanna|going|gonna|plan|planning|thinking (?:about|of)) (?:to )?unalive\\b`,
    examples: ['I might unalive myself', 'i wanna unalive'],
  },
  {
    id: 'en.active_ideation.kms',
    lang: 'en',
    category: 'active_ideation',
    level: 'crisis',
    // "kms" is also kilometres: not after a number or a distance verb, not before "run"/"away".
    pattern:
      '(?<!(?:[0-9]|\\b(?:two|three|four|five|six|seven|eight|nine|ten|few|many|several|some|the|ran|run|walked|cycled|drove|biked|swam)) ?)\\bkms\\b(?! (?:run|walk|walked|ride|away|from|per|an hour|left|to go)\\b)',
    examples: ['honestly i want to kms', 'KMS'],
  },
  {
    id: 'en.wish_dead.want_to_die',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    // "want to die of embarrassment", "ready to die on this hill", "this song is so good i want
    // to die" are hyperbole.
    pattern:
      "(?<!\\bso (?:good|cute|funny|pretty|beautiful|hot|embarrassed|embarrassing|awkward|cringe|cringy|amazing|delicious|adorable) (?:that )?i (?:just |literally )?)\\b(?:want|wanna|wish i could|would like to|i'd like to|ready|need|deserve|plan|planning) (?:to |2 )?(?:just |really |simply )?die\\b(?! (?:of|from|laughing|for(?! real)|on this hill|happy|old|(?:my|her|his|your|the) hair)\\b)",
    examples: ['I want to die', 'i just wanna dieeee', 'I deserve to die', 'want 2 die'],
  },
  {
    id: 'en.wish_dead.wish_dead',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      "\\b(?:wish|wishing|hope) (?:that )?(?:i was|i were|i'd be|i would be|i could be) dead\\b|\\b(?:want|wanna) (?:to )?be dead\\b|\\bbetter off dead\\b|\\bwish i (?:wasnt|werent) alive\\b",
    examples: ['I wish I was dead', "I'd be better off dead", 'i wanna be dead'],
  },
  {
    id: 'en.active_ideation.end_my_life',
    lang: 'en',
    category: 'active_ideation',
    level: 'crisis',
    pattern:
      '\\b(?:end|ending|take|taking) (?:my|my own|me|me own) life\\b(?! (?:back|in|into|to|seriously|more|for granted)\\b)',
    examples: [
      "I'm going to end my life",
      'thinking about taking my own life',
      'want to end me life',
    ],
  },
  {
    id: 'en.nonspecific_ideation.end_it_all',
    lang: 'en',
    category: 'nonspecific_ideation',
    level: 'crisis',
    // "end things with him" / "end it here for today" are about relationships or work.
    pattern:
      '\\b(?:end|ending) it all\\b|\\b(?:think|thinking|thought) about ending (?:it|everything|things)\\b(?! (?:with|between)\\b)|\\b(?:want|wanna|going|gonna|ready|plan|planning|decided) (?:to )?end (?:it|everything|things)\\b(?! (?:with|between|here|for|now|there|early|off|on|at|after|before|soon)\\b)',
    examples: [
      "I'm going to end it all tonight",
      'i just want to end everything',
      'Sometimes I think about ending it',
    ],
  },
  {
    id: 'en.nonspecific_ideation.suicide_intent',
    lang: 'en',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `\\b(?:commit|committing|attempt|attempting|consider|considering|contemplate|contemplating|think about|thinking about|thinking of|thought about|thoughts of|thoughts about|plan|planning|want|wanna|going|gonna|ready|decided|close) (?:to |on |about |of )?(?:commit |committing )?${SUICIDE}\\b(?! (?:prevention|awareness|squad|hotline|line|rates?|statistics|doors?|bombers?)\\b)|\\b${SUICIDE} (?:plans?|notes?|letters?|methods?)\\b|\\b(?:${SUICIDE}|death|dying|killing ${MYSELF}) (?:is|seems|seems like|feels like) (?:the|my) only (?:way out|option|answer|solution|way|escape)\\b|\\bonly (?:way out|option|solution|answer|escape) (?:is|left is) (?:death|to die|dying|${SUICIDE}|ending it|to end it)\\b`,
    examples: [
      'the only way out is to die',
      "I've been thinking about suicide",
      'considering sucide',
      'i wrote a suicide note',
      'gonna commit sewerslide',
      'suicide feels like the only way out',
    ],
  },
  {
    id: 'en.nonspecific_ideation.suicidal',
    lang: 'en',
    category: 'nonspecific_ideation',
    level: 'crisis',
    // About someone else ("my friend is suicidal") it is the elevated rule en.someone_else.
    pattern: `\\b(?<!${THIRD_PERSON} )${SUICIDAL}\\b(?! (?:friends?|patients?|characters?|people|persons?|teens?|youth|clients?|behaviou?rs?|ideation in|thoughts in|intent|crisis|crises)\\b)`,
    examples: ['I feel suicidal', 'having suicidal thoughts again', 'so sucidal rn'],
  },
  {
    // Wordings of the wish to die and of method that no other rule lists: "self delete", a
    // bullet or brains, leaving this world, searching for ways to die, planning an exit.
    id: 'en.active_ideation.more_wordings',
    lang: 'en',
    category: 'active_ideation',
    level: 'crisis',
    pattern: `\\bself[ -]?delet(?:e|ing|ion)\\b|\\b(?:blow|blowing|blew) my brains out\\b|\\b(?:put|putting) a bullet (?:in|through) my (?:head|brain|skull|mouth)\\b|\\b(?:want|wanna|ready|going|gonna|time) to leave this (?:world|earth|life)(?: (?:for good|forever|tonight|now|soon|today))?(?![^\\n])|\\b(?:googling|googled|searching|searched|looking up|looked up|researching|researched|reading up on) (?:ways|how|methods) to (?:die|kill ${MYSELF}|end it|end my life|overdose|od)\\b(?! in\\b)|\\b(?:planning|planned|plan) my exit\\b(?! (?:from|strategy|interview|out of)\\b)`,
    examples: [
      'honestly might self delete',
      'i want to blow my brains out',
      'i want to leave this world',
      'i keep googling ways to die',
      'planning my exit',
    ],
  },
  {
    // Thoughts of suicide in other words than 'thinking about suicide': on the mind, imagined,
    // the first thought, thoughts of ending it, the thought that one could end it.
    id: 'en.nonspecific_ideation.thoughts',
    lang: 'en',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `(?:(?<!\\b(?:are|were|is|was) (?:you|they|he|she|someone|anyone) )\\b(?:thinking|think|thought|thoughts|thinkin|dreaming|fantasi[sz]ing|imagining|obsessing|daydreaming) (?:about|abt|of|bout|on) (?:${SUICIDE}|ending (?:it|things|it all|my life|my own life)|killing ${MYSELF}|offing ${MYSELF}|taking my (?:own )?life)\\b|\\b(?:${SUICIDE}|ending it|ending things|killing ${MYSELF}) (?:has been |is |keeps |was |been |kept |has )?(?:on|in|crossing|popping into|running through|going through|spinning in|stuck in) my (?:mind|head|thoughts)\\b|\\bmy (?:first|only|main|go to) thought is (?:${SUICIDE}|to die|ending it|killing ${MYSELF})\\b|\\b(?:thoughts?|ideas?|urges?|fantasies) (?:of|about|abt) (?:ending (?:it|things|it all|my life)|killing ${MYSELF}|offing ${MYSELF}|taking my (?:own )?life)\\b|\\b(?:the )?(?:thought|idea) (?:that )?i (?:could|might|should|can) (?:just )?(?:end|finish) (?:it|things|it all|my life|${MYSELF})\\b|\\b(?:imagine|imagining|picture|picturing) (?:ending (?:it|things|it all|my life)|killing ${MYSELF})\\b|\\b(?:need|have|going|gonna|ready) to ctb\\b|\\b(?:(?:to|gonna|wanna|will|might|could|just) off|offing|offed) ${MYSELF}\\b)(?! (?:with|w|between|of (?:the|our|this) (?:relationship|friendship|marriage))\\b)`,
    examples: [
      'cant stop thinking abt suicide since the breakup',
      'suicide has been on my mind every day',
      'my first thought is suicide',
      'been having thoughts of ending it',
      'the thought that i could just end it',
      'i keep imagining ending things',
      'need to ctb',
      'the idea of offing myself',
    ],
  },
  {
    // The community's abbreviations: SI (suicidal ideation), thoughts of ctb / kms.
    id: 'en.nonspecific_ideation.abbreviated',
    lang: 'en',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `\\b(?:passive|active) si\\b|\\bsi (?:is|was|has been|flared|flaring|came back|comes back|thoughts|urges|again|today|rn|tonight|getting|spiking|spiked|bad|worse|idag|ikväll)\\b|\\b(?:having|had|have|got|with|my|some|bad|ongoing|daily|constant) si\\b(?! (?:joint|units?|prefix|system)\\b)|\\b(?:thinking|think|thought|thoughts|thinkin) (?:about|abt|of|bout) (?:ctb|kms|sewerslide|unaliving)\\b|\\bsui (?:thoughts|ideation|urges)\\b`,
    examples: [
      'sui thoughts bad this week',
      'SI flared up after the meds change',
      'passive SI most days',
      'thinking abt ctb more often lately',
    ],
  },
  {
    // "sh" for self-harm, where only that reading fits.
    id: 'en.nssi.abbreviated',
    lang: 'en',
    category: 'nssi',
    level: 'crisis',
    pattern: `\\bsh (?:urges?|again|relapse)\\b|\\b(?:urges? to|want to|wanna|gonna|going to|need to|did|relapsed on|relapsed with) sh\\b`,
    examples: ['want to sh so bad after that call', 'sh urges all day'],
  },
  {
    id: 'en.nssi.self_harm_intent',
    lang: 'en',
    category: 'nssi',
    level: 'crisis',
    pattern: `\\b(?:want|wanna|urge|urges|going|gonna|need|tempted|feel like|thinking about|thinking of|plan|planning|craving|itching|trying not|about to) (?:to )?(?:self ?harm(?:ing)?|(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|injure|injuring) ${MYSELF})\\b(?! (?:lifting|running|at the gym|training|playing|skiing|doing (?:that|this)|a (?:break|slice|piece|big|huge))\\b)`,
    examples: [
      'I want to hurt myself',
      'the urge to self-harm is strong',
      'I feel like cutting myself',
    ],
  },
  {
    id: 'en.nssi.self_harm_now',
    lang: 'en',
    category: 'nssi',
    level: 'crisis',
    // "cutting myself some slack" and "burning myself out" are not self-harm.
    pattern: `\\b(?:cutting|harming|burning) ${MYSELF}\\b(?! (?:some |a little |a bit of |any )?slack|(?: a break| a big| off| short| out| loose| free| a (?:slice|piece)| in on)\\b)|\\bi (?:cut|burned|burnt|hurt|harmed) ${MYSELF} (?:again|on purpose|deliberately|intentionally)\\b|\\bi (?:still |keep )?self ?harm\\b|\\bi cut again\\b|\\b(?:im|ive been|been|started|keep|still) self ?harming\\b|\\brelapsed? (?:into |on |with )?(?:self ?harm(?:ing)?|cutting)\\b`,
    examples: [
      "I've been cutting myself",
      'I cut myself again last night',
      'i relapsed on self harm',
    ],
  },
  {
    id: 'en.method.overdose',
    lang: 'en',
    category: 'method',
    level: 'crisis',
    pattern:
      '\\b(?:want|wanna|going|gonna|plan|planning|thinking about|thinking of|about|tempted|decided) (?:to )?(?:overdose|od|take an overdose)\\b|\\b(?:take|taking|swallow|swallowing|took|swallowed) (?:all (?:of )?(?:my|the|these|those) (?:pills|tablets|sleeping pills|painkillers) (?:at once|together|in one go)|(?:a|the) (?:whole|entire) (?:bottle|box|packet|pack) of (?:pills|tablets|sleeping pills|painkillers|paracetamol|tylenol))\\b|\\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded) (?:up )?(?:my |the |some )?(?:pills|tablets|sleeping pills|painkillers)\\b|\\b(?:stopped|quit|not) taking (?:my |the )?(?:pills|tablets|meds|medication|antidepressants|sleeping pills) (?:so (?:that )?i can|to|and) (?:save|keep|stockpile|collect|take) (?:them|it) (?:all|up|for)\\b|\\b(?:pills|tablets|sleeping pills|painkillers) saved up\\b',
    examples: [
      "I'm going to overdose",
      'take the whole bottle of pills',
      'I have pills saved up',
      'i stopped taking my meds so i can take them all at once',
    ],
  },
  {
    id: 'en.method.method',
    lang: 'en',
    category: 'method',
    level: 'crisis',
    pattern: `\\bhang(?:ing)? ${MYSELF}\\b|\\b(?:slit|slitting|cut|cutting) (?:my|both) wrists?\\b|\\bshoot(?:ing)? ${MYSELF}\\b(?! in the foot\\b)|\\b(?:jump|jumping|throw ${MYSELF}|throwing ${MYSELF}|step|stepping) (?:in front of|under) (?:a |the |an )?(?:train|bus|truck|lorry|car|subway)\\b|\\b(?:want|wanna|going|gonna|thinking about|thinking of|plan|planning|ready) (?:to )?jump(?:ing)? (?:off|from) (?:a|the|this|that|my) (?:bridge|roof|building|balcony|cliff|ledge|window)\\b|\\bdrown(?:ing)? ${MYSELF}\\b(?! in\\b)`,
    examples: [
      'I want to hang myself',
      'slit my wrists',
      'going to jump off the bridge',
      'I could step in front of a train',
    ],
  },
  {
    id: 'en.wish_dead.dont_want_to_live',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    // The negation is part of the phrase; "live with my parents" / "live like this" are excluded.
    pattern:
      '\\b(?:dont|do not|no longer|dont really|dont even|stopped|quit) (?:want|wanna|wish|wanting|wishing) (?:to )?(?:live|be alive|exist)(?:(?: anymore| any more| any longer)\\b|(?! (?:with|like|in|without|near|there|here|on|at|together|alone|so|this|that|off)\\b))|\\b(?:dont|do not|idc|no longer|stopped|quit|dont even|dont really) (?:care|caring) (?:if|whether) i (?:live|living) or (?:die|dying)\\b',
    examples: [
      "I don't want to live anymore",
      "i've stopped wanting to live",
      'i quit caring if i live or die',
      'i dont want to exist',
      'I no longer want to be alive',
    ],
  },
  {
    id: 'en.wish_dead.never_wake_up',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\b(?:dont|do not|never) (?:want|wanna) (?:to )?wake up (?:again|anymore|any more|ever)\\b|\\b(?:hope|wish|pray)(?: that)? i (?:dont|never|wont|do not|will not) wake up\\b|\\b(?:sleep|fall asleep|go to sleep|close my eyes)(?: and| then)? (?:just )?never wake up\\b|\\b(?:fall|go to|drift off to) (?:asleep|sleep) and (?:just )?stay (?:asleep|there)\\b|\\b(?:unfortunately|sadly|disappointed (?:that )?i|annoyed (?:that )?i|gutted (?:that )?i) woke up(?: again| this morning| today)?(?![^\\n])',
    examples: [
      'want to fall asleep and stay asleep',
      "I hope I don't wake up tomorrow",
      'I want to go to sleep and never wake up',
      'unfortunately woke up again',
    ],
  },
  // ---------------------------------------------------------------- English, acts and preparations
  {
    id: 'en.nssi.act',
    lang: 'en',
    level: 'crisis',
    category: 'nssi',
    // Body parts, not "cut my hair"; accidents ("on a glass", "shaving") are excluded.
    pattern: `\\b(?:cut|cuts|cutted|cutting|burn|burned|burnt|burning|scratch|scratched|scratching|carve|carved|carving|slash|slashed|slashing) (?:${MYSELF}|my (?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?|belly|body))\\b(?! (?:some |a little |a bit of |any )?slack\\b| a (?:break|big|huge|small|slice|piece)\\b| (?:on (?:a|the)|by accident|accidentally|while|shaving|cooking|when i fell|out|off|short|up|loose|free|in on)\\b)|\\b(?:carve|carved|carving) [a-z]+ into my\\b|\\b(?:hit|hitting|punch|punched|punching|bite|bit|biting|scratch|scratched) ${MYSELF}\\b(?! (?:by accident|accidentally|on the|with the door)\\b)|(?<!\\b(?:his|her|their) (?:[a-z]+ )?)\\b(?:until|till|til) (?:it|they|i|my [a-z]+) (?:bled|bleeds?|bleeding|bruised|bruises|bruise)\\b|\\b(?:urges?|urging|craving|want|wanna|need) (?:to )?(?:cut|sh)\\b(?! (?:my hair|the|it|down|back|out|off|ties|class|classes|carbs|sugar|costs?|corners|in line|through)\\b)|\\b(?:new|fresh|covered in) cuts\\b|\\b(?:i |been |keep |still )(?:cutting|cut) (?:again|for|since|every)\\b|\\bi (?:shd|sh d|sh) (?:again|last night|today|yesterday)\\b|\\b(?:relapsed|relapse)\\b(?! (?:on|into|with) (?:alcohol|drinking|smoking|weed|sugar|gambling)\\b)`,
    examples: [
      'burned myself with a lighter',
      'been cutting my thighs for months',
      'scratched my arm till it bled',
      'the urge to cut is so strong rn',
      'i punched myself in the head',
    ],
  },
  {
    id: 'en.attempt.act',
    lang: 'en',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\b(?:took|taken|swallowed|downed|ate) (?:all|every|everything|the whole|a whole|the entire|like [0-9]+|[3-9]|[1-9][0-9]+|a bunch|a handful|too many|an overdose|an od)\\b(?! (?:the (?:time|way)|day|week|of the (?:cake|food|pizza|cookies)|(?:my |of my |the )?(?:vitamins|supplements|antibiotics|meds on time|medication on time|pills on time|classes|exams|tests|notes|photos)|of them|(?:pics|photos|pictures|selfies|minutes|mins|hours|hrs|seconds|secs|steps|shots|years|days|weeks|months|tries|laps|goals|points|notes))\\b)|\\boverdosed\\b(?! on (?:netflix|coffee|caffeine|sugar|candy|sweets|chocolate|tiktok|youtube|anime|memes|series|tv|love|cuteness|christmas|nostalgia|vitamin c)\\b)|\\b(?:tried|attempted|trying|try) (?:to )?(?:ctb|kill ${MYSELF}|end (?:it|my life|things)|unalive|${SUICIDE}|hang ${MYSELF}|drown ${MYSELF})\\b|\\battempted again\\b|\\b(?:pumped|pump) my stomach\\b|\\b(?:on purpose|trying|try and|try) to die\\b|\\bto (?:not|never) (?:come back|wake up)\\b|\\bready to jump\\b|\\btried (?:with|using) (?:a|the|my) (?:belt|rope|cord|cable|scarf|noose)\\b(?! (?:swing|ladder|bridge|course|trick|tow)\\b)|\\bengine running\\b|\\bbefore the (?:pills|tablets) (?:kicked|kick|took) (?:in|effect)\\b`,
    examples: [
      'tried with the belt but the hook came out',
      'i just took all my pills',
      'took like 30 sleeping pills',
      'i overdosed on saturday',
      'tried to ctb a couple days ago',
      'i took a bunch of her pills to try and die',
    ],
  },
  {
    // Self-harm told in the acts themselves, beyond cutting (round 9, from the cross-validation's
    // misses): head against a wall, biting, pinching black and blue, a cigarette put out on the
    // skin, cutting deeper than usual, digging in with a knife.
    id: 'en.nssi.more_acts',
    lang: 'en',
    level: 'crisis',
    category: 'nssi',
    pattern: `\\b(?:bang|banging|banged|bash|bashing|bashed|slam|slamming|slammed|smash|smashing|smashed) my head (?:on|against|into) (?:the |a )?(?:wall|walls|floor)\\b|\\bbit my own (?:hand|arm|wrist|leg)\\b|\\bbiting my (?:arm|wrist|hand) (?:until|till|til) it (?:bleeds|bled)\\b|\\bpinch(?:ed|ing)? ${MYSELF} (?:black and blue|until|till|til|so hard)\\b|\\bself[ -]?harmed\\b|\\bbeen cuttin(?:g)?\\b(?! (?:back|down|out|off|corners|carbs|sugar|hair|costs)\\b)|\\b(?:put|putting|stubbed|stubbing) (?:a |my )?(?:cigarette|cig|fag|smoke) out on my (?:arm|hand|wrist|leg|skin|thigh)\\b|\\b(?:went|cut|cutting|going) deeper than (?:usual|ever|before|last time|i meant to)\\b|\\b(?:dug|digging|dig) (?:into|in) my (?:arm|leg|skin|thigh|wrist) with\\b`,
    examples: [
      'banging my head on the wall when the panic gets bad',
      'bit my own hand so hard',
      'pinch myself black and blue',
      'self harmed in the ward toilets again',
      'been cuttin every night this week',
      'put a cigarette out on my arm',
      'went deeper than usual, had to use steri strips',
      'dug into my leg with my pocket knife',
    ],
  },
  {
    // Attempts told by their count, their interruption or where they happen (round 9).
    id: 'en.attempt.more',
    lang: 'en',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\bmy (?:second|third|fourth|fifth|2nd|3rd|4th|5th) (?:attempt|try)\\b(?! (?:at|to|on|in|for)\\b)|\\bmade an attempt\\b(?! (?:at|to|on)\\b)|\\battempted on my birthday\\b|\\btalked me (?:down|off the (?:ledge|bridge|roof|edge))\\b|\\bbleeding in the (?:tub|bath|bathtub)\\b|\\bsitting on the (?:tracks|train tracks|railway)\\b|\\b(?:was|were) about to jump\\b(?! (?:in|into|on|off the (?:diving|boat)|for|up)\\b)|\\b(?:drove|crashed|steered|swerved) (?:my car )?(?:into|at|towards) (?:a |the )?[a-z]+ on purpose\\b|\\b(?:necked|finished) (?:all|the whole|a whole|an entire) (?:of )?(?:my |the |a )?(?:strip|packet|pack|box|bottle|blister|sheet|pills|tablets|meds|antidepressants|sleepers|sleeping pills|painkillers)\\b`,
    examples: [
      'my third attempt this year',
      'made an attempt in march',
      'was on the bridge and some guy talked me down',
      'bleeding in the tub rn',
      'sitting on the tracks',
      'was about to jump and a stranger started talking to me',
      'drove into a lamppost on purpose',
      'necked a whole strip of sleepers',
      'finished all my antidepressants',
    ],
  },
  {
    // "attempted" on its own, with when: the act is meant ("attempted on friday").
    id: 'en.attempt.attempted',
    lang: 'en',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\battempted (?:on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|last (?:night|week|weekend)|yesterday|this (?:morning|week|weekend)|tonight|earlier today)\\b`,
    examples: ['attempted on friday. typing this from the ward'],
  },
  {
    // Self-poisoning with a household or farm poison, said by the writer ("just drank the weed
    // killer"); the writer as subject or opening the clause, so "the dog drank antifreeze" stays.
    id: 'en.attempt.poison',
    lang: 'en',
    level: 'crisis',
    category: 'attempt',
    pattern: `(?:(?<![^\\n])|\\b(?:i|ive|i have|i just|just|i already)\\b )(?:just |already )?(?:drank|drunk|swallowed|downed|chugged|took|ate|consumed|ingested)(?: (?:some|the|a bottle of|half a bottle of|a cup of|a glass of|a mouthful of|a capful of|half the))? (?:bleach|weed ?kil(?:l)?er|antifreeze|rat poison|drain cleaner|poison|pesticide|paraquat|roundup|slug pellets|toilet cleaner|oven cleaner)\\b(?! (?:ivy|oak|by accident|accidentally)\\b)`,
    examples: [
      'I consumed rat poison this morning',
      'just drank the weed killer. stomachs on fire',
      'i swallowed some bleach an hour ago',
      'drank antifreeze, waiting now',
    ],
  },
  {
    id: 'en.preparatory.goodbye',
    lang: 'en',
    level: 'crisis',
    category: 'preparatory',
    pattern: `\\b(?:goodbye|farewell|${SUICIDE}) (?:letters?|notes?|messages?|videos?|texts?|posts?)\\b(?! to (?:my |the |our )?(?:old|former|apartment|flat|house|city|town|job|school|twenties|teens|car|youth|summer|office|team|coworkers|colleagues|class)\\b)|\\b(?:after|when|once) im (?:gone|dead|not here)\\b|\\b(?:wont|will not|dont|wouldnt) need (?:them|it|these|those|my [a-z]+) (?:where im going|anymore|much longer|after)\\b|\\b(?:giving|gave|give) away (?:my|all my|most of my)\\b(?! old\\b)(?! [a-z]+(?: [a-z]+)? (?:on|to|at|via) (?:the |a )?(?:marketplace|facebook|fb|freecycle|gumtree|craigslist|ebay|vinted|charity|goodwill|oxfam|thrift|salvation army)\\b)|(?<!\\bwe )\\b(?:wrote|made|writing|updated|finished) (?:a |my )?will\\b(?!(?: today| yesterday| this (?:week|morning|afternoon))? (?:with (?:my |the )?(?:wife|husband|partner|solicitor|lawyer)|at the (?:solicitors?|lawyers?|notary|bank)|now (?:that|the|we|our)|(?:since|because|after|when) we|for the (?:kids|baby|house|grandkids|grandchildren))\\b)|\\bsaid (?:my )?goodbyes?\\b(?! to (?:my |the |our |all )?(?:coworkers|co workers|colleagues|team|class|classmates|students|teachers?|neighbou?rs|old|former|house|apartment|flat|city|town|office|guests|tourists|summer)\\b)|\\b(?:bought|buying|got|ordered|collecting|stockpiling|saving up) (?:a |the |some )?(?:rope|razor ?blades?|blades|a gun|charcoal)\\b(?! (?:for|to) (?:the |a |my |our |his |her )?(?:climbing|boat|sailing|camping|garden|tent|swing|hammock|dog|towing|tow|moving|clothesline|washing|gym|project|course|class|trip|work|farm|horses?|cattle|kids?|fence|tree ?house|tarp|kayak|canoe|crossfit)\\b)`,
    examples: [
      'wrote goodbye letters to my mom',
      'cleaned my apartment so no one has to deal with a mess after im gone',
      'giving away my books this week',
      'bought a rope today',
    ],
  },
  {
    id: 'en.wish_dead.better_off',
    lang: 'en',
    level: 'crisis',
    category: 'wish_dead',
    pattern: `\\bbetter off (?:if i (?:just |simply )?(?:was|were|wasnt|werent|died|was gone|were gone|just died|wasnt here|werent here|didnt exist)|without me)\\b|\\b(?:dont|do not) want to be here (?:anymore|any more|any longer)\\b|\\bno (?:reason|point|purpose) (?:for me )?(?:to|in) (?:live|living|be alive|being alive|go on|going on|exist|existing|keep living|stay alive|staying alive)\\b|\\bnothing (?:left )?to live for\\b|\\blife (?:isnt|is not|aint) worth living\\b|\\b(?:hope|wish|pray)(?:ing)?(?: that)? (?:a car|a bus|a truck|something|god|the lord|the cancer|i get) (?:just )?(?:hits|takes|kills|hit|take|kill) me\\b|\\b(?:wish|wishing) i (?:could )?(?:just )?(?:stop existing|not exist|disappear forever|never wake up|wasnt alive|didnt exist|had never been born|was never born)\\b|\\b(?:want|wanna|need) (?:to )?(?:just )?(?:disappear|vanish) (?:forever|for good|permanently)\\b`,
    examples: [
      'everyone would be better off if i just wasnt here anymore',
      'there is no reason to live',
      'nothing to live for',
      'i hope a car just hits me',
      'stopped eating, want to disappear forever',
    ],
  },
  {
    id: 'en.wish_dead.nobody_would_miss_me',
    lang: 'en',
    level: 'crisis',
    category: 'wish_dead',
    // Thwarted belonging said of one's own absence; the training writers label it crisis. Missing
    // someone at an event ("nobody would miss me at the party") is not.
    pattern: `\\b(?:nobody|no one|noone|no body)(?: here| at all)? (?:would|will|is gonna|is going to|wouldnt|wont)(?: even| ever| really| actually)? (?:miss me\\b(?! (?:at|on|in|during|for|if i (?:didnt|did not|dont|skipped|left|missed)))|notice (?:if|when|that) i(?:m| am| was| were|d|ve)? (?:gone|dead|died|disappeared|not here|not around|killed ${MYSELF})\\b)`,
    examples: [
      'nobody would miss me',
      'no one would even notice if I died',
      'honestly noone would notice if i was gone',
    ],
  },
  // ---------------------------------------------------------------- English, more crisis wordings
  {
    id: 'en.wish_dead.rather_be_dead',
    lang: 'en',
    level: 'crisis',
    category: 'wish_dead',
    // "id rather die than sing karaoke" is hyperbole: only "be dead", "not be here", "not exist".
    pattern: `\\b(?:id|i would|i'd|would) (?:much )?rather (?:be dead|not (?:be here|be alive|exist|wake up))\\b|\\bwhy am i (?:even |still )?alive\\b|\\bi (?:shouldnt|should not) (?:be alive|exist|still be here)\\b|\\b(?:want|wanna|wish i could) (?:to )?(?:just )?(?:not exist|stop existing|cease to exist)(?: (?:anymore|any more|forever))\\b|\\b(?:hope|hoping|wish|pray) (?:that )?i (?:get (?:cancer|hit|run over|killed)|die in my sleep|dont wake up)\\b|\\bif i died in my sleep\\b`,
    examples: [
      'id rather be dead than keep feeling like this',
      'why am i even alive lol',
      'i shouldnt be alive',
      'i hope i get cancer or something so it just ends',
    ],
  },
  {
    id: 'en.wish_dead.if_i_was_gone',
    lang: 'en',
    level: 'cue',
    category: 'wish_dead',
    pattern: `\\bif i (?:died|was gone|were gone|wasnt here|werent here|was dead|were dead|disappeared)\\b|\\b(?:without me|me included)\\b|\\b(?:dont|do not) think ill be (?:here|around) (?:much )?(?:longer|anymore)\\b|\\bwoke up\\b.{0,40}\\bdisappointed\\b|\\bdisappointed (?:that )?i woke up\\b|\\bvanish forever\\b|\\btaking up space\\b`,
    examples: [
      'if i died theyd finally get some peace',
      'they would heal faster without me around',
    ],
  },
  {
    id: 'en.intent.decided',
    lang: 'en',
    level: 'cue',
    category: 'intent',
    pattern: `\\b(?:tonight|today|tomorrow)s? (?:is )?(?:the (?:night|day)|my last)\\b|\\b(?:made|have made|ive made) (?:my|the) (?:choice|decision)\\b|\\b(?:ive |i have |i )?decided\\b|\\bmade up my mind\\b|\\b(?:finally|really|actually) (?:going|gonna) (?:to )?do it\\b|\\bnot backing out\\b|\\bready to go\\b|\\bim not staying\\b|\\bthis time (?:im|i am|i will|ill)\\b|\\bid end it\\b`,
    examples: ["tonight's the night", 'made my choice', 'im finally going to do it'],
  },
  {
    id: 'en.plan.worked_out',
    lang: 'en',
    level: 'crisis',
    category: 'plan',
    pattern: `\\bso (?:that )?(?:nobody|no one|noone) (?:finds|will find|can find|would find) me\\b|\\bi (?:have|got|know) (?:a|the) (?:date|day|time) and (?:i have |i know )?(?:the|a) (?:way|method|place)\\b`,
    examples: [
      'booking a hotel for friday so nobody finds me too early',
      'I have a date and I have the way',
    ],
  },
  {
    id: 'en.plan.set',
    lang: 'en',
    level: 'cue',
    category: 'plan',
    pattern: `\\b(?:picked|chosen|chose|found) the (?:spot|place|date|day)\\b|\\b(?:everything|it all|its all|all) (?:is )?(?:set|planned|ready|worked out|figured out|sorted)\\b|\\b(?:figured out|worked out) (?:the|how|when|where)\\b|\\bi know (?:how|when|where) (?:i(?:ll| will)|to do it)\\b|\\bnobody will be home\\b`,
    examples: ['everything is set for thursday', 'figured out the timing'],
  },
  {
    id: 'en.preparatory.goodbye_now',
    lang: 'en',
    level: 'crisis',
    category: 'preparatory',
    pattern: `\\bthis is (?:my )?(?:final |last )?goodbye\\b|\\bsaying goodbye to (?:everyone|everybody|you all|the world)\\b|\\b(?:said|say|saying) (?:goodbye|bye|farewell)(?: [a-z]+){0,4} (?:for the last time|one last time)\\b|\\b(?:rehomed|rehoming|found (?:a )?(?:new )?homes? for) (?:my|all my)\\b|\\b(?:wrote|writing|written|finished|left) (?:the |my )?letters (?:to|for) (?:my (?:kids|children|parents|family|wife|husband|son|daughter)|the (?:kids|children)|mom|mum|dad|everyone)\\b|\\bafter i kill ${MYSELF}\\b|\\blethal dose of (?:my|the|her|his|mums?|moms?|dads?)\\b`,
    examples: [
      'this is my final goodbye',
      'this is goodbye. thank you for everything',
      'rehomed my dog today',
      'wrote letters to mom and dad tonight, just in case',
      'I looked up the lethal dose of my meds last night.',
    ],
  },
  {
    id: 'en.preparatory.arranging',
    lang: 'en',
    level: 'cue',
    category: 'preparatory',
    pattern: `\\bloose ends\\b|\\bwho gets (?:what|which|my)\\b|\\b(?:cancel(?:l?ed|l?ing)?|canceled) (?:my|all my|the|everything)\\b|\\b(?:wont|will not|dont|wouldnt) need (?:them|it|these|those|that|anything) (?:next|after|by)\\b|\\b(?:new homes?|a home) for (?:my|the) (?:cat|dog|pets?|plants)\\b|\\b(?:cat|dog) has a new home\\b|\\b(?:letters?|notes?|messages?|emails?|videos?) (?:to|for) (?:my|the) (?:kids|children|parents|family|mom|mum|dad|sister|brother|daughter|son|wife|husband)\\b|\\b(?:scheduled|recorded) (?:a|an) (?:email|message|video)\\b|\\bfor afterwards\\b|\\beverything is in order\\b|\\bpaid off everything\\b|\\b(?:in|with) the will\\b|\\bsong for my funeral\\b|\\b(?:lethal|fatal|deadly) (?:dose|amount)\\b|\\b(?:sent|texted|messaged) [a-z]+ (?:a long message )?thanking (?:her|him|them)\\b|\\b(?:the|a|my) second prescription\\b|\\bfrom different (?:pharmacies|doctors|shops|stores)\\b|\\b(?:boxes|packs|packets|bottles) of ${PILLS}\\b`,
    examples: [
      'cancelled my gym, spotify, phone contract',
      'finally wrote the letters to the kids',
      'got 3 boxes of paracetamol from different pharmacies',
    ],
  },
  {
    id: 'en.method.asking',
    lang: 'en',
    level: 'crisis',
    category: 'method',
    pattern: `\\b(?:most )?painless (?:way|ways|method|methods) to (?:die|go|kill ${MYSELF})\\b|\\bhow (?:many|much) (?:[a-z]+ ){1,2}(?:to die|would kill me|to kill ${MYSELF})\\b|\\bhow (?:many|much) (?:of )?(?:my |the |these )?${PILLS} (?:does it take|would it take|do i need|should i take|to die)\\b|\\bhow (?:high|far) (?:do|does|would|should) (?:you|i|one|a person) (?:have to |need to )?(?:jump|fall)\\b|\\b(?:${PILLS}|the bridge|bridge|rope|the rope|train|the train|jumping|hanging) or (?:the )?(?:${PILLS}|bridge|rope|train|jump|jumping|hanging|gun)\\b|\\b(?:googled|googling|searched|searching|looked up|looking up|researched|researching) (?:up )?how to (?:hang (?:${MYSELF}|yourself|oneself)|kill (?:${MYSELF}|yourself|oneself)|overdose|od|commit ${SUICIDE}|end (?:it all|my life|your life))\\b|\\bcan (?:you|i|someone|a person) die (?:if|from|by) (?:you |i )?(?:take|taking|swallow|swallowing|eat|eating) (?:a |my |your |the )?(?:whole|entire|all)\\b`,
    examples: [
      'googled how to hang myself last night',
      'can you die if you take your whole bottle of sertraline at once?? asking for me',
      'whats the most painless way to die, asking for myself',
      'how many ibuprofen does it take. not for a friend',
      'its either the bridge or pills. leaning bridge',
    ],
  },
  {
    id: 'en.method.scouting',
    lang: 'en',
    level: 'cue',
    category: 'method',
    pattern: `\\b(?:look|looked|looking|check|checked|checking|scout|scouted|stood|standing|went) (?:at |on |out |to |up |by )?(?:the |a )?(?:end of the )?(?:bridge|roof|rooftop|roof door|tracks|cliff|ledge|platform|railway)\\b|\\b(?:high|deep) enough\\b|\\b(?:would|will|could) [a-z]+(?: [a-z]+)? (?:actually )?kill me\\b|\\b(?:overdose|od|overdosing) (?:how|on my)\\b|\\bhow long (?:does|would) it take to die\\b|\\bhow (?:many|much) (?:[a-z]+ ){1,2}(?:is|are) (?:lethal|fatal|deadly)\\b|\\busing it on ${MYSELF}\\b|\\bthe (?:rope|gun|pills|bridge) idea\\b|\\bdrowning hurts?\\b`,
    examples: ['went to look at the bridge earlier', 'bridge by the school looks high enough'],
  },
  {
    id: 'en.attempt.done',
    lang: 'en',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\b(?:mixed|took|swallowed|downed|taken) (?:all )?(?:of )?(?:my |her |his |mums? |moms? |dads? |the )?(?:whole )?${PILLS}(?: with| w| and)(?: some| a bottle of| half a bottle of)? (?:wine|vodka|alcohol|booze|whiskey|whisky|beer|gin)\\b|\\bswallowed the lot\\b|\\b(?:took|swallowed) my (?:whole|entire) (?:months? |weeks? )?supply\\b|\\b(?:i |just )od\\b|\\bod (?:last|yesterday|on|again|this)\\b|\\b(?:belt|rope|cord|noose) (?:around|round) my neck\\b|\\b(?:my|the) (?:last |latest |first |second |third )?attempt (?:didnt work|failed|was)\\b|\\b(?:found|stopped) me before it worked\\b|\\bclimbed over the (?:railing|fence|barrier)\\b|\\bsitting on the ledge\\b`,
    examples: [
      'mixed all my meds w vodka like 20 min ago',
      'Just swallowed the lot.',
      'my sister walked in when I had the belt around my neck',
    ],
  },
  {
    id: 'en.attempt.after',
    lang: 'en',
    level: 'cue',
    category: 'attempt',
    pattern: `\\b(?:tried|attempted) (?:again|last night|yesterday|before)\\b|\\b(?:third|second|fourth) (?:time|attempt)\\b|\\b(?:woke up in|in) (?:the )?(?:hospital|er|icu|psych ward)\\b|\\bdidnt work\\b|\\bstill here\\b|\\bon purpose\\b|\\babout to jump\\b|\\bswallowing pills\\b`,
    examples: ['tried again. third time. still here', 'woke up in the hospital'],
  },
  {
    id: 'en.nssi.more',
    lang: 'en',
    level: 'crisis',
    category: 'nssi',
    pattern: `\\bshd\\b|\\bsh again\\b|\\b(?:home|and|then) cut(?: again| myself)?(?=\\n|$| in the bathroom| in my room| after| before| tonight| today| last)|\\bhurting ${MYSELF} (?:is|helps|makes|again|every)\\b|\\b(?:been|keep|kept|started) hurting ${MYSELF}\\b(?! (?:on|at|in|playing|lifting|running|by|when|while|with (?:the|my) (?:weights|bike|training))\\b)|\\b(?:started|start) cutting again\\b|\\b(?:held|pressed|put) (?:a|the) (?:hot|burning|lit) [a-z]+ (?:to|on|against) my\\b|\\bslamming my (?:hand|head|fist)\\b|\\bthe only thing that helps [a-z ]{0,20}is cutting\\b|\\bcarved [a-z]+(?: [a-z]+)? into my\\b`,
    examples: [
      'been hurting myself with a compass',
      "sh'd after school",
      'Came home and cut again.',
      'ive started cutting again',
    ],
  },
  {
    id: 'en.nssi.signs',
    lang: 'en',
    level: 'cue',
    category: 'nssi',
    pattern: `\\b(?:my|the|fresh|new|over the|hide the|hiding the|found the) cuts\\b|\\bclean streak\\b|\\blong sleeves\\b|\\bbecause of my (?:arms|thighs|legs)\\b|\\bbc of my (?:arms|thighs|legs)\\b|\\bscars?\\b|\\bbloody (?:tissues|plasters|bandaids|towels)\\b|\\b[0-9]+ days clean\\b`,
    examples: ['wearing long sleeves in july bc of my arms lol', 'my clean streak ended'],
  },
  // ---------------------------------------------------------------- English, elevated
  {
    id: 'en.distress.cant_go_on',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:cant|cannot|can not) (?:go on|keep going|carry on)\\b(?! (?:a|the|this|that|my|our|holiday|vacation|trips?|tour|stage|air|dates?|social|twitter|instagram|tiktok|facebook|reddit|line|online|until|till|at|about|and on|with (?:the|my|our))\\b)|\\b(?:cant|cannot|can not) (?:do this|take (?:it|this)|cope|handle (?:it|this|life)|deal with (?:it|this|life)) (?:anymore|any more|any longer)\\b|\\b(?:cant|cannot|can not) take (?:much|any) more\\b|\\b(?:cant|cannot|can not) (?:live|go on) like this\\b',
    examples: ["I can't go on", "I can't take it anymore", 'cant do this any more'],
  },
  {
    // Passive ideation as the contract defines it (a burden, no reason to live, wishing to stop
    // existing): crisis. A cue for the model until round 9; 17 of 17 of the training messages it matched
    // were crisis.
    id: 'en.wish_dead.burden',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\bbetter off without me\\b|\\b(?:im|i am|i feel like|feel like) (?:just )?(?:a|such a|nothing but a) burden\\b|\\bburden (?:to|on|for) (?:everyone|everybody|my family|my friends|them|others|people|you)\\b',
    examples: ['everyone would be better off without me', "I'm such a burden"],
  },
  {
    // Often ideation, sometimes fear of death or grief: a cue for the model, not a verdict.
    id: 'en.distress.thinks_about_death',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:think|thinking) about (?:death|dying) (?:a lot|all the time|constantly|every day|so much)\\b',
    examples: ['I think about death a lot'],
  },
  {
    // Passive ideation, as above: 5 of 5 of the training messages it matched were crisis.
    id: 'en.wish_dead.no_reason_to_live',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\bno (?:reason|point|purpose) (?:to|in|of) (?:live|living|life|go on|going on|being alive|being here|exist|existing|carry on|carrying on)\\b|\\bnothing (?:left )?to live for\\b|\\blife (?:isnt|is not|aint) worth (?:living|it)\\b|\\bwhats the point (?:of|in) (?:living|life|being alive|going on)\\b|\\bpointless to (?:live|go on)\\b|\\b(?:dont|do not|cant|cannot|can not) see (?:the|any) point (?:anymore|any more|in (?:living|life|anything|going on|carrying on))\\b',
    examples: [
      'there is no reason to live',
      "life isn't worth living",
      'nothing to live for',
      "I don't see the point anymore",
    ],
  },
  {
    id: 'en.distress.hopeless',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    // "hopeless at cooking" / "a hopeless romantic" are not despair.
    pattern:
      '\\b(?:feel|feeling|felt|im|i am|im so|im just|everything (?:is|feels|seems)|it all (?:feels|seems)|life (?:is|feels)|the future (?:is|feels|looks)) (?:so |completely |totally |utterly |really |just )?hopeless\\b(?! (?:at|with|romantic|case|when)\\b)|\\bhopelessness\\b',
    examples: ['I feel hopeless', 'everything feels so hopeless'],
  },
  {
    // Passive ideation, as above: 29 of 29 of the training messages it matched were crisis.
    id: 'en.wish_dead.disappear',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      "\\b(?:want|wanna|wish i could|need) (?:to )?(?:just )?(?:disappear|vanish|stop existing|not exist|cease to exist|fall asleep forever|go to sleep forever|sleep forever)\\b(?! (?:for a|into|under|on (?:a|holiday))\\b)|\\bwish (?:that )?(?:i'd|i) (?:had never been born|never been born|was never born|were never born|wasnt born|wasnt here|werent here|didnt exist|did not exist)\\b|\\bwish (?:my )?(?:mum|mom|mam|mother|ma|parents) (?:had )?(?:never had|never had had|aborted) me\\b",
    examples: [
      'wish my mum never had me',
      'I just want to disappear',
      "I wish I'd never been born",
    ],
  },
  {
    id: 'en.distress.nobody_would_care',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:no one|nobody|noone)(?: would| will| is going to| gonna)?(?: even)? (?:care|notice|mourn)(?: me)? if i (?:died|was gone|were gone|disappeared|wasnt here|werent here|was dead)\\b|\\b(?:no one|nobody|noone)(?: would| will| is going to| gonna)?(?: even)? miss me\\b',
    examples: ['nobody would miss me', 'no one would even notice if I died'],
  },
  {
    // Passive ideation, as above: 12 of 13 of the training messages it matched were crisis.
    id: 'en.wish_dead.tired_of_living',
    lang: 'en',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\b(?:tired|sick|exhausted) of (?:living(?! (?:in|with|at|here|there|like|on|under|off|paycheck|out of)\\b)|being alive|life|existing|being me|waking up)\\b|\\b(?:give|giving|gave) up on (?:life|living)\\b|\\b(?:feel|feeling|felt) like dying\\b(?! (?:of|from|laughing|after)\\b)|\\b(?:im|i am) (?:so |just )?done with (?:life|living|being alive|existing|it all)\\b|\\bwant (?:it all|everything|the pain|it|this) to (?:stop|end) (?:forever|for good)\\b|\\bwant (?:it all|everything) to (?:stop|end)\\b(?! for (?:a (?:while|bit|second|sec|minute|moment|day|week)|now|today|tonight)\\b)',
    examples: [
      "I'm so tired of living",
      'ready to give up on life',
      "I'm done with life",
      'I want it all to stop',
      'I want the pain to stop forever',
    ],
  },
  {
    id: 'en.distress.worthless',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:feel|feeling|im|i am|im just) (?:so |completely |totally |utterly )?worthless\\b',
    examples: ['I feel worthless'],
  },
  {
    id: 'en.distress.not_here_anymore',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:dont|do not) (?:want|wanna) (?:to )?(?:be here anymore|be here any more|live like this)\\b|\\b(?:wont|will not) be (?:here|around) (?:much longer|for long|anymore)\\b|\\bthis is (?:my )?(?:final |last )?goodbye\\b|\\bsaying goodbye to (?:everyone|everybody|you all|the world)\\b',
    examples: ["I don't want to be here anymore", 'this is my final goodbye'],
  },
  {
    id: 'en.distress.past_self_harm',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern: `\\b(?:used to|stopped|quit) (?:self ?harm(?:ing)?|cutting ${MYSELF}|cut ${MYSELF}|hurting ${MYSELF}|harming ${MYSELF}|burning ${MYSELF})\\b|\\bused to cut\\b(?! (?:my|the|your|his|her|hair|it|them|grass|wood|paper|class|classes|school|back|down|costs?|corners)\\b)|\\bself ?harmed\\b|\\b(?:history of|scars? (?:from|of)) (?:self ?harm(?:ing)?|cutting)\\b|\\bself ?harm scars?\\b|\\battempted ${SUICIDE}\\b|\\b${SUICIDE} attempts?\\b|\\bwanted (?:to )?die\\b(?! (?:of|from|laughing|for)\\b)`,
    examples: ['I used to self harm', 'after my suicide attempt', 'scars from cutting'],
  },
  {
    id: 'en.others.someone_else',
    lang: 'en',
    category: 'others',
    level: 'elevated',
    // Worry about someone else: gentle resources, and the chat can still help the user support them.
    pattern: `\\b(?:wants?|going|gonna|planning|threatening|threatened|tried|trying) to (?:kill|hurt|harm) (?:herself|himself|themselves|themself)\\b|\\b${THIRD_PERSON} ${SUICIDAL}\\b`,
    examples: ['my friend said she wants to kill herself', 'my brother is suicidal'],
  },
  {
    id: 'en.distress.self_harm_mention',
    lang: 'en',
    category: 'distress',
    level: 'elevated',
    pattern: '\\bself ?harm(?:ing|ers?)?\\b',
    examples: ['thoughts about self-harm'],
  },
  // ---------------------------------------------------------------- Swedish, crisis
  {
    id: 'sv.active_ideation.ta_livet_av_mig',
    lang: 'sv',
    category: 'active_ideation',
    level: 'crisis',
    // "jobbet tar livet av mig" (the job is killing me) is hyperbole: the phrase only counts with
    // "jag" as subject, after an intent word, or opening a clause on its own.
    pattern: `\\bjag (?:${SV_AUX} ){0,3}(?:ta|tar|tog|tagit) (?:livet av ${MIG}|mitt (?:eget )?liv)\\b(?! (?:tillbaka|i egna)\\b)|\\b${SV_INTENT} ta (?:livet av ${MIG}|mitt (?:eget )?liv)\\b(?! (?:tillbaka|i egna)\\b)|(?<![^\\n])ta (?:livet av ${MIG}|mitt (?:eget )?liv)\\b(?! (?:tillbaka|i egna)\\b)|(?<=\\b(?:inte|aldrig) )ta (?:livet av ${MIG}|mitt (?:eget )?liv)\\b|\\bjag (?:ska|vill|tänker|kommer att|kommer) döda ${MIG}\\b(?! (?:om|ifall)\\b)`,
    examples: [
      'Jag ska döda mig.',
      'jag tänker ta livet av mig',
      'Jag vill ta livet av mej',
      'ta mitt eget liv',
      'jag tar livet av mig',
      'har tankar på att ta livet av mig',
    ],
  },
  {
    id: 'sv.active_ideation.avsluta_livet',
    lang: 'sv',
    category: 'active_ideation',
    level: 'crisis',
    // "göra slut" alone means breaking up; "göra slut på allt godis" is about sweets.
    pattern: `\\b(?:avsluta|avslutar) (?:mitt (?:eget )?liv|livet)\\b|\\b(?:göra|gör|gjorde) slut på (?:mitt (?:eget )?liv|livet|${MIG} ${SJALV}|${MIG}|allt(?:ihop)?\\b(?! (?:godis|mat|maten|kakor|kakorna|glass|pengar|pengarna|kaffe|chips|vin|öl|som)\\b))`,
    examples: ['jag vill avsluta mitt liv', 'göra slut på allt'],
  },
  {
    id: 'sv.wish_dead.vill_do',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    // "vill dö av skam", "skäms så att jag vill dö" are hyperbole. "vill inte dö" never matches
    // ("inte" sits between).
    pattern: `(?<!\\bskäms (?:så |så mycket |så jävla )?(?:att )?(?:jag )?)\\b(?:vill|velat) (?:jag )?(?:(?:bara|verkligen|helst|typ|nästan|fortfarande|ba|liksom|asså|fan|faktiskt|på riktigt) ){0,2}(?:dö|va död|vara död)\\b(?! av\\b)|\\b(?:vill|önskar att jag|önskar jag) (?:vara|var|vore) död\\b|\\bönska(?:de|t|r) (?:att )?jag (?:var|vore|vart|va) död\\b|\\b(?:jag|att) inte (?:vill|orkar) (?:leva|finnas)\\b(?! (?:så|som|med|utan|i|på|här|där|ihop)\\b)|\\bbryr ${MIG} inte (?:längre |ens )?om jag lever eller dör\\b|\\b(?:slutat|slutade) (?:att )?(?:bry ${MIG} om (?:ifall |huruvida )?jag lever eller dör|vilja leva)\\b|\\bskiter (?:i|fullständigt i) om jag lever eller dör\\b|\\bönskar (?:att )?jag (?:kunde|fick) dö\\b|\\bhoppas (?:att )?jag (?:dör|ska dö)\\b|(?<!\\b(?:han|hon|hen|de|dom|den|det) )\\bväntar (?:bara |typ |liksom |nu )?på att (?:få )?dö\\b`,
    examples: [
      'jag väntar bara på att få dö',
      'jag vill dö',
      'Jag vill bara dööö',
      'jag vill do',
      'önskar att jag var död',
      'vill fortfarande va död',
      'har önskat att jag var död hela dagen',
      'kom tanken att jag inte vill leva',
      'bryr mig inte längre om jag lever eller dör',
      'har slutat bry mig om jag lever eller dör',
      'skiter i om jag lever eller dör',
    ],
  },
  {
    id: 'sv.wish_dead.vill_inte_leva',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\b(?:vill|orkar) int(?:e)? (?:leva|finnas|finnas till|existera|vara vid liv)(?:(?: längre| mer| alls)\\b|(?! (?:så|som|med|utan|i|på|här|där|ihop|tillsammans|nära|kvar)\\b))',
    examples: ['vill inte leva längre', 'jag orkar inte leva', 'jag vill inte finnas'],
  },
  {
    id: 'sv.wish_dead.ingen_skulle_sakna_mig',
    lang: 'sv',
    level: 'crisis',
    category: 'wish_dead',
    // As the English: one's own absence ("ingen skulle sakna mig om jag dog"), not an event's
    // ("ingen skulle sakna mig på festen").
    pattern: `\\bingen (?:av (?:dem|dom|er|oss|mina vänner) )?(?:skulle|kommer att|kommer|lär|hade)(?: ens| ju| väl| nog| egentligen| på riktigt)? (?:sakna ${MIG}|märka (?:om|när|att) jag (?:var borta|dog|försvann|inte fanns|inte finns|tog livet av ${MIG}))\\b(?! (?:på|i|under|om jag (?:inte|int|skippar|stannar|går|missar)))`,
    examples: ['ingen skulle sakna mig', 'ingen skulle ens märka om jag försvann'],
  },
  {
    id: 'sv.wish_dead.aldrig_vakna',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\bsomna (?:in )?(?:och|o) (?:aldrig|inte|slippa|inte behöva) vakna\\b|\\b(?:vore|hade varit|skulle vara|är|e) (?:så )?(?:skönt|bäst|lättast|enklast|najs) (?:att |om jag )?(?:få )?(?:dö|dog|fick dö|slippa vakna|inte vakna|slippa leva|inte fanns|inte fanns kvar)\\b|\\bsova för (?:evigt|alltid)\\b|\\bvill int(?:e)? vakna (?:igen|mer|upp igen|upp mer)\\b|\\bhoppas (?:att )?jag (?:aldrig|inte) vaknar\\b|\\bvaknade (?:tyvärr|tyvär|dessvärre)(?: idag| i dag| i morse| imorse)?(?: också| igen| ännu en gång)?(?![^\\n])|\\btyvärr vaknade jag(?: idag| i dag| i morse| imorse)?(?: också| igen)?(?![^\\n])',
    examples: [
      'vill bara somna och aldrig vakna',
      'jag vill inte vakna igen',
      'vill int vakna mer',
      'god morgon. vaknade tyvärr idag också',
    ],
  },
  {
    // Tankar på självmord med andra ord: tänker på, tankarna om att ta livet av sig, självmordet
    // som snurrar i huvudet.
    id: 'sv.nonspecific_ideation.tankar',
    lang: 'sv',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `\\b(?:tänker|tänkte|tänkt|tänka|funderar|funderade|funderat|grubblar|grubblade|fantiserar|fantiserade|drömmer|drömde) (?:mycket |ofta |jämt |hela tiden )?(?:på|om) (?:${SJALVMORD}|att ta livet av ${MIG}|att ta mitt (?:eget )?liv|att avsluta (?:livet|allt|mitt liv)|att göra slut på ${MIG})\\b|\\btankar(?:na)? (?:på|om) (?:${SJALVMORD}|att ta livet av ${MIG}|att ta mitt (?:eget )?liv|att avsluta (?:livet|allt|mitt liv)|att dö)\\b|\\b(?:${SJALVMORD}|döden) (?:har |hade )?(?:snurrat|snurrar|malt|maler|ligger|legat|funnits|finns|gått runt|går runt) i (?:huvudet|skallen|tankarna|mitt huvud)\\b|\\b${SJALVMORD}s?(?:taknar|tankr|tnkar|tankarn)\\b|\\b(?:vill|ska|tänker|kommer att|kommer) ta (?:död|kål) på ${MIG}(?: själv)?\\b|\\baldrig (?:velat|önskat) (?:dö|ta livet av ${MIG}|vara död) så (?:mycket|gärna|starkt) som\\b`,
    examples: [
      'självmord har snurrat i huvudet sen i somras',
      'tankarna om att ta livet av mig kom tillbaka',
      'tänkte på självmord om och om igen',
      'självmordstaknar igen',
      'vill ta död på mig',
      'har aldrig velat dö så mycket som idag',
    ],
  },
  {
    id: 'sv.nonspecific_ideation.sjalvmordstankar',
    lang: 'sv',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `\\b(?<!${SV_THIRD_PERSON} |\\bom )${SJALVMORD}s?(?:tankar|tanke|tankarna|benägen|benägna|planer|plan|impulser)\\b|\\bsuicidala\\b`,
    examples: ['jag har självmordstankar', 'sjalvmordstankar igen', 'självmortstankar'],
  },
  {
    id: 'sv.nonspecific_ideation.sjalvmord_avsikt',
    lang: 'sv',
    category: 'nonspecific_ideation',
    level: 'crisis',
    pattern: `\\b(?:begå|tänker|tänker på|funderar på|funderat på|planerar|överväger|vill|ska|kommer att|tankar på|tänkt på)(?: att)?(?: begå| ta)? ${SJALVMORD}\\b`,
    // "ta självmord" is a common slip for "begå självmord" / "ta livet av mig".
    examples: ['jag funderar på självmord', 'jag vill begå självmort', 'jag ska ta självmord'],
  },
  {
    id: 'sv.nssi.skada_mig_sjalv',
    lang: 'sv',
    category: 'nssi',
    level: 'crisis',
    // Present/infinitive only; the past ("skadade mig själv") is a separate, elevated rule.
    pattern: `\\bskada(?:r)? ${MIG} ${SJALV}\\b(?! (?:på (?:gymmet|träningen|jobbet)|om jag (?:lyfter|tränar|ramlar)|under träningen)\\b)|\\bsjälvskadar\\b|\\b(?:vill|ska|måste|behöver|tänker|sug efter att|lust att|impuls att) självskada\\b|\\b(?:vill|ska|måste|behöver|tänker|sug efter att|lust att|impuls att|börjat|började) (?:att )?(?:skära|rispa) ${MIG}\\b|\\bskär ${MIG} (?:igen|${SJALV})\\b|\\bskära ${MIG} ${SJALV}\\b|\\brispar ${MIG}\\b|\\bcutta(?:r|de|t)?(?: ${MIG})?\\b(?! (?:håret|av|bort|ner|ned|till|ut|i (?:texten|videon|filmen|klippet))\\b)`,
    // "cutta" is the slang loan of "cut": self-harm whatever follows, except editing and hair.
    examples: [
      'jag vill skada mig själv',
      'skadar mej själv',
      'jag har lust att skära mig',
      'cuttade igen efter tre månader',
      'behöver ba cutta lite',
    ],
  },
  {
    id: 'sv.method.metod',
    lang: 'sv',
    category: 'method',
    level: 'crisis',
    pattern: `\\bhänga ${MIG}\\b(?! (?:på|i|med|fast|kvar|efter|upp|av|ut)\\b)|\\bhoppa (?:ut )?framför (?:ett |en )?(?:tåg|tåget|tunnelbanan|bussen|buss|bilen|bil|pendeln|lastbil)\\b|\\b(?:vill|ska|tänker|funderar på att) (?:att )?hoppa (?:från|av|ut från) (?:bron|en bro|taket|ett tak|balkongen|fönstret|ett fönster|stupet|klippan)\\b|\\bdränka ${MIG}\\b(?! i\\b)|\\b(?:skjuta|döda|dödar) ${MIG} ${SJALV}\\b(?! i foten)|\\b(?:ta|tar|vill ta|tänker ta) en överdos\\b|\\b(?:vill|ska|tänker) överdosera\\b|\\b(?:ta|äta|svälja|tar|äter|sväljer|tog|åt|svalde) (?:alla (?:mina |de |dom )?${TABLETS} (?:på en gång|samtidigt|på samma gång)|hela (?:burken|kartan|förpackningen|paketet|asken) (?:med )?${TABLETS})\\b|\\b(?:samlar|samlat|sparar|sparat) (?:på mig )?(?:alla |mina )?${TABLETS}\\b|\\b(?:slutat|slutade|slutar) (?:att )?ta (?:min |mina )?(?:medicin|medicinen|mediciner|medicinerna|${TABLETS}) (?:för att|så att jag kan|och) (?:spara|samla) (?:på )?(?:dem|dom|den)\\b`,
    examples: [
      'jag ska hänga mig',
      'hoppa framför tåget',
      'ta en överdos',
      'svälja alla tabletter på en gång',
      'jag har samlat på mig sömntabletter',
      'slutade ta medicinen för att spara dem till en överdos',
    ],
  },
  // ---------------------------------------------------------------- Swedish, acts and preparations
  {
    id: 'sv.nssi.handling',
    lang: 'sv',
    level: 'crisis',
    category: 'nssi',
    pattern: `\\b(?:skar|skurit|skärde|skärt|skär|rispar|rispade|rispat|brände|bränt|bränner|river|rev|kliade|nyper|slår|slog) ${MIG}(?: ${SJALV})?(?: (?:igen|djupt|på (?:armen|armarna|handleden|handlederna|låren|låret|magen|höften|benen|huden)|med (?:tändare|tändaren|cigaretten|en cigarett|rakblad|rakbladet|kniven))|(?= [a-zåäö]+ [a-zåäö]+ tills))\\b|\\btills (?:det|de|dom|huden|såren|jag) (?:blödde|blöder|börjar blöda|började blöda|gick sönder|går sönder|blev blå|blir blå|blev blåa)\\b|\\b(?:sug|suget|lust|behov|impuls|impulser) (?:efter )?(?:att )?(?:skära|skada ${MIG})\\b|\\bvill (?:bara )?skära(?: ${MIG})?\\b(?! (?:av|ner|bort|i|upp)\\b)|\\b(?:sh|självskadat|självskadade) igen\\b|\\bskärsår\\b|\\bskurit in\\b`,
    examples: [
      'har så lust att skada mej nu',
      'skar mig på handleden igen',
      'brände mig med cigaretten på armen',
      'kliade upp såren tills de blödde',
      'suget att skära mig e så starkt',
    ],
  },
  {
    id: 'sv.attempt.handling',
    lang: 'sv',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\båt (?:upp )?(?:hela|en hel) (?:kartan|karta|burken|burk|förpackningen|förpackning|asken|ask|paketet)\\b|\\b(?:tog|tagit|svalde|svalt|ätit) (?:alla|allt i|hela|en hel|en massa|typ [0-9]+|[0-9]+|för många|en överdos)\\b(?! (?:dagen|veckan|tårtan|kakorna|godiset|maten|pizzan|glassen|chipsen|lunchen|kvällen|vitaminerna|kosttillskotten|antibiotikan|mina vitaminer|mina kosttillskott|natten|morgonen|förmiddagen|eftermiddagen|helgen|resan|tiden|min|minuter|timmar|timme|tim|sekunder|sek|dagar|veckor|månader|år|kr|kronor|spänn|km|mil|meter|steg|bilder|foton)\\b)|\\böverdos(?:en|erade|erat)\\b|\\bförsök(?:te|t)? (?:att )?(?:ta livet av ${MIG}|ctb|unalive|hänga ${MIG}|dränka ${MIG}|begå ${SJALVMORD}|dö)\\b|\\bför att (?:inte|aldrig) (?:vakna|komma tillbaka|komma upp)\\b|\\bredo att hoppa\\b|\\bmotorn igång\\b|\\binnan (?:tabletterna|pillren|medicinen) (?:hann|började) verka\\b|\\bpumpade (?:min )?mage\\b|\\b(?:tog|tagit|svalde|svalt|ätit|åt) (?:två|tre|fyra|fem|sex|flera|[2-9]) (?:kartor|burkar|förpackningar|askar|paket)\\b|\\balla (?:mina |de |dom )?${TABLETS} (?:som )?jag (?:tog|tagit|svalde|svalt)\\b`,
    examples: [
      'mår illa efter alla piller jag tog',
      'tog två kartor stesolid',
      'har precis svalt allt i burken',
      'tog en hel karta alvedon för att dö',
      'vaknade på iva efter överdosen',
      'försökte ctb för ett par dagar sen',
    ],
  },
  {
    // Självskada i själva handlingarna, utöver att skära (omgång 9, från korsvalideringens missar).
    id: 'sv.nssi.fler_handlingar',
    lang: 'sv',
    level: 'crisis',
    category: 'nssi',
    pattern: `\\b(?:sh|självskade|självskadnings)[- ]?återfall\\b|\\bnya (?:sår|skärsår|jack|snitt) (?:ovanpå|på|över) (?:de )?gamla ärr\\b|\\b(?:nöp|nyper|nypte) ${MIG} själv (?:så hårt|blå|tills)\\b|\\b(?:släckte|släcker|fimpade|fimpar|släckt) (?:en )?(?:cigg|cigarett|fimp|ciggen|cigaretten) (?:på|mot) (?:min |mitt )?(?:arm|armen|handen|handleden|benet|låret|huden|armarna)\\b|\\böppnade (?:upp )?(?:gamla|mina|mina gamla) sår\\b|\\brispade (?:${MIG} )?(?:med (?:en |ett )?(?:sax|saxen|kniv|kniven|rakblad|nål|nålen|passare|glasbit)|på (?:handleden|armen|låret|armarna|benen))\\b|\\bskärit ${MIG}\\b|\\bskar (?:${MIG} )?djupare än\\b|\\b(?:bränner|brände|bränt|bränn) ${MIG} (?:på|med) (?:spisplattan|plattan|strykjärnet|ciggen|cigg|tändaren|ljuset|svetsen)\\b|\\b(?:måste|behöver|vill|ska) (?:skada ${MIG}|göra ${MIG} illa|slå ${MIG}(?! (?:ner|ned|fri|till ro|i|för|på|samman|ihop)\\b))|\\bsjälvskada(?:n|ndet)? hjälper\\b`,
    examples: [
      'SH-återfall 😞 nya på höfterna',
      'nya sår ovanpå gamla ärr',
      'nöp mig själv så hårt under provet',
      'släckte en cigg på armen igen',
      'öppnade gamla sår med nageln',
      'rispade med en sax på handleden',
      'skärit mig två ggr den här veckan',
      'skar djupare än jag brukar ikväll',
      'bränner mig på spisplattan när ingen e hemma',
      'känner att jag måste skada mig ikväll',
      'självskada hjälper mig andas',
    ],
  },
  {
    // Försök berättade genom antal, avbrott eller platsen (omgång 9).
    id: 'sv.attempt.fler',
    lang: 'sv',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\bmitt (?:andra|tredje|fjärde|femte) försök\\b(?! (?:på|att|med|till|i|av)\\b)|\\b(?:andra|tredje|fjärde|femte) försöket (?:o|och) jag (?:e|är) (?:fortfarande |ändå )?(?:kvar|här)\\b|\\bpumpat (?:min )?magen\\b|\\b(?:magpumpning|magsköljning)\\b|\\bi badet (?:och |o )?blöder\\b|\\bblöder i badet\\b|\\bsitter på (?:rälsen|spåret|spåren|järnvägsspåret)\\b|\\bvar på väg att hoppa (?:från|framför|ner)\\b|\\bskulle hoppa (?:från|framför|ner från) (?:bron|balkongen|taket|tåget|perrongen)\\b(?!(?: [a-zåäö]+){0,2} (?:bungee|bungy|fallskärm|vattnet|sjön|havet|badet))|\\b(?:körde|styrde) (?:rakt )?(?:mot|in i) (?:en |ett |den |det )?[a-zåäö]+ med flit\\b|\\bmed flit (?:in i|mot) (?:en |ett )?[a-zåäö]+\\b`,
    examples: [
      'tredje försöket o jag e fortfarande kvar',
      'sitter på akuten, har pumpat magen',
      'fick magpumpning förra veckan',
      'ligger i badet blöder',
      'sitter på rälsen nu',
      'var på väg att hoppa från balkongen när min dotter ringde',
      'körde rakt mot en lyktstolpe med flit',
    ],
  },
  {
    // Självförgiftning med ett hushålls- eller gårdsgift, av skribenten själv ("svalde råttgift
    // ikväll"); "jag"/"har" före eller först i satsen, så "hunden drack frostskyddsvätska" står kvar.
    id: 'sv.attempt.gift',
    lang: 'sv',
    level: 'crisis',
    category: 'attempt',
    pattern: `(?:(?<![^\\n])|\\b(?:jag|ja|har|precis|nyss)\\b )(?:har |precis |nyss )?(?:drack|druckit|svalde|svalt|åt|ätit|tog)(?: (?:precis|nyss|upp))?(?: (?:lite|en flaska|en kork|en klunk|nåt|något|en massa|hela flaskan med))? (?:klorin|blekmedel|råttgift|ogräsmedel|frostskyddsvätska|kylarvätska|glykol|avloppsrensare|gift|rödsprit|t-röd|lampolja|tröd)\\b(?! (?:av misstag|råkade|ekblad)\\b)`,
    examples: [
      'svalde råttgift ikväll. magen brinner',
      'jag har druckit klorin',
      'drack en flaska kylarvätska',
    ],
  },
  {
    id: 'sv.attempt.for_att_do',
    lang: 'sv',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\bför att (?:försöka )?dö\\b`,
    negationBlocksModel: false,
    examples: ['tog alla tabletterna för att dö'],
  },
  {
    id: 'sv.preparatory.farval',
    lang: 'sv',
    level: 'crisis',
    category: 'preparatory',
    pattern: `\\bavskeds(?:brev|brevet|breven|meddelande|meddelanden|inlägg|video|sms)\\b|\\b${SJALVMORD}sbrev(?:et)?\\b|\\b(?:när|efter att|efter) jag (?:är borta|är död|inte finns|inte finns kvar|har dött)\\b|\\bbehöver (?:dem|dom|den|det|dom inte|dem inte) inte (?:där jag ska|längre|mer)\\b|\\bbehöver inte (?:dem|dom|den|det) där jag ska\\b|\\b(?:ger|gav|ge|skänker|skänkte) bort (?:mina|min|mitt|allt|alla mina)\\b(?! gamla\\b)|(?<!\\bvi )\\b(?:skrev|skrivit|skriver|gjorde|gjort|fixade) (?:ett |mitt )?testamente\\b(?!(?: idag| igår| i veckan)? (?:med (?:min|mitt|frun|mannen|sambon)|hos (?:en )?(?:jurist|juristen|advokat|advokaten|banken)|nu när|när vi|eftersom vi|sen vi|för (?:barnens|bebisens|huset|barnbarnens))\\b)|\\b(?:köpte|köpt|köper|beställde|beställt|skaffade|skaffat) (?:ett |en )?(?:rep|rakblad|vapen)\\b(?! (?:till|för) (?:båten|båt|klättring|klätterturen|klättringen|gymmet|hängmattan|gungan|tältet|hunden|hästen|hästarna|flytten|släpet|bilen|jakten|kursen|lägret|seglingen|trädgården|tvättlinan|barnen|jobbet)\\b)|\\bsagt hejdå till\\b`,
    examples: [
      'skrev avskedsbrev till mina föräldrar',
      'la en lapp om vem som ska få vad när jag inte finns',
      'ger bort mina skivor, behöver dem inte där jag ska',
    ],
  },
  {
    id: 'sv.wish_dead.battre_utan_mig',
    lang: 'sv',
    level: 'crisis',
    category: 'wish_dead',
    pattern: `\\b(?:hade|skulle|ha) (?:haft |ha )?(?:det )?bättre utan ${MIG}\\b|\\bbättre (?:för (?:alla|dom|dem|familjen|alla andra|barnen|mamma|pappa|henne|honom) )?(?:om|ifall) jag (?:inte fanns|dog|var död|försvann|var borta|inte var här)\\b|\\bingen (?:anledning|mening|idé|poäng) (?:för mig )?(?:att|med att|med) (?:leva|finnas|fortsätta leva|vakna|livet)\\b|\\b(?:inget|ingenting) (?:kvar )?att leva för\\b|\\bvill inte finnas (?:kvar|längre|mer)\\b|\\b(?:vill|önskar att jag kunde|skulle vilja) (?:bara )?(?:sluta finnas|sluta existera|försvinna för alltid|inte vakna)\\b|\\bönskar (?:att )?jag (?:inte fanns|aldrig (?:hade )?fötts|aldrig funnits|var död)\\b|\\bhoppas (?:att )?(?:jag )?(?:inte vaknar|aldrig vaknar|dör i sömnen)\\b`,
    examples: [
      'alla hade haft det bättre utan mig',
      'finns ingen anledning för mig att leva längre',
      'inget att leva för',
    ],
  },
  // ---------------------------------------------------------------- Swedish, more crisis wordings
  {
    id: 'sv.wish_dead.inte_finnas',
    lang: 'sv',
    level: 'crisis',
    category: 'wish_dead',
    pattern: `\\bvill (?:bara |typ |liksom |helst )(?:int(?:e)? (?:leva|finnas|existera)|sluta finnas|sluta existera)\\b(?! (?:så|som|med|utan|i|på|här|där)\\b)|\\bvarför (?:finns|lever) jag (?:ens|ens kvar|överhuvudtaget)\\b|\\bvarför finns jag\\b(?! (?:här|i|på|med)\\b)|\\bhoppas (?:att )?jag (?:får cancer|blir påkörd|blir överkörd)\\b|\\bhoppas(?:de)? (?:lite )?att (?:en bil|bilen|bussen|en buss|planet|tåget|en lastbil) (?:ska )?(?:köra på mig|köra över mig|störta|krascha)\\b|\\b(?:ville|vill) aldrig (?:bli född|ha blivit född|ha fötts)\\b|\\bslippa (?:allt|livet) för alltid\\b`,
    examples: [
      'vill bara inte finnas',
      'varför finns jag ens',
      'jag hoppas att jag får cancer',
      'hoppas lite att en bil ska köra på mig',
    ],
  },
  {
    // Döden som enda utväg, att lämna världen ("känns som att det enda sättet är att dö").
    id: 'sv.wish_dead.enda_utvagen',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern: `\\benda (?:sättet|utvägen|lösningen|vägen ut|alternativet) (?:är|e|blir) (?:att dö|döden|självmord|att ta livet av ${MIG}|att avsluta (?:allt|livet|det))\\b|\\bdöden (?:är|e) (?:den )?enda (?:utvägen|lösningen|vägen ut)\\b|\\b(?:vill|redo att|dags att) lämna (?:den här världen|världen|jordelivet|livet)(?: (?:för gott|för alltid|nu|ikväll|snart|idag))?(?![^\\n])`,
    examples: ['känns som att det enda sättet är att dö', 'jag vill lämna den här världen'],
  },
  {
    id: 'sv.wish_dead.om_jag_dog',
    lang: 'sv',
    level: 'cue',
    category: 'wish_dead',
    pattern: `\\bom jag (?:dog|inte fanns|var borta|försvann|var död)\\b|\\butan mig\\b|\\b(?:mig|mej) inräknad\\b|\\binte (?:är )?kvar så (?:mycket )?längre\\b|\\bvill inte vara här\\b|\\bta slut\\b|\\bför alltid\\b`,
    examples: ['skulle nån ens bry sig om jag dog?', 'vill att allt ska ta slut. mig inräknad'],
  },
  {
    id: 'sv.intent.bestamt',
    lang: 'sv',
    level: 'cue',
    category: 'intent',
    pattern: `\\b(?:ikväll|idag|inatt|i natt|i kväll|imorgon) (?:är|e) (?:det )?(?:natten|kvällen|dagen|sista dagen|min sista)\\b|\\b(?:gjort|tagit|fattat) (?:mitt|ett) (?:val|beslut)\\b|\\bbestämt mig\\b|\\bredo att gå\\b|\\bstannar inte kvar\\b|\\b(?:ska|tänker) göra (?:det|de) (?:nu|ikväll|inatt|i natt)\\b|\\bden här gången\\b`,
    examples: ['ikväll e kvällen', 'har gjort mitt val', 'redo att gå nu'],
  },
  {
    id: 'sv.plan.klart',
    lang: 'sv',
    level: 'crisis',
    category: 'plan',
    pattern: `\\bså (?:att )?ingen hittar (?:mig|mej)\\b`,
    examples: ['bokar hotellrum på fredag så ingen hittar mig för tidigt'],
  },
  {
    id: 'sv.plan.utraknat',
    lang: 'sv',
    level: 'cue',
    category: 'plan',
    pattern: `\\b(?:valt|hittat) (?:platsen|stället|dagen|datumet)\\b|\\bdet får bli där\\b|\\b(?:allt är|allt e) (?:klart|uträknat|planerat|förberett|bestämt)\\b|\\bvet (?:äntligen |exakt )?(?:hur|när|var|vilken) (?:jag ska|bro|dag)\\b|\\b(?:kollat|kollade) tidtabellen\\b|\\b(?:gör|göra) (?:de|det) på\\b|\\bblir (?:de|det) (?:på|med|från)\\b`,
    examples: ['allt är uträknat', 'vet äntligen hur jag ska göra det'],
  },
  {
    id: 'sv.preparatory.hejda',
    lang: 'sv',
    level: 'crisis',
    category: 'preparatory',
    pattern: `\\b(?:det här|detta) (?:är|e) (?:mitt )?(?:sista )?(?:hejdå|adjö|farväl)\\b|\\b(?:sa|säga|sagt) (?:hejdå|hej då|adjö|farväl)(?: [a-zåäö]+){0,5} (?:för sista gången|en sista gång)\\b|\\bdödlig(?:a)? dos(?:en)? (?:på|av) (?:mina|min|mammas|pappas)\\b|\\befter att jag (?:dött|dör|är död)\\b|\\bnär jag (?:e|är) död\\b`,
    examples: [
      'det här är hejdå. tack för allt',
      'ringde mormor för att säga hejdå för sista gången',
      'googlade dödlig dos på mina mediciner inatt',
    ],
  },
  {
    id: 'sv.preparatory.ordnar',
    lang: 'sv',
    level: 'cue',
    category: 'preparatory',
    pattern: `\\bbreven till\\b|\\bknyter ihop säcken\\b|\\b(?:sa upp|avbokade|säger upp|avslutade) (?:gymkortet|abonnemang|lägenheten|mitt|min|mina|alla)\\b|\\b(?:lämnade|gav bort|gett bort|lämnat|skänkte) (?:katten|hunden|kaninen|marsvinet|fåglarna)\\b|\\bbehövs inte\\b|\\b(?:kommer inte att|kommer inte) behöva\\b|\\b(?:sa|säga|sagt|skrev) (?:hejdå|hej då|adjö)\\b|\\bett hejdå\\b|\\b(?:dödlig|dödliga) dos(?:en)?\\b|\\btestamentet\\b|\\bför efteråt\\b|\\bmin begravning\\b|\\b(?:mejl|brev|video|meddelande) till (?:mina|min|barnen)\\b|\\bschemalagt\\b|\\blämna efter mig\\b|\\bpå ett annat apotek\\b|\\b(?:hamstrar|hamstrat|samlar på|sparar på|lite i taget)\\b|\\bkoden till\\b`,
    examples: ['sa upp gymkortet, spotify och mobilabonnemanget', 'lämnade katten till grannen'],
  },
  {
    id: 'sv.method.fragar',
    lang: 'sv',
    level: 'crisis',
    category: 'method',
    pattern: `\\bsmärtfri(?:a|tt)? (?:sätt|sättet) att (?:dö|ta livet av ${MIG})\\b|\\bhur (?:mycket|många) (?:[a-zåäö]+ ){1,2}(?:för att dö|är dödligt|dödar)\\b|\\bhur (?:mycket|många) ${TABLETS} (?:krävs|behövs|måste man ta|ska man ta)\\b|\\bhur högt (?:måste|behöver|ska) man hoppa\\b|\\b(?:${TABLETS}|bron|tåget|repet|hoppa|hänga ${MIG}|hängning) eller (?:${TABLETS}|bron|tåget|repet|hoppa|hänga ${MIG}|hängning)\\b|\\b(?:hamstrar|hamstrat|hamstra) (?:[a-zåäö]+s )?${TABLETS}\\b|\\b(?:googlat|googlade|googlar|googla|sökt på|sökte på|söker på|kollat upp|kollade upp|kollar upp|läst på om|läste på om|läser på om) (?:på )?hur (?:man|jag) (?:ska |kan )?(?:hänger sig|hänga sig|hänger ${MIG}|hänga ${MIG}|tar livet av (?:sig|${MIG})|ta livet av (?:sig|${MIG})|begår ${SJALVMORD}|begå ${SJALVMORD}|överdoserar|överdosera)\\b|\\bkan man dö (?:av|om man tar|om man äter|om man sväljer) (?:att (?:ta|äta|svälja) )?(?:alla|hela|en hel|[0-9]+)\\b`,
    examples: [
      'har googlat hur man hänger sig',
      'kan man dö av att ta alla sina sertralin på en gång',
      'vad är det mest smärtfria sättet att dö',
      'hur mycket sertralin krävs för att dö',
      'tabletter eller hoppa',
      'hamstrar mammas sömnpiller',
    ],
  },
  {
    id: 'sv.method.spanar',
    lang: 'sv',
    level: 'cue',
    category: 'method',
    pattern: `\\b(?:kolla|kollade|kollat|titta|tittade|tittat|spanade|stod|gick ut) (?:på |vid |till |ut på |upp på )?(?:bron|taket|rälsen|spåret|klippan|klipporna|stupet|perrongen|kanten)\\b|\\b(?:tillräckligt|högt nog) (?:hög|högt|djup|djupt)\\b|\\bvar man kan hoppa\\b|\\bdödlig(?:a)? dos\\b|\\bgör (?:det )?ont att drunkna\\b|\\bvilken bro\\b|\\böverdos hur\\b|\\bhur lång tid det tar\\b`,
    examples: ['var och kollade på bron idag', 'bron vid skolan ser tillräckligt hög ut'],
  },
  {
    id: 'sv.attempt.gjort',
    lang: 'sv',
    level: 'crisis',
    category: 'attempt',
    pattern: `\\b(?:gjorde|gjort) ett (?:${SJALVMORD}s)?försök\\b(?! (?:att|till|med)\\b)|\\b(?:pumpat|pumpade) (?:min )?magen?\\b|\\b(?:blandade|tog|svalde) (?:alla )?(?:mina )?${TABLETS}(?: med| och)(?: en flaska| lite)? (?:vodka|vin|sprit|alkohol|öl|whisky)\\b|\\b(?:tog|svalde) (?:precis |nyss |just )?(?:en näve|allt som fanns|[1-9][0-9]+ (?:st )?${TABLETS})\\b|\\båt (?:precis |nyss )?upp hela (?:kartan|burken|förpackningen|paketet|asken)\\b|\\b(?:bältet|repet|sladden|snaran) runt halsen\\b|\\bstrypa ${MIG} ${SJALV}\\b|\\b(?:mitt|förra|sista) försök(?:et)? (?:misslyckades|gick inte|funkade inte)\\b|\\bklättrat över (?:räcket|staketet)\\b`,
    examples: [
      'gjorde ett självmordsförsök i förrgår',
      'blandade alla mina mediciner med vodka',
      'svalde en näve lergigan nyss',
      'min syster kom in när jag hade bältet runt halsen',
    ],
  },
  {
    id: 'sv.attempt.efter',
    lang: 'sv',
    level: 'cue',
    category: 'attempt',
    pattern: `\\bförsökte (?:i natt|inatt|igår|i går|igen|i helgen)\\b|\\b(?:tredje|andra|fjärde) (?:försöket|gången)\\b|\\bförsöket\\b|\\bmed flit\\b|\\b(?:på|från) (?:akuten|iva|psyk)\\b|\\bfortfarande kvar\\b|\\bvaknade (?:ändå|på)\\b|\\bdet var meningen\\b|\\bjag menade det\\b`,
    examples: ['försökte i natt. vaknade ändå imorse', 'skrevs ut från psyk idag efter försöket'],
  },
  {
    id: 'sv.nssi.skar_mig',
    lang: 'sv',
    level: 'crisis',
    category: 'nssi',
    // Accidents in the kitchen or on a paper are excluded.
    pattern: `\\b(?:skar|skärde|skurit|skär|repade|repat)(?: jag)? ${MIG}\\b(?! (?:på (?:ett|en|papper|pappret|papperet|kniven|glaset|burken|brödkniven|konservburken|locket|kanten|hyveln|rakhyveln|plåten|ugnsplåten)|i (?:fingret|tummen)|när jag (?:lagade|skalade|diskade|rakade|hackade)|av misstag|lite i fingret)\\b)|\\b(?:håller på med|hållit på med|fortsätter med|börjat med|börjat) (?:att )?(?:självskada|skära ${MIG})\\b|\\bskadat ${MIG} [0-9]+ (?:ggr|gånger)\\b|\\b(?:bränt|brände|bränner) ${MIG} med (?:ett |en )?(?:tänt|tänd|stearinljus|ljus|strykjärn|het|hett|varm|varmt)\\b|\\bboxade i (?:dörren|väggen)\\b`,
    examples: [
      'skärde mig efter bråket med pappa',
      'när jag kom hem skar jag mig ändå',
      'har hållit på med självskada sen sjuan',
    ],
  },
  {
    id: 'sv.nssi.tecken',
    lang: 'sv',
    level: 'cue',
    category: 'nssi',
    pattern: `\\b(?:nya |alla |fulla av |dölja |döljer )?sår(?:en)? (?:på|ovanpå) (?:armarna|armen|låren|låret|benen|magen|handleden)\\b|\\bfulla av sår\\b|\\blångärmat\\b|\\bpga armarna\\b|\\bblodiga\\b|\\bpillar upp såren\\b|\\båterfall\\b|\\bskär (?:för att|när)\\b|\\bskar jag\\b`,
    examples: ['har långärmat i juli pga armarna lol', 'nya sår på armarna igen'],
  },
  {
    id: 'sv.nssi.verbformer',
    lang: 'sv',
    level: 'crisis',
    category: 'nssi',
    // Verb-first and perfect forms of cutting, scratching, burning and hitting oneself; a scratch
    // on a nail or a thorn is excluded.
    pattern: `\\b(?:skadade|skadat|skadar)(?: jag)? ${MIG}(?: ${SJALV})? igen\\b|\\b(?:rispade|rispat|rispar|rispa)(?: jag)? ${MIG}\\b(?! (?:på (?:en|ett|spiken|grenen|busken|buskarna|taggtråden|taggtråd|nyckeln|rosorna)|i (?:buskarna|skogen))\\b)|\\b(?:skar|skurit|skär|skära|sprättade|sprättat|sprätta) upp (?:armen|armarna|handleden|handlederna|låren|låret|huden|mina armar|min arm|mina handleder|mina lår)\\b|\\b(?:slog|slagit|slår|slå)(?: jag)? ${MIG} ${SJALV}\\b(?! (?:för pannan|för bröstet|för att jag glömde)\\b)|\\b(?:brände|bränt|bränner|bränna)(?: jag)? ${MIG} (?:${SJALV}\\b(?! (?:i solen|på spisen|på ugnen|på kaffet|på teet)\\b)|med (?:flit|avsikt|mening|en tändare|tändaren|cigg|ciggen|cigaretter|cigaretten|en cigg))|\\b(?:nöp|nypt|nyper|klöste|klöst|klöser|kliade|kliat|rev|rivit|river|bet|bitit|biter)(?: jag)? ${MIG}(?: ${SJALV})? (?:tills|till blods|så hårt att)\\b|\\b(?:kliade|kliat|rev|rivit|river|skrapade|skrapat|skrapar) (?:upp )?(?:huden|armarna|armen|låren|handleden|såren) (?:tills|till blods)\\b`,
    examples: [
      'skadade mig igen igår',
      'rispade mig i helgen',
      'skar upp armen igen',
      'slog mig själv tills det blev blåmärken',
      'brände mig själv med ett ljus',
      'nöp mig själv så hårt att armen blev blå',
      'rev upp huden till blods',
    ],
  },
  {
    id: 'sv.nssi.dolja',
    lang: 'sv',
    level: 'cue',
    category: 'nssi',
    // Hiding wounds: sleeves, plasters, covering the arms.
    pattern: `\\b(?:dölja|döljer|dolde|dolt|gömma|gömmer|gömde|gömt|täcka|täcker|täckte) (?:man |jag )?(?:alla |mina )?(?:såren|sår|ärren|ärr|märkena|skärsåren|armarna|handlederna|handleden|låren)\\b|\\bplåster på (?:armarna|armen|handlederna|handleden|låren|låret)\\b|\\b(?:långa ärmar|långärmad|långärmade|munkjacka) (?:trots|fast|mitt i|i) (?:värmen|sommaren|juli|juni|augusti|solen)\\b|\\bsår på (?:benen|låren|armarna|handleden|handlederna)\\b`,
    examples: [
      'hur döljer man såren på gympan',
      'har plåster på armarna hela tiden nu',
      'långa ärmar trots värmen',
    ],
  },
  {
    id: 'sv.wish_dead.hellre_dod',
    lang: 'sv',
    level: 'cue',
    category: 'wish_dead',
    // "hellre död än ..." is also hyperbole ("hellre dö än sjunga karaoke"): evidence only.
    pattern: `\\bhellre (?:va |vara )?död\\b|\\bhellre dö\\b|\\bdör hellre\\b`,
    examples: ['hellre död än ett år till såhär'],
  },
  // ---------------------------------------------------------------- Swedish, elevated
  {
    id: 'sv.distress.orkar_inte_mer',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    // "orkar inte mer glass" / "orkar inte mer idag" are about food or a long day.
    pattern:
      '\\borkar inte (?:mer|längre)\\b(?! (?:mat|glass|godis|kaffe|tårta|kakor|pizza|idag|ikväll|i dag|i kväll|just nu|än|av)\\b)|\\borkar inte (?:med (?:livet|någonting|något|allt)|fortsätta|kämpa)\\b',
    examples: ['jag orkar inte mer', 'orkar inte längre', 'Orkar inte mer!!'],
  },
  {
    // Passive ideation as the contract defines it (a burden, no reason to live, wishing to stop
    // existing): crisis. A cue for the model until round 9; 27 of 29 of the training messages it matched
    // were crisis.
    id: 'sv.wish_dead.borda',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\bbättre utan mig\\b|\\b(?:är|känner mig som) (?:bara )?en börda\\b|\\ben börda för (?:alla|andra|min familj|familjen|dem|er)\\b',
    examples: ['alla skulle ha det bättre utan mig', 'jag är bara en börda'],
  },
  {
    id: 'sv.distress.ingen_skulle_sakna_mig',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern: `\\b(?:ingen|inte en kotte)(?: skulle| kommer att| kommer| hade)?(?: ens)? (?:sakna ${MIG}|märka om jag|bry sig om jag|sörja ${MIG})\\b`,
    examples: ['ingen skulle sakna mig', 'ingen skulle ens märka om jag försvann'],
  },
  {
    id: 'sv.distress.hopplost',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:jag är|jag känner mig|känner mig|allt (?:är|känns|verkar)|livet (?:är|känns)|det känns|känns (?:det|allt)|framtiden (?:är|känns)) (?:så |helt |totalt |bara )?hopplös(?:t|a)?\\b(?! (?:på|med|romantiker|fall)\\b)|\\bhopplöshet\\b',
    examples: ['allt känns hopplöst', 'jag känner mig så hopplös'],
  },
  {
    // Passive ideation, as above: 11 of 11 of the training messages it matched were crisis.
    id: 'sv.wish_dead.ingen_mening',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\bingen (?:mening|idé|poäng) (?:med|att) (?:att )?(?:leva|livet|fortsätta|finnas|kämpa)\\b|\\b(?:inget|ingenting) (?:kvar )?att leva för\\b|\\b(?:livet|allt) (?:är|känns) (?:meningslöst|inte värt att leva|inte värt det)\\b(?! (?:på|i|med|när|nu på|just nu på) )|\\bmeningslöst att leva\\b|\\bvarför (?:ska|skulle) (?:jag|man) (?:ens )?(?:fortsätta )?leva\\b(?! (?:så|som|med|i|på|här|utan)\\b)',
    examples: [
      'varför ska man ens leva när det är såhär',
      'det finns ingen mening med livet',
      'inget att leva för',
      'det känns som att allt är meningslöst',
    ],
  },
  {
    // Passive ideation, as above: 21 of 23 of the training messages it matched were crisis.
    id: 'sv.wish_dead.forsvinna',
    lang: 'sv',
    category: 'wish_dead',
    level: 'crisis',
    pattern:
      '\\b(?:vill|önskar att jag kunde|skulle vilja) (?:bara )?(?:försvinna|sluta finnas|sova för alltid|somna för alltid)\\b(?! (?:en (?:stund|vecka|helg|dag)|ett tag|bort|till|in|under)\\b)|\\bönskar (?:att )?jag (?:inte fanns|aldrig (?:hade )?fötts|inte (?:hade )?fötts|aldrig blivit född|aldrig funnits)\\b',
    examples: [
      'jag vill bara försvinna',
      'önskar att jag aldrig fötts',
      'jag vill sova för alltid',
    ],
  },
  {
    id: 'sv.distress.klarar_inte_mer',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:klarar|pallar) inte (?:mer|längre)\\b(?! (?:mat|glass|godis|kaffe|idag|ikväll|än)\\b)|\\bklarar inte av (?:livet|någonting)\\b|\\bstår inte ut (?:längre|mer|med livet)\\b|\\bkan inte fortsätta (?:så här|längre|leva)\\b|\\b(?:vill|orkar) inte leva så här\\b',
    examples: ['jag klarar inte mer', 'står inte ut längre', 'jag vill inte leva så här'],
  },
  {
    id: 'sv.distress.inte_har_langre',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern: '\\bvill inte (?:vara|finnas) (?:här|kvar) (?:längre|mer)\\b',
    examples: ['jag vill inte vara här längre', 'vill inte finnas kvar mer'],
  },
  {
    id: 'sv.others.nagon_annan',
    lang: 'sv',
    category: 'others',
    level: 'elevated',
    pattern: `\\b(?:vill|ska|tänker|hotar att|hotade att|försökte|försöker|funderar på att) (?:att )?ta livet av (?:sig|sej)\\b|\\b${SV_THIRD_PERSON} (?:självmordsbenägen|suicidal)\\b`,
    examples: ['min kompis vill ta livet av sig', 'hon är självmordsbenägen'],
  },
  {
    id: 'sv.distress.vardelos',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern: '\\b(?:känner mig|jag är|är så) (?:så |helt |totalt )?värdelös\\b',
    examples: ['jag känner mig värdelös'],
  },
  {
    id: 'sv.distress.tidigare_sjalvskada',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern: `\\b(?:skadat|skadade) ${MIG} ${SJALV}\\b(?! (?:på|under|när|i) (?:träningen|gymmet|fotbollen|matchen|jobbet)\\b)|\\bbrukade (?:skada ${MIG}|skära ${MIG}|självskada|rispa ${MIG})\\b|\\bsjälvskad(?:a|or|e|ebeteende|ebeteendet|at|ade|ning)\\b|\\b${SJALVMORD}sförsök\\b|\\bförsökte (?:begå|ta) ${SJALVMORD}\\b|\\bville (?:bara )?dö\\b(?! av\\b)`,
    examples: [
      'jag har skadat mig själv förut',
      'efter mitt självmordsförsök',
      'självskadebeteende',
    ],
  },
  {
    id: 'sv.distress.farval',
    lang: 'sv',
    category: 'distress',
    level: 'elevated',
    pattern:
      '\\b(?:det här är|detta är) (?:mitt )?(?:sista )?farväl\\b|\\bfarväl (?:alla|allihop|världen)\\b',
    examples: ['det här är mitt sista farväl'],
  },
];

/** A rule with its pattern folded and compiled (global, so every match can be checked). */
export interface CompiledRule extends SafetyRule {
  /** Compiled to machine code on first use (see native-regexp.ts). */
  readonly regex: RegExp;
  /** Every match contains one of these (see anchors.ts); `null`: always run the regex. */
  readonly anchors: readonly string[] | null;
}

/** A rule's pattern as worked out at build time (rules.generated.ts, dev/safety-rules.ts). */
export interface PrecompiledRule {
  /** The pattern the entry was made from: the entry serves only a rule with this very pattern. */
  pattern: string;
  /** `foldPattern(pattern)`. */
  folded: string;
  /** `requiredLiterals(folded)`. */
  anchors: readonly string[] | null;
}

/**
 * Compiles the table once; throws at load time on an invalid pattern. Folding and anchors come
 * from `precompiled` where it holds the rule's current pattern (the shipped rules: no parsing on a
 * cold start), and are worked out otherwise, the anchors on first use.
 */
export function compileRules(
  rules: readonly SafetyRule[],
  precompiled: Readonly<Record<string, PrecompiledRule>> = {},
): CompiledRule[] {
  return rules.map((rule) => {
    const built = Object.hasOwn(precompiled, rule.id) ? precompiled[rule.id] : undefined;
    const current = built !== undefined && built.pattern === rule.pattern;
    const source = current ? built.folded : foldPattern(rule.pattern);
    let anchors: readonly string[] | null | undefined = current ? built.anchors : undefined;
    const regex = new RegExp(source, 'g'); // checks the syntax now; compiled on first use
    let compiled = false;
    return {
      ...rule,
      get regex() {
        if (!compiled) compiledToMachineCode(regex);
        compiled = true;
        return regex;
      },
      get anchors() {
        anchors ??= requiredLiterals(source);
        return anchors;
      },
    };
  });
}

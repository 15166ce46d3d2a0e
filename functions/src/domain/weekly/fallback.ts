import type { Language } from '../../lib/language';
import type { DayStats, PreviousWeekSummary, TagStats, WeeklyStats } from './stats';

/** Summary plus 1-5 suggestions (the contract's `insights` without `source`). */
export interface Insights {
  summary: string;
  suggestions: string[];
}

/** Contract limits, shared with the model's schema. */
export const SUMMARY_MAX_CHARS = 600;
export const SUGGESTION_MAX_CHARS = 300;
export const MAX_SUGGESTIONS = 5;

// Thresholds, in tenths of a point (averages are 1-decimal numbers, compared as integers).
const LOW_WEEK = 40; // an average of 4.0 or below is a heavy week
const GOOD_WEEK = 70;
const TOUGH_DAY = 50;
const CLEAR_CHANGE = 5; // half a point vs last week is more than "a little"
const NOTABLE_DROP = 10;

const tenths = (value: number): number => Math.round(value * 10);

interface DayPick {
  index: number; // 0 = Monday
  average: number;
}

interface TagPick {
  tag: string;
  count: number;
  average: number;
}

/** Everything the wording needs, worked out once from the statistics. */
interface Reading {
  stats: WeeklyStats;
  previous: PreviousWeekSummary;
  average: number | null;
  onlyEntryDay: DayPick | null;
  bestDay: DayPick | null;
  worstDay: DayPick | null;
  highTag: TagPick | null;
  lowTag: TagPick | null;
  mainTag: TagStats | null;
  /** This week's average minus last week's, in tenths; null when either is missing. */
  changeTenths: number | null;
}

function read(stats: WeeklyStats, previous: PreviousWeekSummary): Reading {
  const daysWithEntries = stats.days
    .map((day: DayStats, index) => ({ index, average: day.average }))
    .filter((day): day is DayPick => day.average !== null);
  // Ties go to the earlier day, so the wording is deterministic.
  const pick = (better: (a: number, b: number) => boolean): DayPick | null =>
    daysWithEntries.reduce<DayPick | null>(
      (best, day) =>
        best === null || better(tenths(day.average), tenths(best.average)) ? day : best,
      null,
    );
  let bestDay = pick((a, b) => a > b);
  let worstDay = pick((a, b) => a < b);
  if (!bestDay || !worstDay || tenths(bestDay.average) === tenths(worstDay.average)) {
    bestDay = null;
    worstDay = null;
  }

  // Tags seen at least twice say more than one-offs; ranking ties keep the topTags order.
  const repeated = stats.topTags.filter((tag) => tag.count >= 2);
  let highTag: TagPick | null = null;
  let lowTag: TagPick | null = null;
  for (const tag of repeated) {
    if (!highTag || tenths(tag.average) > tenths(highTag.average)) highTag = tag;
    if (!lowTag || tenths(tag.average) < tenths(lowTag.average)) lowTag = tag;
  }
  if (!highTag || !lowTag || tenths(highTag.average) === tenths(lowTag.average)) {
    highTag = null;
    lowTag = null;
  }

  return {
    stats,
    previous,
    average: stats.average,
    onlyEntryDay: stats.count === 1 ? (daysWithEntries[0] ?? null) : null,
    bestDay,
    worstDay,
    highTag,
    lowTag,
    mainTag: highTag ? null : (repeated[0] ?? null),
    changeTenths:
      stats.average !== null && previous.average !== null
        ? tenths(stats.average) - tenths(previous.average)
        : null,
  };
}

/** The wording of one language; every function returns one sentence or suggestion. */
interface Phrases {
  /** A 1-decimal average: "7.5" / "7,5". */
  number(value: number): string;
  /** A difference in points: "1" or "1.5" / "1,5". */
  points(value: number): string;
  quote(tag: string): string;
  weekday(index: number): string;
  noEntries(previousCount: number): string;
  oneEntry(score: number, day: DayPick | null): string;
  overview(count: number, average: number, min: number, max: number): string;
  trend: Record<WeeklyStats['trend'], string>;
  days(best: DayPick, worst: DayPick): string;
  tags(high: TagPick, low: TagPick): string;
  mainTag(tag: TagStats): string;
  change(changeTenths: number, previousAverage: number): string;
  noPrevious: string;
  startLogging: string[];
  heavyWeek: string;
  seekSupport: string;
  declining: string;
  lowTag(tag: TagPick): string;
  toughDay(day: DayPick): string;
  highTag(tag: TagPick): string;
  bestDay(day: DayPick): string;
  improving: string;
  lowerThanLastWeek: string;
  steadyGood: string;
  steady: string;
  fewEntries: string;
  noTags: string;
  keepGoing: string;
}

const score = (value: number): string => String(value);

const EN_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const EN: Phrases = {
  number: (value) => value.toFixed(1),
  points: (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1)),
  quote: (tag) => `“${tag}”`,
  weekday: (index) => EN_DAYS[index] ?? '',
  noEntries: (previousCount) =>
    "You haven't logged your mood this week yet." +
    (previousCount > 0
      ? ` Last week you checked in ${previousCount === 1 ? 'once' : `${previousCount} times`}, so picking it up again will show how this week compares.`
      : ''),
  oneEntry: (value, day) =>
    `You logged your mood once this week: ${score(value)} out of 10${day ? ` on ${EN.weekday(day.index)}` : ''}.`,
  overview: (count, average, min, max) =>
    `You logged your mood ${count} times this week, with an average of ${EN.number(average)} out of 10 ` +
    (min === max ? `(every entry was ${score(min)}).` : `(from ${score(min)} to ${score(max)}).`),
  trend: {
    improving:
      'It rose as the week went on: your later entries were clearly higher than the earlier ones.',
    declining:
      'It dipped as the week went on: your later entries were lower than the earlier ones.',
    stable: 'It stayed fairly steady through the week.',
    insufficient_data: 'A few more check-ins will show how your mood moves through the week.',
  },
  days: (best, worst) =>
    `${EN.weekday(best.index)} was your brightest day (average ${EN.number(best.average)}) and ` +
    `${EN.weekday(worst.index)} the toughest (${EN.number(worst.average)}).`,
  tags: (high, low) =>
    `Your mood was highest in entries tagged ${EN.quote(high.tag)} (${EN.number(high.average)}) ` +
    `and lowest with ${EN.quote(low.tag)} (${EN.number(low.average)}).`,
  mainTag: (tag) =>
    `Your most used tag was ${EN.quote(tag.tag)} (${tag.count} times, average ${EN.number(tag.average)}).`,
  change: (change, previousAverage) => {
    const last = `last week (${EN.number(previousAverage)})`;
    if (change === 0) return `That's the same average as ${last}.`;
    const direction = change > 0 ? 'higher' : 'lower';
    if (Math.abs(change) < CLEAR_CHANGE) return `That's a little ${direction} than ${last}.`;
    const points = Math.abs(change) / 10;
    return `That's ${EN.points(points)} ${points === 1 ? 'point' : 'points'} ${direction} than ${last}.`;
  },
  noPrevious: 'There were no entries last week, so this week is your starting point.',
  startLogging: [
    'Try a quick check-in once a day, for example after dinner. It only takes a few seconds.',
    'Add a tag or two when you log (like “sleep”, “work” or “walk”) so patterns can show up over time.',
    'Set a gentle reminder on your phone for a time of day that usually suits you.',
  ],
  heavyWeek:
    "This week looks heavy. Reach out to someone you trust and tell them how you're doing; you don't have to carry it alone.",
  seekSupport:
    'If the low days keep coming, talking to a doctor or another professional you trust can really help.',
  declining:
    'Your mood dipped toward the end of the week. Plan something small that usually restores you for the next few days: a walk, an early night, or time with someone you like.',
  lowTag: (tag) =>
    `Entries tagged ${EN.quote(tag.tag)} averaged ${EN.number(tag.average)}. Is there one small thing that could make those moments easier, like a short break, some help, or a clearer end to it?`,
  toughDay: (day) =>
    `${EN.weekday(day.index)} was tough. Planning something kind for yourself on that day next week may soften it.`,
  highTag: (tag) =>
    `${EN.quote(tag.tag)} came with your better moods (average ${EN.number(tag.average)}). See if you can make room for a bit more of it next week.`,
  bestDay: (day) =>
    `Think about what made ${EN.weekday(day.index)} good, and whether a piece of it could fit into another day.`,
  improving:
    'Things picked up during the week. Notice what you did differently so you can keep it going.',
  lowerThanLastWeek:
    'Your average was lower than last week. Be gentle with yourself and keep expectations for the next few days small.',
  steadyGood: 'Your mood has been steady and good. Keep the routines that support you.',
  steady:
    'Your week was steady. Try one small new thing, like a walk at lunch or calling a friend, and see whether it shows up in your scores.',
  fewEntries:
    "Check in a few more times next week: with four or more entries you'll start to see a trend.",
  noTags:
    'Add tags like “sleep”, “exercise” or “friends” to your entries to discover what lifts your mood.',
  keepGoing:
    'Keep checking in. A short note about what happened helps you spot patterns over time.',
};

// Definite forms ("måndagen") read naturally for a day of a given week.
const SV_DAYS = [
  'måndagen',
  'tisdagen',
  'onsdagen',
  'torsdagen',
  'fredagen',
  'lördagen',
  'söndagen',
];
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const svTimes = (count: number): string => (count === 1 ? 'en gång' : `${count} gånger`);

const SV: Phrases = {
  number: (value) => value.toFixed(1).replace('.', ','),
  points: (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1).replace('.', ',')),
  quote: (tag) => `”${tag}”`,
  weekday: (index) => SV_DAYS[index] ?? '',
  noEntries: (previousCount) =>
    'Du har inte loggat ditt humör den här veckan än.' +
    (previousCount > 0
      ? ` Förra veckan checkade du in ${svTimes(previousCount)}, så fortsätt gärna – då syns det hur veckorna skiljer sig åt.`
      : ''),
  oneEntry: (value, day) =>
    `Du loggade ditt humör en gång den här veckan: ${score(value)} av 10${day ? ` på ${SV.weekday(day.index)}` : ''}.`,
  overview: (count, average, min, max) =>
    `Du loggade ditt humör ${count} gånger den här veckan, med ett snitt på ${SV.number(average)} av 10 ` +
    (min === max
      ? `(alla noteringar var ${score(min)}).`
      : `(från ${score(min)} till ${score(max)}).`),
  trend: {
    improving:
      'Det steg under veckans gång: dina senare noteringar låg tydligt högre än de första.',
    declining: 'Det sjönk under veckans gång: dina senare noteringar låg lägre än de första.',
    stable: 'Det höll sig ganska jämnt under veckan.',
    insufficient_data:
      'Med några fler incheckningar går det att se hur ditt humör rör sig under veckan.',
  },
  days: (best, worst) =>
    `${capitalize(SV.weekday(best.index))} var din ljusaste dag (snitt ${SV.number(best.average)}) och ` +
    `${SV.weekday(worst.index)} den tyngsta (${SV.number(worst.average)}).`,
  tags: (high, low) =>
    `Ditt humör var som högst i noteringar taggade ${SV.quote(high.tag)} (${SV.number(high.average)}) ` +
    `och som lägst med ${SV.quote(low.tag)} (${SV.number(low.average)}).`,
  mainTag: (tag) =>
    `Din vanligaste tagg var ${SV.quote(tag.tag)} (${svTimes(tag.count)}, snitt ${SV.number(tag.average)}).`,
  change: (change, previousAverage) => {
    const last = `förra veckan (${SV.number(previousAverage)})`;
    if (change === 0) return `Det är samma snitt som ${last}.`;
    const direction = change > 0 ? 'högre' : 'lägre';
    if (Math.abs(change) < CLEAR_CHANGE) return `Det är lite ${direction} än ${last}.`;
    return `Det är ${SV.points(Math.abs(change) / 10)} poäng ${direction} än ${last}.`;
  },
  noPrevious: 'Förra veckan hade inga noteringar, så den här veckan blir din utgångspunkt.',
  startLogging: [
    'Gör en snabb incheckning en gång om dagen, till exempel efter middagen. Det tar bara några sekunder.',
    'Lägg till en eller två taggar när du loggar (som ”sömn”, ”jobb” eller ”promenad”), så att mönster kan synas över tid.',
    'Ställ in en vänlig påminnelse i telefonen vid en tid på dagen som brukar passa dig.',
  ],
  heavyWeek:
    'Veckan ser tung ut. Hör av dig till någon du litar på och berätta hur du har det – du behöver inte bära allt själv.',
  seekSupport:
    'Om de tunga dagarna fortsätter kan det hjälpa mycket att prata med vårdcentralen eller ringa 1177.',
  declining:
    'Humöret sjönk mot slutet av veckan. Planera in något litet som brukar ge dig energi de närmaste dagarna – en promenad, en tidig kväll eller tid med någon du tycker om.',
  lowTag: (tag) =>
    `Noteringar taggade ${SV.quote(tag.tag)} hade ett snitt på ${SV.number(tag.average)}. Finns det en liten sak som kan göra de stunderna lättare, som en kort paus, lite hjälp eller ett tydligare slut?`,
  toughDay: (day) =>
    `${capitalize(SV.weekday(day.index))} var tung. Att planera in något snällt för dig själv den dagen nästa vecka kan göra den lite lättare.`,
  highTag: (tag) =>
    `${SV.quote(tag.tag)} hängde ihop med ditt bättre humör (snitt ${SV.number(tag.average)}). Försök ge lite mer plats åt det nästa vecka.`,
  bestDay: (day) =>
    `Fundera på vad som gjorde ${SV.weekday(day.index)} bra, och om en del av det skulle kunna få plats en annan dag.`,
  improving:
    'Det vände uppåt under veckan. Lägg märke till vad du gjorde annorlunda, så att du kan fortsätta med det.',
  lowerThanLastWeek:
    'Snittet blev lägre än förra veckan. Var snäll mot dig själv och håll förväntningarna på de närmaste dagarna små.',
  steadyGood: 'Ditt humör har varit jämnt och bra. Fortsätt med vanorna som stöttar dig.',
  steady:
    'Veckan var jämn. Testa en liten ny sak, som en promenad på lunchen eller att ringa en vän, och se om det syns i dina noteringar.',
  fewEntries:
    'Checka in några gånger till nästa vecka – med fyra noteringar eller fler börjar du se en trend.',
  noTags:
    'Lägg till taggar som ”sömn”, ”träning” eller ”vänner” för att upptäcka vad som lyfter ditt humör.',
  keepGoing:
    'Fortsätt checka in. En kort anteckning om vad som hänt hjälper dig att se mönster över tid.',
};

const PHRASES: Record<Language, Phrases> = { en: EN, sv: SV };

/** Sentences with a priority (lower = more important), so a long summary can lose the least. */
function summaryOf(reading: Reading, words: Phrases): string {
  const { stats, previous } = reading;
  const sentences: { text: string; priority: number }[] = [];
  const add = (text: string, priority: number): void => {
    sentences.push({ text, priority });
  };

  if (stats.count === 0 || reading.average === null) {
    add(words.noEntries(previous.count), 0);
  } else if (stats.count === 1) {
    add(words.oneEntry(stats.min ?? reading.average, reading.onlyEntryDay), 0);
  } else {
    add(words.overview(stats.count, reading.average, stats.min ?? 0, stats.max ?? 0), 0);
    add(words.trend[stats.trend], 1);
  }
  if (stats.count > 0) {
    if (reading.bestDay && reading.worstDay) add(words.days(reading.bestDay, reading.worstDay), 3);
    if (reading.highTag && reading.lowTag) add(words.tags(reading.highTag, reading.lowTag), 4);
    else if (reading.mainTag) add(words.mainTag(reading.mainTag), 5);
    if (reading.changeTenths !== null && previous.average !== null) {
      add(words.change(reading.changeTenths, previous.average), 2);
    } else if (previous.count === 0) {
      add(words.noPrevious, 6);
    }
  }

  // Drop the least important sentences until the summary fits (only long tags can cause this).
  const kept = [...sentences];
  const length = (): number => kept.map((s) => s.text).join(' ').length;
  while (kept.length > 1 && length() > SUMMARY_MAX_CHARS) {
    const leastImportant = kept.reduce((worst, s) => (s.priority > worst.priority ? s : worst));
    kept.splice(kept.indexOf(leastImportant), 1);
  }
  return kept
    .map((s) => s.text)
    .join(' ')
    .slice(0, SUMMARY_MAX_CHARS);
}

/** Suggestions in priority order; the first five that apply are used. */
function suggestionsOf(reading: Reading, words: Phrases): string[] {
  const { stats, average } = reading;
  if (stats.count === 0 || average === null) return [...words.startLogging];

  const candidates: (string | false | null)[] = [
    tenths(average) <= LOW_WEEK && words.heavyWeek,
    stats.trend === 'declining' && words.declining,
    reading.lowTag &&
      tenths(reading.lowTag.average) < tenths(average) &&
      words.lowTag(reading.lowTag),
    reading.worstDay &&
      tenths(reading.worstDay.average) <= TOUGH_DAY &&
      words.toughDay(reading.worstDay),
    reading.highTag &&
      tenths(reading.highTag.average) > tenths(average) &&
      words.highTag(reading.highTag),
    reading.bestDay && words.bestDay(reading.bestDay),
    stats.trend === 'improving' && words.improving,
    reading.changeTenths !== null &&
      reading.changeTenths <= -NOTABLE_DROP &&
      words.lowerThanLastWeek,
    tenths(average) <= LOW_WEEK && words.seekSupport,
    stats.trend === 'stable' && (tenths(average) >= GOOD_WEEK ? words.steadyGood : words.steady),
    stats.count < 4 && words.fewEntries,
    stats.topTags.length === 0 && words.noTags,
    words.keepGoing,
  ];
  return candidates
    .filter((text): text is string => typeof text === 'string' && text !== '')
    .map((text) => text.slice(0, SUGGESTION_MAX_CHARS))
    .slice(0, MAX_SUGGESTIONS);
}

/**
 * The built-in weekly insights, used when the language model is not configured or fails: a kind,
 * non-clinical summary of the statistics and 1-5 concrete suggestions in English or Swedish.
 * Deterministic: the same statistics always give the same text.
 */
export function fallbackInsights(
  stats: WeeklyStats,
  previousWeek: PreviousWeekSummary,
  lang: Language,
): Insights {
  const words = PHRASES[lang];
  const reading = read(stats, previousWeek);
  return { summary: summaryOf(reading, words), suggestions: suggestionsOf(reading, words) };
}

/**
 * Text normalisation shared by the screened text and the rule patterns, so a rule written in
 * plain spelling ("kill myself", "självmord") also matches "KILL MYSELF!!", "kil myself",
 * "sjalvmord" and "dieee".
 */

// Punctuation that ends a clause. Negation is scoped to one clause, so "Not really. I want to die"
// is not read as a negated "want to die". Emoji count as clause breaks too.
const CLAUSE_BREAKS = /[.!?;:,\n\r\u2026\u2013\u2014]+|\s-+\s|\p{Extended_Pictographic}+/gu;
const ASCII_CLAUSE_BREAKS = /[.!?;:,\n\r]+|\s-+\s/g;

// Apostrophes are dropped rather than turned into spaces, so "don't" and "dont" are the same word.
const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;

/**
 * Words people disguise to get past filters (or out of habit on platforms that have them), in the
 * forms a disguised spelling is matched against: "s*icide", "s**lvmord", "k*ll".
 */
const DISGUISED_WORDS = [
  'suicide',
  'suicidal',
  'självmord',
  'självmordstankar',
  'självskada',
  'självskadar',
  'selfharm',
  'self',
  'harm',
  'kill',
  'killing',
  'myself',
  'die',
  'dying',
  'dead',
  'unalive',
  'cutting',
  'hang',
  'overdose',
  'död',
];
/** A word with stars in it (at least one letter), e.g. "s*icide", "su**cide", "s*lvmord". */
const STARRED_WORD = /[\p{L}*]*\p{L}[\p{L}*]*/gu;
/** A word of letters and digits that starts and ends with a letter, e.g. "su1c1dal", "k1ll". */
const LETTERS_AND_DIGITS = /(?<![\p{L}\p{N}])\p{L}[\p{L}\p{N}]*\p{L}(?![\p{L}\p{N}])/gu;
/** Digits that stand for letters inside a word. */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
};
/** Four or more single letters in a row, spaced or dotted: "s u i c i d e", "d.i.e.d". */
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:[ ._-]\p{L}){3,}(?![\p{L}\p{N}])/gu;

/**
 * Undoes the spellings that hide a word from filters, before folding: a word with stars where
 * letters were ("s*icide", "s**lvmord": only when the stars fill out a word of
 * {@link DISGUISED_WORDS}, so "**really**" stays), digits for letters inside a word ("su1c1dal",
 * "k1ll": only when every digit is one of {@link LEET} and the word starts and ends with a letter,
 * so "mp3", "2day", "b4", "covid19" and ids stay), letters spelled out one by one ("s u i c i d e")
 * and "s/h" (self-harm).
 */
export function undisguise(text: string): string {
  let out = text;
  if (out.includes('*')) {
    out = out.replace(STARRED_WORD, (word) => {
      if (!word.includes('*')) return word;
      const shape = new RegExp(
        `^${word
          .toLowerCase()
          .split(/\*+/)
          .map((part) => part.replace(/[^\p{L}]/gu, ''))
          .join('\\p{L}{1,3}')}$`,
        'u',
      );
      return DISGUISED_WORDS.find((candidate) => shape.test(candidate)) ?? word;
    });
  }
  if (/[0-9]/.test(out)) {
    out = out.replace(LETTERS_AND_DIGITS, (word) =>
      /[013457]/.test(word) && !/[2689]/.test(word)
        ? word.replace(/[013457]/g, (digit) => LEET[digit] ?? digit)
        : word,
    );
  }
  if (/\p{L}[ ._-]\p{L}[ ._-]\p{L}[ ._-]\p{L}/u.test(out)) {
    out = out.replace(SPELLED_OUT, (letters) => letters.replace(/[ ._-]/g, ''));
  }
  if (out.includes('/')) out = out.replace(/(?<![\p{L}\p{N}])s\/h(?![\p{L}\p{N}])/giu, 'self harm');
  return out;
}

/**
 * Folds text for matching: NFKC, lower case, no diacritics (å/ä/ö → a/a/o), no apostrophes, every
 * other non-letter/digit run → one space, and runs of a repeated letter collapsed to one
 * ("dieee" → "die", "kill" → "kil", "att" → "at"). Clauses (split at sentence punctuation, commas,
 * dashes and emoji) are separated by "\n", which no rule pattern matches across. Disguised
 * spellings are undone first ({@link undisguise}).
 */
export function foldText(raw: string): string {
  const text = undisguise(raw);
  // Printable ASCII (most messages) needs no Unicode normalisation: take the cheaper expressions.
  if (/^[\t\n\r -~]*$/.test(text)) {
    return tidy(
      text
        .replace(/['`]/g, '')
        .replace(ASCII_CLAUSE_BREAKS, '\n')
        .toLowerCase()
        .replace(/[^a-z0-9\n]+/g, ' ')
        .replace(/([a-z])\1+/g, '$1'),
    );
  }
  return tidy(
    text
      .replace(/\p{Cf}/gu, '') // zero-width and soft-hyphen characters hidden inside words
      .replace(APOSTROPHES, '')
      .normalize('NFKC')
      .replace(CLAUSE_BREAKS, '\n')
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^\p{L}\p{N}\n]+/gu, ' ')
      .replace(/(\p{L})\1+/gu, '$1'),
  );
}

/** One "\n" between clauses, none at the ends. */
function tidy(folded: string): string {
  return folded.replace(/ ?\n[\n ]*/g, '\n').replace(/^[\n ]+|[\n ]+$/g, '');
}

/**
 * Folds a regular-expression source the way {@link foldText} folds text: diacritics and apostrophes
 * removed, doubled letters collapsed. Escapes (`\b`, `\s`) are kept intact. Patterns are written in
 * lower case and must not rely on a doubled letter across a group boundary (e.g. `(?:to)o`).
 */
export function foldPattern(source: string): string {
  const stripped = source
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(APOSTROPHES, '');
  let folded = '';
  let previousLetter = '';
  for (let index = 0; index < stripped.length; index++) {
    const char = stripped.charAt(index);
    if (char === '\\') {
      folded += char + stripped.charAt(index + 1);
      index++;
      previousLetter = '';
      continue;
    }
    if (char >= 'a' && char <= 'z') {
      if (char === previousLetter) continue;
      previousLetter = char;
    } else {
      previousLetter = '';
    }
    folded += char;
  }
  return folded;
}

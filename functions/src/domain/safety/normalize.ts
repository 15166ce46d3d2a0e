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
 * Folds text for matching: NFKC, lower case, no diacritics (å/ä/ö → a/a/o), no apostrophes, every
 * other non-letter/digit run → one space, and runs of a repeated letter collapsed to one
 * ("dieee" → "die", "kill" → "kil", "att" → "at"). Clauses (split at sentence punctuation, commas,
 * dashes and emoji) are separated by "\n", which no rule pattern matches across.
 */
export function foldText(text: string): string {
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

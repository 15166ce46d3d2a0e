/**
 * V8 runs a regular expression's first execution in its bytecode interpreter and compiles it to
 * machine code from the second on. For the screen's large patterns, generating the bytecode is
 * what costs: en.nonspecific_ideation.thoughts took ~22 ms to its first result, against ~3 ms
 * straight to machine code, on a cold process. A first execution on a subject of 1,000 characters
 * or more goes to machine code at once (V8's `kTierUpForSubjectLengthValue`), so a regex about to
 * be used for the first time is run once on such a blank subject. Nothing else changes: the result
 * is discarded and `lastIndex` reset. Should V8 drop that rule, the cost is one scan of blanks.
 */
const LONG_BLANK_SUBJECT = ' '.repeat(1024);

/** `regex`, compiled to machine code (run once on a long blank subject); returns it. */
export function compiledToMachineCode(regex: RegExp): RegExp {
  regex.lastIndex = 0;
  regex.exec(LONG_BLANK_SUBJECT);
  regex.lastIndex = 0;
  return regex;
}

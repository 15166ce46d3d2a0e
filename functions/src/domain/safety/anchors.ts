/**
 * Literal anchors of a rule pattern: a few strings of which every match must contain at least one
 * ("kil my", "unalive" ...). A text that contains none of them cannot match, so the screen skips
 * the regular expression: most rules never run on most texts, and V8 never compiles the regular
 * expressions of rules that never run (most of the cost of a cold start).
 *
 * Derived from the pattern source, not written by hand, so it cannot drift from the pattern. The
 * reading is conservative: whatever it does not understand (classes, escapes, optional parts,
 * lookarounds) contributes no anchor, and a pattern with a branch that has none gets `null`
 * (always run).
 */
export function requiredLiterals(source: string): string[] | null {
  const parser = { source, at: 0 };
  const anchors = alternation(parser);
  if (anchors === null) return null;
  return anchors.every((anchor) => anchor.trim().length >= 2) ? [...new Set(anchors)] : null;
}

interface Parser {
  source: string;
  at: number;
}

/** `a|b|c` up to a closing parenthesis or the end: every branch must have anchors. */
function alternation(parser: Parser): string[] | null {
  const union: string[] = [];
  let complete = true;
  for (;;) {
    const branch = sequence(parser);
    if (branch === null) complete = false;
    else union.push(...branch);
    if (parser.source[parser.at] !== '|') break;
    parser.at++;
  }
  return complete ? union : null;
}

/** One branch: the best of its required literal runs and required groups. */
function sequence(parser: Parser): string[] | null {
  const { source } = parser;
  let best: string[] | null = null;
  let bestStrength = 0;
  let run = '';
  // A set of anchors is as strong as its shortest one; on a tie, fewer anchors are better.
  const consider = (candidate: string[] | null) => {
    if (candidate === null || candidate.length === 0) return;
    let strength = Infinity;
    for (const anchor of candidate) strength = Math.min(strength, anchor.trim().length);
    if (
      best === null ||
      strength > bestStrength ||
      (strength === bestStrength && candidate.length < best.length)
    ) {
      best = candidate;
      bestStrength = strength;
    }
  };
  const flush = () => {
    if (run !== '') consider([run]);
    run = '';
  };

  while (parser.at < source.length) {
    const char = source.charAt(parser.at);
    if (char === '|' || char === ')') break;
    if (char === '(') {
      parser.at++;
      const lookaround = /^\?(?:<?[=!])/.exec(source.slice(parser.at, parser.at + 3));
      if (lookaround !== null) {
        // Zero-width: neither adds nor breaks a literal run.
        parser.at += lookaround[0].length;
        alternation(parser);
        parser.at++; // ')'
        continue;
      }
      if (source.startsWith('?:', parser.at)) parser.at += 2;
      const inner = alternation(parser);
      parser.at++; // ')'
      const { optional } = quantifier(parser);
      flush();
      if (!optional) consider(inner);
      continue;
    }
    if (char === '^' || char === '$') {
      parser.at++;
      continue;
    }
    if (char === '\\' && /[bB]/.test(source.charAt(parser.at + 1))) {
      parser.at += 2;
      continue;
    }
    // One character: a literal (letter, digit, space) or something unknown (class, escape, dot).
    let literal: string | null = null;
    if (char === '[') {
      parser.at++;
      while (parser.at < source.length && source.charAt(parser.at) !== ']') {
        parser.at += source.charAt(parser.at) === '\\' ? 2 : 1;
      }
      parser.at++;
    } else if (char === '\\') {
      parser.at += 2;
    } else {
      parser.at++;
      // Folded patterns spell words in a–z (and digits); anything else is read as unknown.
      if ((char >= 'a' && char <= 'z') || (char >= '0' && char <= '9') || char === ' ') {
        literal = char;
      }
    }
    const { optional, repeated } = quantifier(parser);
    if (literal === null || optional) {
      flush();
    } else {
      run += literal;
      if (repeated) flush();
    }
  }
  flush();
  return best;
}

/** Reads a quantifier after an atom, if any. */
function quantifier(parser: Parser): { optional: boolean; repeated: boolean } {
  const next = parser.source.charAt(parser.at);
  if (next !== '?' && next !== '*' && next !== '+' && next !== '{') {
    return { optional: false, repeated: false };
  }
  const rest = parser.source.slice(parser.at, parser.at + 12);
  const found = /^(?:[?*+]|\{(\d+)(,\d*)?\})\??/.exec(rest);
  if (found === null) return { optional: false, repeated: false };
  parser.at += found[0].length;
  const symbol = found[0].charAt(0);
  if (symbol === '?' || symbol === '*') return { optional: true, repeated: true };
  if (symbol === '+') return { optional: false, repeated: true };
  const min = Number(found[1]);
  return { optional: min === 0, repeated: found[2] !== undefined || min > 1 };
}

/**
 * Which of many literal strings occur in a text, found in one pass over it (Aho–Corasick), each
 * literal tagged with an id. Checking the rules' ~900 anchors one `includes` at a time cost more
 * than the rules themselves (measured: 62 of 77 µs per corpus message); one pass costs a table
 * lookup per character.
 *
 * The automaton is a dense table over the literals' own alphabet (for the rules: a–z, digits and
 * space), every transition filled in, so a scan never follows failure links: the whole screen went
 * from ~54 to ~38 µs per training message against a `Map` per state and failure links.
 */
export class LiteralIndex {
  /** Column of a character code below 128 in {@link #next}, or -1 if no literal has it. */
  readonly #asciiColumn = new Int16Array(128).fill(-1);
  /** The same for the other characters the literals use. */
  readonly #otherColumn = new Map<number, number>();
  readonly #width: number;
  /** `#next[state * #width + column]`: the state after reading that character. State 0 is the root. */
  readonly #next: Int32Array;
  /** Per state: ids of the literals that end here, its suffixes' included (absent: none). */
  readonly #ids: (number[] | undefined)[];

  /** @param literals - `[literal, id]` pairs; several literals may share an id. */
  constructor(literals: Iterable<readonly [string, number]>) {
    const pairs = [...literals];
    let width = 0;
    let stateBound = 1;
    for (const [literal] of pairs) {
      stateBound += literal.length;
      for (let index = 0; index < literal.length; index++) {
        const code = literal.charCodeAt(index);
        if (this.#column(code) >= 0) continue;
        if (code < 128) this.#asciiColumn[code] = width++;
        else this.#otherColumn.set(code, width++);
      }
    }
    this.#width = width;
    // 0 marks a missing edge while building: no trie edge leads back to the root.
    const next = new Int32Array(Math.max(1, stateBound * width));
    const ids: (number[] | undefined)[] = [undefined];
    let states = 1;
    for (const [literal, id] of pairs) {
      let state = 0;
      for (let index = 0; index < literal.length; index++) {
        const slot = state * width + this.#column(literal.charCodeAt(index));
        if (next[slot] === 0) {
          next[slot] = states++;
          ids.push(undefined);
        }
        state = next[slot] ?? 0;
      }
      (ids[state] ??= []).push(id);
    }
    // Breadth first, so that a state's failure state is complete before its own; a missing edge
    // becomes its failure state's edge.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let column = 0; column < width; column++) {
      const child = next[column] ?? 0;
      if (child !== 0) queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const inherited = ids[fail[state] ?? 0];
      if (inherited !== undefined) ids[state] = [...(ids[state] ?? []), ...inherited];
      for (let column = 0; column < width; column++) {
        const slot = state * width + column;
        const viaFailure = next[(fail[state] ?? 0) * width + column] ?? 0;
        const child = next[slot] ?? 0;
        if (child === 0) {
          next[slot] = viaFailure;
        } else {
          fail[child] = viaFailure;
          queue.push(child);
        }
      }
    }
    this.#next = next.subarray(0, states * width);
    this.#ids = ids;
  }

  #column(code: number): number {
    return code < 128 ? (this.#asciiColumn[code] ?? -1) : (this.#otherColumn.get(code) ?? -1);
  }

  /** Calls `found` with the id of every literal occurrence in `text` (an id may come more than once). */
  scan(text: string, found: (id: number) => void): void {
    const next = this.#next;
    const width = this.#width;
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      const column = this.#column(text.charCodeAt(index));
      // A character no literal has: no literal can span it.
      state = column < 0 ? 0 : (next[state * width + column] ?? 0);
      const ids = this.#ids[state];
      if (ids !== undefined) for (const id of ids) found(id);
    }
  }
}

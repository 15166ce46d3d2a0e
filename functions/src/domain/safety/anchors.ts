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
 * than the rules themselves (measured: 62 of 77 µs per corpus message); one pass costs a map
 * lookup per character.
 */
export class LiteralIndex {
  /** Per state: next state by character code. State 0 is the root. */
  readonly #next: Map<number, number>[] = [new Map()];
  /** Per state: the state of its longest proper suffix that is also a prefix of a literal. */
  readonly #fail: number[] = [0];
  /** Per state: ids of the literals that end here, its suffixes' included. */
  readonly #ids: number[][] = [[]];

  /** @param literals - `[literal, id]` pairs; several literals may share an id. */
  constructor(literals: Iterable<readonly [string, number]>) {
    for (const [literal, id] of literals) {
      let state = 0;
      for (let index = 0; index < literal.length; index++) {
        const code = literal.charCodeAt(index);
        let next = this.#next[state]?.get(code);
        if (next === undefined) {
          next = this.#next.length;
          this.#next.push(new Map());
          this.#fail.push(0);
          this.#ids.push([]);
          this.#next[state]?.set(code, next);
        }
        state = next;
      }
      this.#ids[state]?.push(id);
    }
    // Breadth first, so that a state's failure state is complete before its own.
    const queue = [...(this.#next[0]?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      for (const [code, child] of this.#next[state] ?? []) {
        let fallback = this.#fail[state] ?? 0;
        while (fallback !== 0 && !this.#next[fallback]?.has(code))
          fallback = this.#fail[fallback] ?? 0;
        const target = this.#next[fallback]?.get(code);
        const failure = target !== undefined && target !== child ? target : 0;
        this.#fail[child] = failure;
        this.#ids[child]?.push(...(this.#ids[failure] ?? []));
        queue.push(child);
      }
    }
  }

  /** Calls `found` with the id of every literal occurrence in `text` (an id may come more than once). */
  scan(text: string, found: (id: number) => void): void {
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      let next = this.#next[state]?.get(code);
      while (next === undefined && state !== 0) {
        state = this.#fail[state] ?? 0;
        next = this.#next[state]?.get(code);
      }
      state = next ?? 0;
      const ids = this.#ids[state];
      if (ids !== undefined) for (const id of ids) found(id);
    }
  }
}

/**
 * Pure: finds constructs in a JavaScript regular expression that let V8's backtracking engine
 * take exponential time, and returns what it found (or undefined when the pattern is safe).
 *
 * No non-backtracking engine (RE2) is among the dependencies, so filters are restricted to
 * patterns of star height one, the shape that cannot backtrack exponentially:
 * - a repeated group (`*`, `+`, `{n,}`, `{n,m}` with m > 1) may not contain a repetition
 *   (`(a+)+`, `(\w*\.)*`): the nested-quantifier form of catastrophic backtracking;
 * - a repeated group may contain alternatives only when they are literal words of which none
 *   is a prefix of another (`(ab|cd)+` is fine, `(a|a)+` and `(a|ab)+` are not);
 * - no backreferences (`\1`, `\k<name>`) and no lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`), whose
 *   matching is not bounded by the text length.
 * Adjacent repetitions of one class (`a*a*a*b`) remain polynomial; filters only see names
 * (Kafka topics and groups are at most 249 and a few hundred characters).
 */
export function regexHazard(source: string): string | undefined {
  interface Frame {
    repeats: boolean;
    alternation: boolean;
    /** Literal text of each alternative, or undefined once a non-literal atom appears. */
    words: string[] | undefined;
  }
  const stack: Frame[] = [{ repeats: false, alternation: false, words: [''] }];
  const top = (): Frame => stack[stack.length - 1]!;
  const addLiteral = (f: Frame, ch: string): void => {
    if (f.words) f.words[f.words.length - 1] += ch;
  };
  let i = 0;
  /** Reads a quantifier at i; returns its maximum count (0 when there is none). */
  const quantifier = (): number => {
    const c = source[i];
    let max = 1;
    if (c === '*' || c === '+') {
      max = Infinity;
      i++;
    } else if (c === '?') i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (!m) return 0;
      max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    } else return 0;
    if (source[i] === '?') i++;
    return max;
  };
  /** After an atom: a quantifier makes the alternative non-literal; a repeating one marks the frame. */
  const afterAtom = (f: Frame): void => {
    const max = quantifier();
    if (max > 0) f.words = undefined;
    if (max > 1) f.repeats = true;
  };
  while (i < source.length) {
    const c = source[i]!;
    const f = top();
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[1-9]/.test(n)) return `backreference \\${n} at index ${i}`;
      if (n === 'k' && source[i + 2] === '<') return `named backreference at index ${i}`;
      i += 2;
      // `\.` is a literal dot; letter escapes (`\d`, `\x41`, `\n`) are treated as classes.
      if (n !== '' && !/[A-Za-z0-9]/.test(n)) addLiteral(f, n);
      else f.words = undefined;
      afterAtom(f);
      continue;
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      f.words = undefined;
      afterAtom(f);
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return `lookaround at index ${i}`;
      i += source[i + 1] === '?' ? (source[i + 2] === ':' ? 3 : source.indexOf('>', i) + 1 - i) : 1;
      stack.push({ repeats: false, alternation: false, words: [''] });
      continue;
    }
    if (c === ')') {
      i++;
      const g = stack.length > 1 ? stack.pop()! : { repeats: false, alternation: false, words: undefined };
      const parent = top();
      const max = quantifier();
      if (max > 1) {
        if (g.repeats) return `nested repetition: a repeated group contains a repetition (group ending at index ${i - 1})`;
        if (g.alternation && !prefixFree(g.words)) {
          return `a repeated group with alternatives that are not distinct literal words (group ending at index ${i - 1})`;
        }
        parent.repeats = true;
      }
      parent.repeats ||= g.repeats;
      // A group is a literal only when it has one literal alternative and no quantifier.
      if (g.words?.length === 1 && max === 0) addLiteral(parent, g.words[0]!);
      else parent.words = undefined;
      continue;
    }
    if (c === '|') {
      i++;
      f.alternation = true;
      f.words?.push('');
      continue;
    }
    i++;
    if ('.^$'.includes(c)) f.words = undefined;
    else addLiteral(f, c);
    afterAtom(f);
  }
  return undefined;
}

/** True when no word is empty or a prefix of another: then a repetition of them parses one way. */
function prefixFree(words: string[] | undefined): boolean {
  if (!words) return false;
  for (let a = 0; a < words.length; a++) {
    if (words[a] === '') return false;
    for (let b = 0; b < words.length; b++) if (a !== b && words[b]!.startsWith(words[a]!)) return false;
  }
  return true;
}

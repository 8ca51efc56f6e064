/**
 * Removes credentials that client libraries sometimes put into error messages
 * (`postgres://user:secret@host`, `password=...`, bearer tokens).
 *
 * Runs on every failing cycle's message, so it must stay linear in the message length: the URL
 * userinfo is found by a scanner (a regular expression for it backtracks quadratically, 12 s on
 * 80 000 letters); the two remaining expressions start at a literal keyword and cannot.
 */
export function redactMessage(message: string): string {
  return redactUserinfo(message)
    .replace(/(password|passwd|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2[redacted]')
    .replace(/(bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, '$1[redacted]');
}

const isSpace = (c: string): boolean => /\s/.test(c);
const isSchemeChar = (c: string): boolean => /[a-z0-9+.-]/i.test(c);
const isLetter = (c: string): boolean => /[a-z]/i.test(c);

/**
 * `scheme://user:password@` -> `scheme://user:[redacted]@`, as the expression
 * `/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi` would, in one pass: every character is
 * visited a bounded number of times (scheme runs and user names end at `:` or `/`, so they do
 * not overlap; a password scan that finds no `@` is skipped over as a whole, since every later
 * candidate inside it would end at the same space or end of text).
 */
function redactUserinfo(s: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  for (;;) {
    const sep = s.indexOf('://', from);
    if (sep < 0) break;
    from = sep + 3;
    let k = sep;
    let letter = false;
    while (k > 0 && isSchemeChar(s[k - 1]!)) {
      k--;
      if (isLetter(s[k]!)) letter = true;
    }
    if (!letter) continue;
    let i = sep + 3;
    while (i < s.length && !/[:/@]/.test(s[i]!) && !isSpace(s[i]!)) i++;
    if (i === sep + 3 || s[i] !== ':') continue;
    let j = i + 1;
    while (j < s.length && s[j] !== '@' && !isSpace(s[j]!)) j++;
    if (j === i + 1 || s[j] !== '@') {
      from = Math.max(from, j);
      continue;
    }
    out += `${s.slice(copied, i + 1)}[redacted]`;
    copied = j;
    from = j + 1;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

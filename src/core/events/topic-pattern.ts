/**
 * Compiles a topic glob (`*.DLT`, `orders-*-dlq`, `?` for one character) to an anchored
 * RegExp. Only `*` and `?` are special; everything else is literal (topic names contain dots).
 */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}

/** Topics matching any explicit name or the pattern; internal topics (leading `__`) are skipped. */
export function selectTopics(all: readonly string[], names: readonly string[], pattern?: string): string[] {
  const re = pattern ? globToRegExp(pattern) : undefined;
  const wanted = new Set(names);
  return all.filter((t) => wanted.has(t) || (re !== undefined && !t.startsWith('__') && re.test(t))).sort();
}

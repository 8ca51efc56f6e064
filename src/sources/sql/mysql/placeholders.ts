import { createRequire } from 'node:module';
import type { escape as Escape } from 'mysql2';

// mysql2 is loaded on first use, not at start-up (see mysql-db.ts).
const require = createRequire(import.meta.url);
let escapeFn: typeof Escape | undefined;
const escape: typeof Escape = (...args) => (escapeFn ??= (require('mysql2') as { escape: typeof Escape }).escape)(...args);

/**
 * Replaces `$n` placeholders with the n-th value, escaped as a MySQL literal (arrays become
 * comma-separated lists, for `IN ($1)`; an empty array becomes NULL). Statements keep PostgreSQL's `$n` style on both
 * dialects, so a placeholder can be used twice or left out, as the generic preset documents.
 * `$` inside quoted strings, quoted identifiers and comments, and `$` after an identifier
 * character (`col$1`) are left alone. The statement is then sent without parameters, so a `?`
 * in the user's SQL means nothing special.
 */
export function inlineParams(sql: string, values: readonly unknown[]): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closing(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if ((ch === '-' && next === '-') || ch === '#') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && /\d/.test(next ?? '') && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const m = /^\d+/.exec(sql.slice(i + 1))![0];
      const n = Number(m);
      if (n < 1 || n > values.length) throw new RangeError(`placeholder $${n} has no value (${values.length} given)`);
      const v = values[n - 1];
      // `IN ()` is a syntax error; `IN (NULL)` matches nothing, like `= ANY('{}')`.
      out += Array.isArray(v) && v.length === 0 ? 'NULL' : escape(v as Parameters<typeof escape>[0]);
      i += 1 + m.length;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Index after the literal opened at `start` by `q` (doubled quotes and backslash escapes stay inside). */
function closing(sql: string, start: number, q: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\' && q !== '`') i += 2;
    else if (c === q && sql[i + 1] === q) i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return sql.length;
}

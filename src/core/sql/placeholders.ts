/** Count of `$n` placeholders used by a statement (highest n): lets user SQL skip parameters. */
export function placeholderCount(sql: string): number {
  let max = 0;
  for (const m of sql.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

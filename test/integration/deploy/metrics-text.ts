/** Series of a Prometheus text exposition, for assertions on label subsets. */
export function seriesFromText(text: string) {
  const rows: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const p of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[p[1]!] = p[2]!;
    rows.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  const matching = (name: string, want: Record<string, string>) =>
    rows.filter((r) => r.name === name && Object.entries(want).every(([k, v]) => r.labels[k] === v));
  return {
    has: (name: string, want: Record<string, string> = {}) => matching(name, want).length > 0,
    /** The value of the first matching series, or undefined. */
    value: (name: string, want: Record<string, string> = {}) => matching(name, want)[0]?.value,
    /** Sum over matching series (0 when none). */
    sum: (name: string, want: Record<string, string> = {}) => matching(name, want).reduce((n, r) => n + r.value, 0),
  };
}

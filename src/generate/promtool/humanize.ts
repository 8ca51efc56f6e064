/**
 * Prometheus' template function `humanize` (template/template.go), so that generated promtool
 * tests can state the exact annotation text: `%.4g` with SI prefixes.
 */
export function humanize(v: number): string {
  if (v === 0 || Number.isNaN(v) || !Number.isFinite(v)) return goG4(v);
  let x = v;
  let prefix = '';
  if (Math.abs(x) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
    return `${goG4(x)}${prefix}`;
  }
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${goG4(x)}${prefix}`;
}

/** `humanizePercentage`: `%.4g%%` of v * 100 (no SI prefixes). */
export const humanizePercentage = (v: number): string => `${goG4(v * 100)}%`;

/** Go's `%.4g`: 4 significant digits, exponent form when the exponent is < -4 or >= 4. */
export function goG4(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mant, exp] = v.toExponential(3).split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 4) {
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(4)));
}

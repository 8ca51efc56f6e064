import type { Seconds } from '../../core/units.js';

/** A Prometheus range duration in days and below: 300 -> `5m`, 2592000 -> `30d`, 90 -> `1m30s`. */
export function promDuration(seconds: Seconds): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let out = '';
  for (const [unit, ms] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= ms) {
      out += `${Math.floor(rest / ms)}${unit}`;
      rest %= ms;
    }
  }
  return out;
}

/** Quotes a label value for PromQL and YAML-free contexts. */
export const quote = (v: string): string => JSON.stringify(v);

/** `{slo="x"}` */
export const sloSelector = (slo: string): string => `{slo=${quote(slo)}}`;

/** Sloth-style template: `{{.window}}` is replaced by the range. */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

/** Substitutes the window into an expression, or wraps a bare counter selector in sum(rate(...)). */
export function windowed(exprOrSelector: string, window: string): string {
  const e = exprOrSelector.trim();
  if (/\{\{\s*\.window\s*\}\}/.test(e)) return e.replace(WINDOW_PLACEHOLDER, window);
  return `sum(rate(${e}[${window}]))`;
}

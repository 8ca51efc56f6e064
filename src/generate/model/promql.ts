/**
 * A Prometheus range duration in days and below: 300 -> `5m`, 2592000 -> `30d`, 90 -> `1m30s`.
 * The same text as the core's messages (and the evaluator's `window` label) use.
 */
export { durationText as promDuration } from '../../core/slo/duration-text.js';

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

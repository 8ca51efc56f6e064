import { durationText } from '../core/slo/duration-text.js';
import type { Seconds } from '../core/units.js';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * Parses a Prometheus-style duration (`500ms`, `30s`, `5m`, `1h`, `30d`, `2w`, or compound
 * `1h30m`) into seconds. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): Seconds | undefined {
  const parts = text.trim().match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g);
  if (!parts || parts.join('') !== text.trim()) return undefined;
  let total = 0;
  for (const p of parts) {
    const m = DURATION_RE.exec(p);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  }
  return total;
}

/** Formats seconds as the shortest Prometheus duration, weeks included (`1w`, `6h`, `90s` -> `1m30s`). */
export function formatDuration(seconds: Seconds): string {
  return durationText(seconds, { weeks: true });
}

/**
 * Longest duration that feeds a timer: 24 days. Node's setTimeout holds at most 2^31-1 ms
 * (24.8 days); a longer delay fires after 1 ms, so `timeout: 30d` would fail every cycle at once.
 * PostgreSQL's statement_timeout has the same 2^31-1 ms ceiling.
 */
export const MAX_TIMER_SECONDS = 24 * 86_400;

/**
 * Longest duration of any other kind (windows, periods, retention): 10 years. Keeps every
 * duration a finite number of seconds whose milliseconds are exact integers.
 */
export const MAX_DURATION_SECONDS = 3650 * 86_400;

import type { Seconds } from '../units.js';

const UNITS = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
] as const;

/**
 * Seconds as the shortest Prometheus duration: `90` -> `1m30s`, `2592000` -> `30d`. Weeks only
 * when asked for: rule windows and messages say `30d`, where `4w2d` would read worse.
 */
export function durationText(seconds: Seconds, opts: { weeks?: boolean } = {}): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, ms] of UNITS) {
    if (unit === 'w' && !opts.weeks) continue;
    if (rest >= ms) {
      out += `${Math.floor(rest / ms)}${unit}`;
      rest %= ms;
    }
  }
  return out;
}

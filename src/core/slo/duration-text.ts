import type { Seconds } from '../units.js';

/** Seconds as a Prometheus duration for messages: `90` -> `1m30s`, `2592000` -> `30d`. */
export function durationText(seconds: Seconds): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, ms] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rest >= ms) {
      out += `${Math.floor(rest / ms)}${unit}`;
      rest %= ms;
    }
  }
  return out;
}

import type { EpochMillis } from '../units.js';

/**
 * Below this, a numeric timestamp is taken as epoch seconds: 1e11 s is the year 5138 while
 * 1e11 ms is March 1973, so no real event time is ambiguous.
 */
export const EPOCH_SECONDS_BELOW = 1e11;

// ISO 8601 date-time with a zone (Z or ±hh:mm); Date.parse accepts much looser text otherwise.
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An event's occurred-at as epoch ms: an ISO 8601 string with a zone, or a number (or numeric
 * string) in epoch milliseconds or seconds (told apart by magnitude). Undefined when the value
 * is none of these.
 */
export function parseTimestamp(v: unknown): EpochMillis | undefined {
  if (typeof v === 'number') return fromNumber(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return fromNumber(Number(s));
  if (!ISO.test(s)) return undefined;
  // Nanosecond fractions (Java Instant) are beyond Date.parse: keep milliseconds.
  const ms = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : undefined;
}

function fromNumber(n: number): EpochMillis | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n < EPOCH_SECONDS_BELOW ? n * 1000 : n;
}

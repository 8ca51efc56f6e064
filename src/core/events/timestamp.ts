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
  const fast = fastIso(s);
  if (fast !== undefined) return fast;
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

const ISO_DIGITS = new Uint8Array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]);
const d = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => d(s, i) * 10 + d(s, i + 1);

/**
 * The common shape `YYYY-MM-DDTHH:MM:SS[.fff...]Z` by character codes: ten times faster than
 * the regular expression and Date.parse, and that is most event timestamps. Anything else
 * (offsets, missing seconds) returns undefined and takes the general path.
 */
function fastIso(s: string): EpochMillis | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return undefined;
  for (let k = 0; k < ISO_DIGITS.length; k++) {
    const c = s.charCodeAt(ISO_DIGITS[k]!);
    if (c < 48 || c > 57) return undefined;
  }
  let ms = 0;
  if (n > 20) {
    if (s[19] !== '.') return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    // milliseconds from the first three fraction digits (padded), finer digits dropped
    ms = d(s, 20) * 100 + (n - 1 > 21 ? d(s, 21) * 10 : 0) + (n - 1 > 22 ? d(s, 22) : 0);
  }
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const h = two(s, 11);
  const m = two(s, 14);
  const sec = two(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60) return undefined;
  // Days past the month's end (31 April) go to the general path, which decides like Date.parse.
  if (day > 28 && day > daysIn(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, h, m, sec, ms);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

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

/**
 * A timestamp in decimal text as kafkajs gives record timestamps, as a number: the same as
 * `Number(text)`, read digit by digit when it is up to 15 digits (Number on a 13-digit string
 * is a runtime call, a tenth of a microsecond per record).
 */
export function millisFromText(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return Number(text);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number(text);
    v = v * 10 + c;
  }
  return v;
}

/** A numeric occurred-at: epoch seconds below EPOCH_SECONDS_BELOW, else milliseconds. */
export function fromNumber(n: number): EpochMillis | undefined {
  const ms = millisFromNumber(n);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `fromNumber` with NaN for "not a timestamp" (a plain number result: nothing boxed in hot loops). */
export function millisFromNumber(n: number): EpochMillis {
  if (!Number.isFinite(n) || n <= 0) return NaN;
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
    // a fraction has at least one digit ('...00.Z' is not ISO 8601)
    if (s[19] !== '.' || n < 22) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    // milliseconds from the first three fraction digits (padded), finer digits dropped
    ms = d(s, 20) * 100 + (n - 1 > 21 ? d(s, 21) * 10 : 0) + (n - 1 > 22 ? d(s, 22) : 0);
  }
  const t = utc(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * `fastIso` of the ASCII text in `b[start, end)`, read from the bytes (no string). Any other
 * shape or byte, surrounding white space included, returns NaN (a plain number: nothing boxed
 * in the tail's loop): the caller then decodes the text and uses `parseTimestamp`, which
 * decides exactly as for a string.
 */
export function fastIsoBytes(b: Uint8Array, start: number, end: number): EpochMillis {
  const n = end - start;
  if (
    n < 20 ||
    b[end - 1] !== 90 /* Z */ ||
    b[start + 4] !== 45 ||
    b[start + 7] !== 45 ||
    b[start + 10] !== 84 /* T */ ||
    b[start + 13] !== 58 ||
    b[start + 16] !== 58
  ) {
    return NaN;
  }
  for (let k = 0; k < ISO_DIGITS.length; k++) {
    const c = b[start + ISO_DIGITS[k]!]!;
    if (c < 48 || c > 57) return NaN;
  }
  let ms = 0;
  if (n > 20) {
    if (b[start + 19] !== 46 /* . */ || n < 22) return NaN;
    for (let i = start + 20; i < end - 1; i++) {
      const c = b[i]!;
      if (c < 48 || c > 57) return NaN;
    }
    ms = (b[start + 20]! - 48) * 100 + (n - 1 > 21 ? (b[start + 21]! - 48) * 10 : 0) + (n - 1 > 22 ? b[start + 22]! - 48 : 0);
  }
  const s = start;
  return utc(twoB(b, s) * 100 + twoB(b, s + 2), twoB(b, s + 5), twoB(b, s + 8), twoB(b, s + 11), twoB(b, s + 14), twoB(b, s + 17), ms);
}

const twoB = (b: Uint8Array, i: number): number => (b[i]! - 48) * 10 + b[i + 1]! - 48;

/**
 * Epoch milliseconds of a UTC date-time whose fields have the fast shape's ranges checked
 * here; NaN sends the text to the general path. Days past the month's end (31 April)
 * go there too, to decide like Date.parse, and so do years before 100 (Date.UTC would read
 * them as 19xx). Days from the civil date by Howard Hinnant's algorithm (public domain): no
 * Date.UTC call. A second of 60 rolls over to the next minute, as with Date.UTC.
 */
function utc(year: number, month: number, day: number, h: number, m: number, sec: number, ms: number): EpochMillis {
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60) return NaN;
  if (day > 28 && day > daysIn(year, month)) return NaN;
  // every operand is a small non-negative integer here (year >= 100): `| 0` is floor
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86_400_000 + h * 3_600_000 + m * 60_000 + sec * 1000 + ms;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

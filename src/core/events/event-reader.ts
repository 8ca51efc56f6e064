import type { EpochMillis } from '../units.js';
import { createEventParser, type EventParserOptions, type ParseResult } from './event-parser.js';
import { compileJsonPath, type FieldRef, type JsonPath, type RawRecord } from './field-ref.js';
import * as hash from './hash64.js';
import type { Hash64 } from './hash64.js';
import * as scan from './json-scan.js';
import type { SpanScanner } from './json-scan.js';
import * as time from './timestamp.js';
import type { UnparseableReason } from './unparseable.js';

// Imports used per byte or per event, as module constants: a module runner (vite-node, which
// runs the benchmarks and tests) turns every use of an imported name into a getter call.
const JSON_ABSENT = scan.JSON_ABSENT;
const JSON_NUMBER = scan.JSON_NUMBER;
const JSON_STRING = scan.JSON_STRING;
const hash64BytesInto = hash.hash64BytesInto;
const hash64Into = hash.hash64Into;
const fastIsoBytes = time.fastIsoBytes;
const millisFromNumber = time.millisFromNumber;

/**
 * The fields of the last event read, as the tail's state machine uses them: ids as 64-bit
 * fingerprints (`hash64` of the decoded text), never as strings. One object per reader,
 * overwritten by every `read`.
 */
export interface EventFields {
  idHi: number;
  idLo: number;
  hasAggregate: boolean;
  aggregateHi: number;
  aggregateLo: number;
  hasVersion: boolean;
  version: number;
  hasOccurredAt: boolean;
  occurredAt: EpochMillis;
}

export interface EventReader {
  /** Filled by `read` when it returns undefined. */
  readonly fields: EventFields;
  /** Reads one record into `fields`; returns why it is unparseable, or undefined. */
  read(rec: RawRecord): UnparseableReason | undefined;
  /** Records read through the reference parser (`createEventParser`) instead of the byte path. */
  readonly slowReads: number;
}

/** Where a field comes from. */
const FROM_JSON = 0;
const FROM_HEADER = 1;
const FROM_KEY = 2;

interface Field {
  from: number;
  /** JSON: the scanner slot; else unused. */
  slot: number;
  /** Header name. */
  name: string;
}

/** A located field value: its kind (JSON_* of json-scan.ts, or SLOW) and its bytes. */
interface Located {
  kind: number;
  buf: Uint8Array;
  start: number;
  end: number;
}

/** The value needs the reference parser (escapes, non-ASCII, a string header, a rare number form). */
const SLOW = -1;
const EMPTY = new Uint8Array(0);

/**
 * The per-record reader of the tail: what `createEventParser` decides, read in one pass over
 * the record bytes without making strings or result objects.
 *
 * The JSON span scanner notes where the wanted values lie and fingerprints the id and the
 * aggregate id in the loop that finds their end; ids from headers or the key are hashed
 * straight from their bytes (`hash64BytesInto`): ASCII text has the fingerprint of its decoded
 * string. Versions and epoch numbers are read as integers from their digits; ISO timestamps of
 * the usual `...Z` shape are read from the bytes. Anything else (an escaped or
 * non-ASCII string, a fraction or exponent, an ISO offset, a numeric text with a fraction, a
 * header given as a string, a path set the scanner does not handle) sends the record through
 * `createEventParser` and hashes its strings: every record gets exactly the result and the
 * fingerprints that parser gives, and the unit tests compare the two on a corpus.
 */
export function createEventReader(opts: EventParserOptions): EventReader {
  const paths: JsonPath[] = [];
  const field = (ref: FieldRef | undefined): Field | undefined => {
    if (ref === undefined) return undefined;
    if ('header' in ref) return { from: FROM_HEADER, slot: -1, name: ref.header };
    if ('jsonPath' in ref) {
      paths.push(compileJsonPath(ref.jsonPath));
      return { from: FROM_JSON, slot: paths.length - 1, name: '' };
    }
    return { from: FROM_KEY, slot: -1, name: '' };
  };
  const id = field(opts.eventId)!;
  const agg = field(opts.aggregateId);
  const ver = field(opts.version);
  const at = field(opts.occurredAt);
  const max = opts.maxMessageBytes;
  // ids and aggregate ids are fingerprinted by the scan itself, in the loop that finds their end
  const fingerprint = paths.map((_, slot) => slot === id.slot || slot === agg?.slot);
  const scanner: SpanScanner | undefined = paths.length > 0 ? scan.compileSpanScanner(paths, fingerprint, opts.jsonCheck) : undefined;
  const reference = createEventParser(opts);
  const alwaysSlow = paths.length > 0 && scanner === undefined;

  const fields: EventFields = {
    idHi: 0,
    idLo: 0,
    hasAggregate: false,
    aggregateHi: 0,
    aggregateLo: 0,
    hasVersion: false,
    version: 0,
    hasOccurredAt: false,
    occurredAt: 0,
  };
  const h: Hash64 = { hi: 0, lo: 0 };
  const loc: Located = { kind: JSON_ABSENT, buf: EMPTY, start: 0, end: 0 };
  let slowReads = 0;

  const locate = (f: Field, rec: RawRecord): Located => {
    if (f.from === FROM_JSON) {
      const s = scanner!.spans;
      loc.kind = s.kind[f.slot]!;
      loc.buf = rec.value!;
      loc.start = s.start[f.slot]!;
      loc.end = s.end[f.slot]!;
      return loc;
    }
    const one = f.from === FROM_KEY ? rec.key : firstHeader(rec.headers, f.name);
    if (one === undefined || one === null) loc.kind = JSON_ABSENT;
    else if (typeof one === 'string') loc.kind = SLOW;
    else {
      // header and key bytes are text, like an unescaped JSON string
      loc.kind = JSON_STRING;
      loc.buf = one;
      loc.start = 0;
      loc.end = one.length;
    }
    return loc;
  };

  /** Fingerprint of a text or number field into `h`; false when the reference parser must decide. */
  const hashField = (f: Field, l: Located): boolean => {
    if (l.kind === JSON_STRING) {
      if (f.from === FROM_JSON) {
        const s = scanner!.spans;
        if (s.hashed[f.slot] !== 1) return false;
        h.hi = s.hashHi[f.slot]!;
        h.lo = s.hashLo[f.slot]!;
        return true;
      }
      return hash64BytesInto(l.buf, l.start, l.end, h);
    }
    // A number's text is its id when String(Number(text)) gives it back: a plain integer.
    if (l.kind === JSON_NUMBER) return isCanonicalInteger(l.buf, l.start, l.end) && hash64BytesInto(l.buf, l.start, l.end, h);
    return false;
  };

  const slow = (rec: RawRecord): UnparseableReason | undefined => {
    slowReads++;
    return fromParsed(reference(rec), fields, h);
  };

  return {
    fields,
    get slowReads() {
      return slowReads;
    },
    read(rec: RawRecord): UnparseableReason | undefined {
      const value = rec.value;
      if (value === null) return 'tombstone';
      if (value.length > max) return 'oversize';
      if (alwaysSlow) return slow(rec);
      if (scanner !== undefined && !scanner.scan(value)) return 'non_json';

      let l = locate(id, rec);
      let k = l.kind;
      if (k === JSON_ABSENT || (k === JSON_STRING && l.start === l.end)) return 'missing_id';
      if (k === JSON_STRING || k === JSON_NUMBER) {
        if (!hashField(id, l)) return slow(rec);
      } else if (isWrongForText(k)) return 'wrong_type';
      else return slow(rec);
      fields.idHi = h.hi;
      fields.idLo = h.lo;

      fields.hasAggregate = false;
      if (agg !== undefined) {
        l = locate(agg, rec);
        k = l.kind;
        if (k !== JSON_ABSENT) {
          if (k === JSON_STRING || k === JSON_NUMBER) {
            if (!hashField(agg, l)) return slow(rec);
            fields.hasAggregate = true;
            fields.aggregateHi = h.hi;
            fields.aggregateLo = h.lo;
          } else if (isWrongForText(k)) return 'wrong_type';
          else return slow(rec);
        }
      }

      fields.hasVersion = false;
      if (ver !== undefined) {
        l = locate(ver, rec);
        k = l.kind;
        if (k !== JSON_ABSENT) {
          if (k === JSON_STRING || k === JSON_NUMBER) {
            // a text version must be digits; the reference parser trims white space first
            const n = plainInteger(l.buf, l.start, l.end);
            if (Number.isNaN(n)) return slow(rec);
            fields.hasVersion = true;
            fields.version = n;
          } else if (isWrongForText(k)) return 'wrong_type';
          else return slow(rec);
        }
      }

      fields.hasOccurredAt = false;
      if (at !== undefined) {
        l = locate(at, rec);
        k = l.kind;
        if (k !== JSON_ABSENT) {
          // NaN: not decided here (the reference parser decides); `bad`: not a timestamp
          let ms = NaN;
          let bad = false;
          if (k === JSON_STRING) {
            ms = fastIsoBytes(l.buf, l.start, l.end);
            if (Number.isNaN(ms)) {
              // epoch digits as text
              const n = unsignedInteger(l.buf, l.start, l.end);
              if (!Number.isNaN(n)) {
                ms = millisFromNumber(n);
                bad = Number.isNaN(ms);
              }
            }
          } else if (k === JSON_NUMBER) {
            const n = plainInteger(l.buf, l.start, l.end);
            if (!Number.isNaN(n)) {
              ms = millisFromNumber(n);
              bad = Number.isNaN(ms);
            }
          } else if (isWrongForText(k)) return 'wrong_type';
          if (bad) return 'wrong_type';
          if (Number.isNaN(ms)) return slow(rec);
          fields.hasOccurredAt = true;
          fields.occurredAt = ms;
        }
      }
      return undefined;
    },
  };
}

/** true, false, an object or an array: never a text, number or timestamp. */
function isWrongForText(kind: number): boolean {
  return kind >= 4; // JSON_TRUE, JSON_FALSE, JSON_COMPOSITE
}

function firstHeader(headers: RawRecord['headers'], name: string): Buffer | string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `-?[0-9]{1,15}` read as a number (-0 for "-0", as Number gives); NaN for anything else. Up
 * to 15 digits every value is a safe integer and exact.
 */
export function plainInteger(b: Uint8Array, start: number, end: number): number {
  const neg = b[start] === 0x2d;
  const n = unsignedInteger(b, neg ? start + 1 : start, end);
  return neg ? -n : n;
}

/** `[0-9]{1,15}` read as a number; NaN for anything else. */
export function unsignedInteger(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 1 || len > 15) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** A JSON number whose text is what String(Number(text)) prints: an integer of up to 15 digits, not -0. */
function isCanonicalInteger(b: Uint8Array, start: number, end: number): boolean {
  const n = plainInteger(b, start, end);
  return !Number.isNaN(n) && !Object.is(n, -0);
}

/** Copies a reference parser result into `fields` (fingerprints of its strings). */
function fromParsed(r: ParseResult, fields: EventFields, h: Hash64): UnparseableReason | undefined {
  if (!r.ok) return r.reason;
  hash64Into(r.id, h);
  fields.idHi = h.hi;
  fields.idLo = h.lo;
  fields.hasAggregate = r.aggregateId !== undefined;
  if (r.aggregateId !== undefined) {
    hash64Into(r.aggregateId, h);
    fields.aggregateHi = h.hi;
    fields.aggregateLo = h.lo;
  }
  fields.hasVersion = r.version !== undefined;
  fields.version = r.version ?? 0;
  fields.hasOccurredAt = r.occurredAt !== undefined;
  fields.occurredAt = r.occurredAt ?? 0;
  return undefined;
}

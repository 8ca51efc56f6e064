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

/** Where a field comes from (`FieldSource.from`). */
export const FROM_JSON = 0;
export const FROM_HEADER = 1;
export const FROM_KEY = 2;

/** Where one configured field is read from. */
export interface FieldSource {
  from: typeof FROM_JSON | typeof FROM_HEADER | typeof FROM_KEY;
  /** JSON: the field's slot in the span scanner (its index in `FieldSources.paths`); else -1. */
  slot: number;
  /** Header: its name; else empty. */
  header: string;
}

/** The configured fields and the JSON paths the span scanner must find for them. */
export interface FieldSources {
  eventId: FieldSource;
  aggregateId: FieldSource | undefined;
  version: FieldSource | undefined;
  occurredAt: FieldSource | undefined;
  /** One per JSON field, in slot order. */
  paths: JsonPath[];
  /** Per slot: fingerprinted by the scan itself (the id and the aggregate id). */
  fingerprinted: boolean[];
}

/** Where each configured field is read from; JSON fields get scanner slots in the order id, aggregate id, version, occurred-at. */
export function fieldSources(opts: EventParserOptions): FieldSources {
  const paths: JsonPath[] = [];
  const source = (ref: FieldRef | undefined): FieldSource | undefined => {
    if (ref === undefined) return undefined;
    if ('header' in ref) return { from: FROM_HEADER, slot: -1, header: ref.header };
    if ('jsonPath' in ref) {
      paths.push(compileJsonPath(ref.jsonPath));
      return { from: FROM_JSON, slot: paths.length - 1, header: '' };
    }
    return { from: FROM_KEY, slot: -1, header: '' };
  };
  const eventId = source(opts.eventId)!;
  const aggregateId = source(opts.aggregateId);
  const version = source(opts.version);
  const occurredAt = source(opts.occurredAt);
  // ids and aggregate ids are fingerprinted by the scan itself, in the loop that finds their end
  const fingerprinted = paths.map((_, slot) => slot === eventId.slot || slot === aggregateId?.slot);
  return { eventId, aggregateId, version, occurredAt, paths, fingerprinted };
}

/** A located field value: its kind (JSON_* of json-scan.ts, or NEEDS_PARSER) and its bytes. */
interface FieldBytes {
  kind: number;
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** The value needs the reference parser (escapes, non-ASCII, a string header, a rare number form). */
const NEEDS_PARSER = -1;
const EMPTY = new Uint8Array(0);

/**
 * What a field step returns besides a reason: the reference parser must read the record. A
 * step that read its field returns undefined.
 */
const USE_PARSER = 'use_parser';
type StepResult = UnparseableReason | typeof USE_PARSER | undefined;

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
  return new ByteEventReader(opts);
}

/**
 * `createEventReader`'s reader. `read` runs one step per field, in the order the reference
 * parser decides them (id, aggregate id, version, occurred-at), each returning a reason, "use
 * the parser", or undefined once its field is in `fields`. Nothing is allocated per record:
 * `#located` and `#hash` are reused scratch objects. The steps keep the branch shapes of the
 * closure this class replaced, measured in docs/performance.md ("Stream tail and dedupe window":
 * the readable rewrite costs within 5 % of it).
 */
class ByteEventReader implements EventReader {
  readonly fields: EventFields = {
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
  #slowReads = 0;
  readonly #eventId: FieldSource;
  readonly #aggregateId: FieldSource | undefined;
  readonly #version: FieldSource | undefined;
  readonly #occurredAt: FieldSource | undefined;
  readonly #maxMessageBytes: number;
  /** Undefined when no field is in the JSON value. */
  readonly #scanner: SpanScanner | undefined;
  /** JSON fields on a path set the span scanner does not handle: every record goes to the parser. */
  readonly #parserOnly: boolean;
  readonly #parser: (rec: RawRecord) => ParseResult;
  /** Scratch: the fingerprint of the field being read. */
  readonly #hash: Hash64 = { hi: 0, lo: 0 };
  /** Scratch: where the field being read lies. */
  readonly #located: FieldBytes = { kind: JSON_ABSENT, bytes: EMPTY, start: 0, end: 0 };

  constructor(opts: EventParserOptions) {
    const sources = fieldSources(opts);
    this.#eventId = sources.eventId;
    this.#aggregateId = sources.aggregateId;
    this.#version = sources.version;
    this.#occurredAt = sources.occurredAt;
    this.#maxMessageBytes = opts.maxMessageBytes;
    this.#scanner = sources.paths.length > 0 ? scan.compileSpanScanner(sources.paths, sources.fingerprinted, opts.jsonCheck) : undefined;
    this.#parserOnly = sources.paths.length > 0 && this.#scanner === undefined;
    this.#parser = createEventParser(opts);
  }

  get slowReads(): number {
    return this.#slowReads;
  }

  read(rec: RawRecord): UnparseableReason | undefined {
    const value = rec.value;
    if (value === null) return 'tombstone';
    if (value.length > this.#maxMessageBytes) return 'oversize';
    if (this.#parserOnly) return this.#readByParser(rec);
    const scanner = this.#scanner;
    if (scanner !== undefined && !scanner.scan(value)) return 'non_json';
    let step: StepResult = this.#readEventId(rec);
    if (step === undefined) step = this.#readAggregateId(rec);
    if (step === undefined) step = this.#readVersion(rec);
    if (step === undefined) step = this.#readOccurredAt(rec);
    return step === USE_PARSER ? this.#readByParser(rec) : step;
  }

  #readEventId(rec: RawRecord): StepResult {
    const l = this.#locate(this.#eventId, rec);
    const k = l.kind;
    if (k === JSON_ABSENT || (k === JSON_STRING && l.start === l.end)) return 'missing_id';
    if (k === JSON_STRING || k === JSON_NUMBER) {
      if (!this.#hashField(this.#eventId, l)) return USE_PARSER;
    } else if (isWrongForText(k)) return 'wrong_type';
    else return USE_PARSER;
    this.fields.idHi = this.#hash.hi;
    this.fields.idLo = this.#hash.lo;
    return undefined;
  }

  #readAggregateId(rec: RawRecord): StepResult {
    const fields = this.fields;
    fields.hasAggregate = false;
    const source = this.#aggregateId;
    if (source === undefined) return undefined;
    const l = this.#locate(source, rec);
    const k = l.kind;
    if (k === JSON_ABSENT) return undefined;
    if (k === JSON_STRING || k === JSON_NUMBER) {
      if (!this.#hashField(source, l)) return USE_PARSER;
      fields.hasAggregate = true;
      fields.aggregateHi = this.#hash.hi;
      fields.aggregateLo = this.#hash.lo;
      return undefined;
    }
    return isWrongForText(k) ? 'wrong_type' : USE_PARSER;
  }

  #readVersion(rec: RawRecord): StepResult {
    const fields = this.fields;
    fields.hasVersion = false;
    const source = this.#version;
    if (source === undefined) return undefined;
    const l = this.#locate(source, rec);
    const k = l.kind;
    if (k === JSON_ABSENT) return undefined;
    if (k === JSON_STRING || k === JSON_NUMBER) {
      // a text version must be digits; the reference parser trims white space first
      const n = plainInteger(l.bytes, l.start, l.end);
      if (Number.isNaN(n)) return USE_PARSER;
      fields.hasVersion = true;
      fields.version = n;
      return undefined;
    }
    return isWrongForText(k) ? 'wrong_type' : USE_PARSER;
  }

  #readOccurredAt(rec: RawRecord): StepResult {
    const fields = this.fields;
    fields.hasOccurredAt = false;
    const source = this.#occurredAt;
    if (source === undefined) return undefined;
    const l = this.#locate(source, rec);
    const k = l.kind;
    if (k === JSON_ABSENT) return undefined;
    let ms: number;
    if (k === JSON_STRING) ms = timestampFromText(l.bytes, l.start, l.end);
    else if (k === JSON_NUMBER) ms = timestampFromNumber(l.bytes, l.start, l.end);
    else if (isWrongForText(k)) return 'wrong_type';
    else return USE_PARSER;
    if (ms === NOT_A_TIMESTAMP) return 'wrong_type';
    if (Number.isNaN(ms)) return USE_PARSER;
    fields.hasOccurredAt = true;
    fields.occurredAt = ms;
    return undefined;
  }

  /** Where `source`'s value lies in `rec` (the scan has run), in the reused `#located`. */
  #locate(source: FieldSource, rec: RawRecord): FieldBytes {
    const l = this.#located;
    if (source.from === FROM_JSON) {
      const spans = this.#scanner!.spans;
      l.kind = spans.kind[source.slot]!;
      l.bytes = rec.value!;
      l.start = spans.start[source.slot]!;
      l.end = spans.end[source.slot]!;
      return l;
    }
    const one = source.from === FROM_KEY ? rec.key : firstHeader(rec.headers, source.header);
    if (one === undefined || one === null) l.kind = JSON_ABSENT;
    else if (typeof one === 'string') l.kind = NEEDS_PARSER;
    else {
      // header and key bytes are text, like an unescaped JSON string
      l.kind = JSON_STRING;
      l.bytes = one;
      l.start = 0;
      l.end = one.length;
    }
    return l;
  }

  /** Fingerprint of a text or number field into `#hash`; false when the reference parser must decide. */
  #hashField(source: FieldSource, l: FieldBytes): boolean {
    const h = this.#hash;
    if (l.kind === JSON_STRING) {
      if (source.from === FROM_JSON) {
        const spans = this.#scanner!.spans;
        if (spans.hashed[source.slot] !== 1) return false;
        h.hi = spans.hashHi[source.slot]!;
        h.lo = spans.hashLo[source.slot]!;
        return true;
      }
      return hash64BytesInto(l.bytes, l.start, l.end, h);
    }
    // A number's text is its id when String(Number(text)) gives it back: a plain integer.
    if (l.kind === JSON_NUMBER) return isCanonicalInteger(l.bytes, l.start, l.end) && hash64BytesInto(l.bytes, l.start, l.end, h);
    return false;
  }

  #readByParser(rec: RawRecord): UnparseableReason | undefined {
    this.#slowReads++;
    return copyParsed(this.#parser(rec), this.fields, this.#hash);
  }
}

/** `timestampFromText` and `timestampFromNumber`: digits that are no timestamp (`wrong_type`). */
export const NOT_A_TIMESTAMP = -Infinity;

/**
 * An occurred-at given as text (an unescaped JSON string, a header, the key): an ISO time of the
 * `...Z` shape or epoch digits, in milliseconds; NOT_A_TIMESTAMP for digits that are no time;
 * NaN when the reference parser must decide (another ISO form, a fraction, white space).
 */
export function timestampFromText(b: Uint8Array, start: number, end: number): number {
  const ms = fastIsoBytes(b, start, end);
  if (!Number.isNaN(ms)) return ms;
  return epochMillis(unsignedInteger(b, start, end));
}

/** An occurred-at given as a JSON number: as `timestampFromText`, for `-?[0-9]{1,15}`. */
export function timestampFromNumber(b: Uint8Array, start: number, end: number): number {
  return epochMillis(plainInteger(b, start, end));
}

/** Epoch seconds or milliseconds read from digits (NaN: none read) to milliseconds. */
function epochMillis(n: number): number {
  if (Number.isNaN(n)) return NaN;
  const ms = millisFromNumber(n);
  return Number.isNaN(ms) ? NOT_A_TIMESTAMP : ms;
}

/** true, false, an object or an array: never a text, number or timestamp. */
function isWrongForText(kind: number): boolean {
  return kind >= 4; // JSON_TRUE, JSON_FALSE, JSON_COMPOSITE
}

export function firstHeader(headers: RawRecord['headers'], name: string): Buffer | string | undefined {
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
export function isCanonicalInteger(b: Uint8Array, start: number, end: number): boolean {
  const n = plainInteger(b, start, end);
  return !Number.isNaN(n) && !Object.is(n, -0);
}

/** Copies a reference parser result into `fields` (fingerprints of its strings, through `h`). */
export function copyParsed(r: ParseResult, fields: EventFields, h: Hash64): UnparseableReason | undefined {
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

import type { EpochMillis } from '../units.js';
import { compileJsonPath, headerText, readJsonPath, type FieldRef, type JsonPath, type RawRecord } from './field-ref.js';
import { COMPOSITE, compileJsonScanner, type JsonCheck } from './json-scan.js';
import { parseTimestamp } from './timestamp.js';
import type { UnparseableReason } from './unparseable.js';

/** Where to find each field, and the size limit. */
export interface EventParserOptions {
  eventId: FieldRef;
  aggregateId?: FieldRef;
  version?: FieldRef;
  occurredAt?: FieldRef;
  /** Values longer than this are skipped as `oversize` without being parsed. */
  maxMessageBytes: number;
  /** How much of a JSON value is checked (json-scan.ts); default `document`. */
  jsonCheck?: JsonCheck;
}

/** The fields the SLIs need. Optional ones are absent when not configured or not present. */
export interface ParsedEvent {
  ok: true;
  id: string;
  aggregateId?: string;
  version?: number;
  occurredAt?: EpochMillis;
}

export type ParseResult = ParsedEvent | { ok: false; reason: UnparseableReason };

type Compiled = { kind: 'header'; name: string } | { kind: 'json'; path: JsonPath; slot: number } | { kind: 'key' };

const TOMBSTONE: ParseResult = { ok: false, reason: 'tombstone' };
const OVERSIZE: ParseResult = { ok: false, reason: 'oversize' };
const NON_JSON: ParseResult = { ok: false, reason: 'non_json' };
const MISSING_ID: ParseResult = { ok: false, reason: 'missing_id' };
const WRONG_TYPE: ParseResult = { ok: false, reason: 'wrong_type' };

/**
 * Builds the reference parser of a stream: the fields as strings and numbers. JSON fields are
 * read in one pass over the record bytes (json-scan.ts) without building the document; a
 * header/key-only configuration never looks at the payload (so non-JSON payloads are fine
 * there). The tail itself uses `createEventReader` (event-reader.ts), which gives the same
 * result with the ids as fingerprints and without making strings, and falls back to this
 * parser for the rare shapes it does not read from the bytes.
 */
export function createEventParser(opts: EventParserOptions): (rec: RawRecord) => ParseResult {
  const jsonPaths: JsonPath[] = [];
  const compile = (ref: FieldRef): Compiled => {
    if ('header' in ref) return { kind: 'header', name: ref.header };
    if ('jsonPath' in ref) {
      const path = compileJsonPath(ref.jsonPath);
      jsonPaths.push(path);
      return { kind: 'json', path, slot: jsonPaths.length - 1 };
    }
    return { kind: 'key' };
  };
  const id = compile(opts.eventId);
  const agg = opts.aggregateId ? compile(opts.aggregateId) : undefined;
  const ver = opts.version ? compile(opts.version) : undefined;
  const at = opts.occurredAt ? compile(opts.occurredAt) : undefined;
  const max = opts.maxMessageBytes;
  const scan = jsonPaths.length > 0 ? (compileJsonScanner(jsonPaths, opts.jsonCheck) ?? viaJsonParse(jsonPaths)) : undefined;

  // Raw field value: undefined when absent or null.
  const read = (c: Compiled, rec: RawRecord, json: unknown[] | undefined): unknown => {
    if (c.kind === 'json') return json![c.slot];
    if (c.kind === 'header') return headerText(rec.headers, c.name);
    return rec.key === null ? undefined : rec.key.toString('utf8');
  };

  return (rec) => {
    if (rec.value === null) return TOMBSTONE;
    if (rec.value.length > max) return OVERSIZE;
    let json: unknown[] | undefined;
    if (scan) {
      try {
        json = scan(rec.value);
      } catch {
        return NON_JSON;
      }
    }
    const rawId = read(id, rec, json);
    if (rawId === undefined || rawId === '') return MISSING_ID;
    if (typeof rawId !== 'string' && typeof rawId !== 'number') return WRONG_TYPE;
    const out: ParsedEvent = { ok: true, id: typeof rawId === 'string' ? rawId : String(rawId) };

    if (agg) {
      const a = read(agg, rec, json);
      if (a !== undefined) {
        if (typeof a !== 'string' && typeof a !== 'number') return WRONG_TYPE;
        out.aggregateId = typeof a === 'string' ? a : String(a);
      }
    }
    if (ver) {
      const v = read(ver, rec, json);
      if (v !== undefined) {
        // Header values are text; JSON may carry either form.
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isSafeInteger(n)) return WRONG_TYPE;
        out.version = n;
      }
    }
    if (at) {
      const t = read(at, rec, json);
      if (t !== undefined) {
        const ms = parseTimestamp(t);
        if (ms === undefined) return WRONG_TYPE;
        out.occurredAt = ms;
      }
    }
    return out;
  };
}

/** The general path: JSON.parse, then read each path (nulls read as absent, like the scanner). */
function viaJsonParse(paths: readonly JsonPath[]): (buf: Buffer) => unknown[] {
  return (buf) => {
    const doc: unknown = JSON.parse(buf.toString('utf8'));
    return paths.map((p) => {
      const v = readJsonPath(doc, p);
      if (v === null) return undefined;
      return v !== undefined && typeof v === 'object' ? COMPOSITE : v;
    });
  };
}

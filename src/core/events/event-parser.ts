import type { EpochMillis } from '../units.js';
import { compileJsonPath, headerText, readJsonPath, type FieldRef, type JsonPath, type RawRecord } from './field-ref.js';
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

type Compiled = { kind: 'header'; name: string } | { kind: 'json'; path: JsonPath } | { kind: 'key' };

const MISSING = Symbol('missing');

function compile(ref: FieldRef): Compiled {
  if ('header' in ref) return { kind: 'header', name: ref.header };
  if ('jsonPath' in ref) return { kind: 'json', path: compileJsonPath(ref.jsonPath) };
  return { kind: 'key' };
}

/**
 * Builds the per-record parser of a stream. JSON is parsed only when some field is configured
 * by JSON path, and once per record; a header-only configuration never looks at the payload
 * (so non-JSON payloads are fine there).
 */
export function createEventParser(opts: EventParserOptions): (rec: RawRecord) => ParseResult {
  const id = compile(opts.eventId);
  const agg = opts.aggregateId ? compile(opts.aggregateId) : undefined;
  const ver = opts.version ? compile(opts.version) : undefined;
  const at = opts.occurredAt ? compile(opts.occurredAt) : undefined;
  const needsJson = [id, agg, ver, at].some((c) => c?.kind === 'json');
  const max = opts.maxMessageBytes;

  return (rec) => {
    if (rec.value === null) return { ok: false, reason: 'tombstone' };
    if (rec.value.length > max) return { ok: false, reason: 'oversize' };
    let doc: unknown;
    if (needsJson) {
      try {
        doc = JSON.parse(rec.value.toString('utf8'));
      } catch {
        return { ok: false, reason: 'non_json' };
      }
    }
    const read = (c: Compiled): unknown => {
      if (c.kind === 'header') return headerText(rec.headers, c.name) ?? MISSING;
      if (c.kind === 'key') return rec.key === null ? MISSING : rec.key.toString('utf8');
      const v = readJsonPath(doc, c.path);
      return v === undefined || v === null ? MISSING : v;
    };

    const rawId = read(id);
    if (rawId === MISSING || rawId === '') return { ok: false, reason: 'missing_id' };
    if (typeof rawId !== 'string' && typeof rawId !== 'number') return { ok: false, reason: 'wrong_type' };
    const out: ParsedEvent = { ok: true, id: String(rawId) };

    if (agg) {
      const a = read(agg);
      if (a !== MISSING) {
        if (typeof a !== 'string' && typeof a !== 'number') return { ok: false, reason: 'wrong_type' };
        out.aggregateId = String(a);
      }
    }
    if (ver) {
      const v = read(ver);
      if (v !== MISSING) {
        // Header values are text; JSON may carry either form.
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isSafeInteger(n)) return { ok: false, reason: 'wrong_type' };
        out.version = n;
      }
    }
    if (at) {
      const t = read(at);
      if (t !== MISSING) {
        const ms = parseTimestamp(t);
        if (ms === undefined) return { ok: false, reason: 'wrong_type' };
        out.occurredAt = ms;
      }
    }
    return out;
  };
}

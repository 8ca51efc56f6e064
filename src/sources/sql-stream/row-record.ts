import type { FieldRef, RawRecord } from '../../core/events/field-ref.js';

/**
 * Where the stream processor finds the fields of a row: the tail hands each row over as a
 * record whose headers carry the columns as text, so the same pure core (and the same byte
 * reader) decides for Kafka records and table rows.
 */
export const ROW_FIELDS = {
  eventId: { header: 'event_id' },
  aggregateId: { header: 'aggregate_id' },
  version: { header: 'version' },
  occurredAt: { header: 'occurred_at' },
} as const satisfies Record<string, FieldRef>;

/** A row has no payload the core reads; an empty value is not a tombstone. */
const NO_VALUE = Buffer.alloc(0);

/** A column value as text bytes, or undefined for NULL. */
function text(v: unknown): Buffer | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return Buffer.from(String(v.getTime()), 'latin1');
  return Buffer.from(String(v), 'utf8');
}

/** A time column as epoch milliseconds: a number of ms (the presets' float8), a Date (timestamptz), or ISO text. */
export function millis(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Writes a row into the reused record. The record time (the dedupe window's clock) is the
 * write time, else the occurred-at time, else `now`; the occurred-at header is set only when
 * both times exist, so that a publish delay (write time minus occurred-at) is never made up.
 */
export function rowToRecord(row: Record<string, unknown>, rec: RawRecord, now: number): void {
  const recorded = millis(row.recorded_at);
  const occurred = millis(row.occurred_at);
  rec.key = null;
  rec.value = NO_VALUE;
  rec.timestamp = recorded ?? occurred ?? now;
  // The processor's reused record: its headers object is made once, then overwritten per row.
  const h = (rec.headers ??= {}) as Record<string, Buffer | undefined>;
  h.event_id = text(row.event_id);
  h.aggregate_id = text(row.aggregate_id);
  h.version = text(row.version);
  h.occurred_at = recorded !== undefined && occurred !== undefined ? Buffer.from(String(Math.round(occurred)), 'latin1') : undefined;
}

import { describe, expect, it } from 'vitest';
import { StreamProcessor } from '../../../../src/core/events/stream-processor.js';
import type { RawRecord } from '../../../../src/core/events/field-ref.js';
import { millis, ROW_FIELDS, rowToRecord } from '../../../../src/sources/sql-stream/row-record.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

function processor() {
  return new StreamProcessor({
    ...ROW_FIELDS,
    maxMessageBytes: 1024,
    jsonCheck: 'document',
    dedupe: { maxIds: 1000, windowMs: 3_600_000 },
    maxAggregates: 100,
  });
}

describe('SQL rows through the stream processor', () => {
  it('counts duplicates, gaps, out-of-order and publish delays from row columns', () => {
    const p = processor();
    const rows = [
      { position: '1', event_id: 'e1', aggregate_id: 'a', version: '1', occurred_at: T, recorded_at: T + 1500 },
      { position: '2', event_id: 'e2', aggregate_id: 'a', version: '3', occurred_at: null, recorded_at: T + 2000 }, // gap of 1, no delay
      { position: '3', event_id: 'e1', aggregate_id: 'b', version: 1, occurred_at: new Date(T), recorded_at: new Date(T + 250) }, // duplicate id
      { position: '4', event_id: 'e4', aggregate_id: 'a', version: '2', occurred_at: T, recorded_at: null }, // out of order, no delay
      { position: '5', event_id: null, aggregate_id: 'a', version: '4' }, // no id
    ];
    const skipped: string[] = [];
    p.processBatch(
      rows,
      (row, rec) => rowToRecord(row, rec, T + 9000),
      (_i, reason) => skipped.push(reason),
    );
    const c = p.take();
    expect(c).toMatchObject({ observed: 4, duplicate: 1, gap: 1, outOfOrder: 1, versioned: 4, clockSkew: 0 });
    expect(c.publishDelays).toEqual([1.5, 0.25]);
    expect(skipped).toEqual(['missing_id']);
    expect(c.unparseable.missing_id).toBe(1);
  });

  it('record time: the write time, else occurred-at, else now; occurred-at is set only with both', () => {
    const rec: RawRecord = { key: null, value: null, timestamp: 0 };
    rowToRecord({ event_id: 'x', occurred_at: T, recorded_at: T + 10 }, rec, 5);
    expect(rec.timestamp).toBe(T + 10);
    expect(String(rec.headers?.occurred_at)).toBe(String(T));
    rowToRecord({ event_id: 'x', occurred_at: T }, rec, 5);
    expect(rec.timestamp).toBe(T);
    expect(rec.headers?.occurred_at).toBeUndefined();
    rowToRecord({ event_id: 'x' }, rec, 5);
    expect(rec.timestamp).toBe(5);
    expect(rec.value?.length).toBe(0); // not a tombstone
  });

  it('millis reads float8 ms, Date and ISO text; NULL and junk are undefined', () => {
    expect(millis(1767268800000.5)).toBe(1767268800000.5);
    expect(millis('1767268800000')).toBe(1767268800000);
    expect(millis(new Date(T))).toBe(T);
    expect(millis('2026-01-01T12:00:00Z')).toBe(T);
    expect(millis(null)).toBeUndefined();
    expect(millis('soon')).toBeUndefined();
  });
});

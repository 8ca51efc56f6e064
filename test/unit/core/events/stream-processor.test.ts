import { describe, expect, it } from 'vitest';
import { StreamProcessor } from '../../../../src/core/events/stream-processor.js';
import type { RawRecord } from '../../../../src/core/events/field-ref.js';

const T0 = 1_700_000_000_000;
function ev(id: string, agg: string, version: number, occurredAt?: number): RawRecord {
  return { key: Buffer.from(agg), value: Buffer.from(JSON.stringify({ id, agg, v: version, at: occurredAt })), timestamp: T0 + version * 1000, headers: {} };
}

/** JSON fields `id`, `agg`, `v`, `at`; a 1000-id window. */
const JSON_OPTS = {
  eventId: { jsonPath: '$.id' },
  aggregateId: { jsonPath: '$.agg' },
  version: { jsonPath: '$.v' },
  occurredAt: { jsonPath: '$.at' },
  maxMessageBytes: 1024,
  dedupe: { maxIds: 1000, windowMs: 3_600_000 },
};

describe('StreamProcessor', () => {
  it('counts a known sequence exactly', () => {
    const p = new StreamProcessor({ ...JSON_OPTS, maxAggregates: 100 });
    const seq: RawRecord[] = [
      ev('e1', 'A', 1, T0 + 500), // delay 0.5 s
      ev('e2', 'A', 2, T0 + 2000), // delay 0 s
      ev('e2', 'A', 2), // duplicate id, repeat version
      ev('e5', 'A', 5), // gap of 2 (3, 4)
      ev('e4', 'A', 4), // out of order
      ev('b1', 'B', 1, T0 + 3000), // occurred after the broker time: clamped to 0, skew
      { key: null, value: null, timestamp: T0, headers: {} }, // tombstone
      { key: null, value: Buffer.from('{oops'), timestamp: T0, headers: {} }, // non_json
      { key: null, value: Buffer.from('{"x":1}'), timestamp: T0, headers: {} }, // missing_id
    ];
    for (const r of seq) p.process(r);
    const c = p.take();
    expect(c).toMatchObject({ observed: 6, duplicate: 1, gap: 2, outOfOrder: 1, versioned: 6, clockSkew: 1 });
    expect(c.unparseable).toEqual({ tombstone: 1, oversize: 0, non_json: 1, missing_id: 1, wrong_type: 0 });
    expect(c.publishDelays).toEqual([0.5, 0, 0]);
    expect(p.take().observed).toBe(0);
    expect(p.stats()).toMatchObject({ ids: 5, aggregates: 2, evictions: 0 });
  });
});

describe('StreamProcessor.processBatch', () => {
  const opts = { ...JSON_OPTS, maxAggregates: 50 };

  it('counts exactly what process() counts record by record, across group boundaries', () => {
    // 1000 records: duplicates near and far, gaps, reordering, bad records, evictions
    const records: RawRecord[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = i % 97;
      if (r === 13) records.push({ key: null, value: null, timestamp: T0 + i, headers: {} });
      else if (r === 29) records.push({ key: null, value: Buffer.from('{"id":'), timestamp: T0 + i, headers: {} });
      else if (r === 41) records.push({ key: null, value: Buffer.from('{"id":"x","v":"?"}'), timestamp: T0 + i, headers: {} });
      else {
        const id = i % 7 === 0 ? `e${i - 3}` : i % 31 === 0 ? `e${i - 200}` : `e${i}`;
        // 40 busy aggregates tracked throughout; a one-off aggregate every 13th record forces evictions
        const agg = i % 13 === 0 ? `B${i}` : `A${i % 40}`;
        const v = Math.floor(i / 40) + 1 + (i % 11 === 0 ? 2 : 0) - (i % 23 === 0 ? 1 : 0);
        records.push({
          key: null,
          value: Buffer.from(JSON.stringify({ id, agg, v, at: i % 5 === 0 ? T0 + i + 50 : T0 + i - 250 })),
          timestamp: T0 + i,
          headers: {},
        });
      }
    }
    const one = new StreamProcessor(opts);
    const bad: [number, string][] = [];
    records.forEach((r, i) => {
      const o = one.process(r);
      if (o.kind === 'unparseable') bad.push([i, o.reason]);
    });
    const batch = new StreamProcessor(opts);
    const seen: [number, string][] = [];
    // batches of odd sizes, so groups split anywhere
    for (let from = 0; from < records.length; from += 173) {
      batch.processBatch(
        records.slice(from, from + 173),
        (m, rec) => Object.assign(rec, m),
        (i, reason) => seen.push([from + i, reason]),
      );
    }
    const a = one.take();
    const b = batch.take();
    expect(b).toEqual(a);
    expect(seen).toEqual(bad);
    expect(a.duplicate).toBeGreaterThan(100);
    expect(a.gap).toBeGreaterThan(0);
    expect(a.outOfOrder).toBeGreaterThan(0);
    // occurred-at after the broker time on every 5th record that parses
    expect(a.clockSkew).toBe(records.filter((r, i) => i % 5 === 0 && r.value !== null && ![29, 41].includes(i % 97)).length);
    expect(batch.aggregates.evictions).toBeGreaterThan(0);
    expect(batch.stats()).toEqual(one.stats());
  });
});

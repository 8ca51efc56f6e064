import { describe, expect, it } from 'vitest';
import { StreamProcessor } from '../../../../src/core/events/stream-processor.js';
import type { RawRecord } from '../../../../src/core/events/field-ref.js';

const T0 = 1_700_000_000_000;
function ev(id: string, agg: string, version: number, occurredAt?: number): RawRecord {
  return { key: Buffer.from(agg), value: Buffer.from(JSON.stringify({ id, agg, v: version, at: occurredAt })), timestamp: T0 + version * 1000, headers: {} };
}

describe('StreamProcessor', () => {
  it('counts a known sequence exactly', () => {
    const p = new StreamProcessor({
      eventId: { jsonPath: '$.id' },
      aggregateId: { jsonPath: '$.agg' },
      version: { jsonPath: '$.v' },
      occurredAt: { jsonPath: '$.at' },
      maxMessageBytes: 1024,
      dedupe: { maxIds: 1000, windowMs: 3_600_000 },
      maxAggregates: 100,
    });
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

import { describe, expect, it } from 'vitest';
import { applyLatencies, coveringWrites, samplingStride } from '../../../../src/core/projection/index.js';

const T0 = Date.UTC(2026, 0, 1);
const s = (sec: number) => T0 + sec * 1000;

describe('applyLatencies', () => {
  it('is write time - event time per event, clamped at 0 with skew counted', () => {
    const r = applyLatencies(
      [
        { position: 1, timestamp: T0 - 2500 },
        { position: 2, timestamp: T0 - 100 },
        { position: 3, timestamp: T0 + 700 }, // written by a clock 0.7 s ahead
      ],
      [{ position: 3, at: T0 }],
    );
    expect(r.latencies).toEqual([2.5, 0.1, 0]);
    expect(r.skewed).toBe(1);
  });

  it('charges each event the first write covering it', () => {
    // Writes: 12 at 3 s, 15 at 6 s, 20 at 9 s. Events 11..20 written one per 0.5 s from 1 s.
    const writes = [
      { position: 12, at: s(3) },
      { position: 15, at: s(6) },
      { position: 20, at: s(9) },
    ];
    const events = Array.from({ length: 10 }, (_, i) => ({ position: 11 + i, timestamp: s(1 + i * 0.5) }));
    // 11 (1 s) -> 3 s: 2; 12 (1.5 s) -> 3 s: 1.5; 13 (2 s) -> 6 s: 4; 14: 3.5; 15: 3; 16 (3.5 s) -> 9 s: 5.5; ...; 20 (5.5 s) -> 9 s: 3.5
    expect(applyLatencies(events, writes).latencies).toEqual([2, 1.5, 4, 3.5, 3, 5.5, 5, 4.5, 4, 3.5]);
  });

  it('no writes, no latencies', () => {
    expect(applyLatencies([{ position: 1, timestamp: T0 }], []).latencies).toEqual([]);
  });
});

describe('coveringWrites', () => {
  const reading = { position: 20, at: s(10) };

  it('without probes: the reading alone', () => {
    expect(coveringWrites(10, 20, reading)).toEqual([reading]);
  });

  it('keeps the first sighting of each higher position inside the advance, then the reading', () => {
    const probed = [
      { position: 10, at: s(1) }, // the previous checkpoint: not part of the advance
      { position: 13, at: s(2) },
      { position: 13, at: s(3) }, // rewritten (heartbeat): the first sighting stands
      { position: 17, at: s(5) },
    ];
    expect(coveringWrites(10, 20, reading, probed)).toEqual([{ position: 13, at: s(2) }, { position: 17, at: s(5) }, reading]);
  });

  it('a probe that already saw the final position beats a later rewrite of it', () => {
    expect(coveringWrites(10, 20, reading, [{ position: 20, at: s(4) }])).toEqual([{ position: 20, at: s(4) }]);
  });

  it('drops writes out of order (a reset between readings) and beyond the advance', () => {
    const probed = [
      { position: 18, at: s(2) },
      { position: 12, at: s(3) }, // went back: dropped
      { position: 25, at: s(4) }, // beyond `to` (then reset): dropped
      { position: 19, at: s(1) }, // time went back: dropped
      { position: 19, at: s(11) }, // after the reading's own write time: dropped
    ];
    expect(coveringWrites(10, 20, reading, probed)).toEqual([{ position: 18, at: s(2) }, reading]);
  });
});

describe('samplingStride', () => {
  it('reads every event when the advance fits the budget', () => {
    expect(samplingStride(100, 600, 500)).toBe(1);
    expect(samplingStride(5, 5, 500)).toBe(1);
  });
  it('reads every n-th position when it does not: 10 000 events, 500 samples -> every 20th', () => {
    expect(samplingStride(0, 10_000, 500)).toBe(20);
    expect(samplingStride(0, 10_001, 500)).toBe(21);
  });
});

import { describe, expect, it } from 'vitest';
import { OffsetHistory } from '../../../../src/core/kafka/offset-history.js';

describe('OffsetHistory', () => {
  it('interpolates the moment the high watermark passed the offset', () => {
    const h = new OffsetHistory(10);
    h.add(0, 100);
    h.add(10_000, 200);
    // offset 149 was appended when high reached 150: half way between the samples.
    expect(h.appendTime(149)).toBe(5_000);
    expect(h.appendTime(199)).toBe(10_000);
    expect(h.appendTime(100)).toBe(100);
  });
  it('knows nothing about offsets older than its first point or not produced yet', () => {
    const h = new OffsetHistory(10);
    h.add(0, 100);
    h.add(10_000, 200);
    expect(h.appendTime(99)).toBeUndefined();
    expect(h.appendTime(200)).toBeUndefined();
    expect(new OffsetHistory(4).appendTime(0)).toBeUndefined();
  });
  it('pins a message on an idle topic to the interval it arrived in (kafka-lag-exporter #37)', () => {
    const h = new OffsetHistory(10);
    for (let t = 0; t <= 600_000; t += 15_000) h.add(t, 100);
    h.add(615_000, 101);
    // Flat run kept as first and last point only.
    expect(h.points()).toEqual([
      { t: 0, high: 100 },
      { t: 600_000, high: 100 },
      { t: 615_000, high: 101 },
    ]);
    expect(h.appendTime(100)).toBe(615_000);
  });
  it('starts over when the high watermark goes down (topic re-created)', () => {
    const h = new OffsetHistory(10);
    h.add(0, 100);
    h.add(1000, 200);
    h.add(2000, 5);
    expect(h.points()).toEqual([{ t: 2000, high: 5 }]);
  });
  it('ignores samples that do not move forward in time', () => {
    const h = new OffsetHistory(10);
    h.add(1000, 1);
    h.add(1000, 2);
    h.add(500, 3);
    expect(h.size).toBe(1);
  });
  it('thins the older half past capacity, keeping the first point and every recent one', () => {
    const h = new OffsetHistory(8);
    for (let i = 0; i <= 8; i++) h.add(i * 1000, i * 10);
    // 9 points > 8: older half (indices 0..3) keeps 0 and 2; the recent 5 stay.
    expect(h.points().map((p) => p.high)).toEqual([0, 20, 40, 50, 60, 70, 80]);
    // Interpolation still works across the thinned stretch: offset 29 -> high 30 at t=3000.
    expect(h.appendTime(29)).toBe(3000);
    expect(() => new OffsetHistory(3)).toThrow(/capacity/);
  });
  it('keeps every point across its growth (2, 4, 8 points of room) and after starting over', () => {
    const h = new OffsetHistory(10);
    for (let i = 1; i <= 7; i++) h.add(i * 1000, i * i);
    expect(h.points().map((p) => p.high)).toEqual([1, 4, 9, 16, 25, 36, 49]);
    // offset 29 -> high 30, between (5000, 25) and (6000, 36): 5000 + 5/11 * 1000.
    expect(h.appendTime(29)).toBeCloseTo(5000 + (5 / 11) * 1000, 9);
    h.add(8000, 49);
    h.add(9000, 49);
    expect(h.size).toBe(8);
    expect(h.points().at(-1)).toEqual({ t: 9000, high: 49 });
    h.add(10_000, 3);
    expect(h.points()).toEqual([{ t: 10_000, high: 3 }]);
    h.add(11_000, 4);
    expect(h.appendTime(3)).toBe(11_000);
  });
});

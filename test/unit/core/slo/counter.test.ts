import { describe, expect, it } from 'vitest';
import { counterIncrease, samplesInWindow, windowCounts } from '../../../../src/core/slo/index.js';

const s = (at: number, value: number) => ({ at, value });

describe('counterIncrease', () => {
  it('sums the deltas of a monotonic counter', () => {
    expect(counterIncrease([s(0, 10), s(1, 15), s(2, 30)])).toBe(20);
  });
  it('treats a drop as a restart from 0 (counter reset)', () => {
    // 10 -> 15 (+5), reset, 3 (+3 since the restart), 7 (+4) = 12
    expect(counterIncrease([s(0, 10), s(1, 15), s(2, 3), s(3, 7)])).toBe(12);
  });
  it('is 0 for fewer than two samples and for a flat counter', () => {
    expect(counterIncrease([])).toBe(0);
    expect(counterIncrease([s(0, 5)])).toBe(0);
    expect(counterIncrease([s(0, 5), s(1, 5)])).toBe(0);
  });
  it('rejects samples out of time order', () => {
    expect(() => counterIncrease([s(2, 1), s(1, 2)])).toThrow(/out of order at index 1/);
  });
});

describe('windowCounts', () => {
  it('counts increases inside the window, using the last sample before it as the base', () => {
    const total = [s(0, 0), s(60_000, 100), s(120_000, 200), s(180_000, 300)];
    const good = [s(0, 0), s(60_000, 100), s(120_000, 190), s(180_000, 280)];
    expect(samplesInWindow(total, 180_000, 120_000)).toEqual([s(60_000, 100), s(120_000, 200), s(180_000, 300)]);
    // last 2 minutes: 200 events, 180 good -> error ratio 0.1
    expect(windowCounts({ good, total }, 180_000, 120_000)).toEqual({ good: 180, total: 200 });
  });
  it('survives a reset of both counters inside the window', () => {
    const total = [s(0, 500), s(60_000, 600), s(120_000, 50)];
    const good = [s(0, 495), s(60_000, 595), s(120_000, 50)];
    expect(windowCounts({ good, total }, 120_000, 180_000)).toEqual({ good: 150, total: 150 });
  });
});

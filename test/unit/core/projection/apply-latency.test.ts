import { describe, expect, it } from 'vitest';
import { applyLatencies, samplingStride } from '../../../../src/core/projection/index.js';

const T0 = Date.UTC(2026, 0, 1);

describe('applyLatencies', () => {
  it('is appliedAt - event time per event, clamped at 0 with skew counted', () => {
    const r = applyLatencies(
      [
        { position: 1, timestamp: T0 - 2500 },
        { position: 2, timestamp: T0 - 100 },
        { position: 3, timestamp: T0 + 700 }, // written by a clock 0.7 s ahead
      ],
      T0,
    );
    expect(r.latencies).toEqual([2.5, 0.1, 0]);
    expect(r.skewed).toBe(1);
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

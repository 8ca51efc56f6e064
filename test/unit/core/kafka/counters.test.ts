import { describe, expect, it } from 'vitest';
import { redelivered } from '../../../../src/core/kafka/redelivery.js';
import { producedSince } from '../../../../src/core/kafka/produced.js';
import { breachSeconds, drainSeconds, rates } from '../../../../src/core/kafka/forecast.js';

describe('redelivered', () => {
  it('counts the offsets between the new and the old commit', () => {
    expect(redelivered(100, 40, 0)).toBe(60);
  });
  it('cannot re-deliver what retention removed', () => {
    expect(redelivered(100, 40, 70)).toBe(30);
  });
  it('is 0 when the commit moves forward, stays, or is new', () => {
    expect(redelivered(40, 100, 0)).toBe(0);
    expect(redelivered(40, 40, 0)).toBe(0);
    expect(redelivered(undefined, 40, 0)).toBe(0);
  });
});

describe('producedSince', () => {
  it('counts the high-watermark delta', () => {
    expect(producedSince(100, 130, true)).toBe(30);
  });
  it('counts the whole new log after a re-create', () => {
    expect(producedSince(100, 7, true)).toBe(7);
  });
  it('counts a partition added to a known topic in full, and a first-seen topic as a baseline', () => {
    expect(producedSince(undefined, 12, true)).toBe(12);
    expect(producedSince(undefined, 12, false)).toBe(0);
  });
});

describe('forecasts', () => {
  const w = [
    { t: 0, lag: 1000, committed: 0, high: 1000 },
    { t: 10_000, lag: 900, committed: 300, high: 1200 },
  ];
  it('rates are deltas over the window', () => {
    expect(rates(w)).toEqual({ consume: 30, produce: 20 });
    expect(rates(w.slice(0, 1))).toBeUndefined();
  });
  it('rates restart after a rewind in the window', () => {
    const r = rates([
      { t: 0, lag: 0, committed: 500, high: 500 },
      { t: 10_000, lag: 400, committed: 100, high: 500 },
      { t: 20_000, lag: 300, committed: 200, high: 500 },
    ]);
    expect(r).toEqual({ consume: 10, produce: 0 });
  });
  it('drain: lag / (consume - produce); 0 when caught up; none when not shrinking', () => {
    expect(drainSeconds(900, { consume: 30, produce: 20 })).toBe(90);
    expect(drainSeconds(0, { consume: 0, produce: 5 })).toBe(0);
    expect(drainSeconds(900, { consume: 20, produce: 30 })).toBeUndefined();
  });
  it('breach: staleness grows at 1 - consume/produce', () => {
    // 20 of 40 msg/s consumed: staleness grows 0.5 s/s; 60 s to go from 240 s to 300 s -> 120 s.
    expect(breachSeconds(240, 300, { consume: 20, produce: 40 }, 100)).toBe(120);
    // Nothing consumed: 1 s/s.
    expect(breachSeconds(240, 300, { consume: 0, produce: 0 }, 5)).toBe(60);
    expect(breachSeconds(400, 300, { consume: 20, produce: 40 }, 100)).toBe(0);
    expect(breachSeconds(240, 300, { consume: 40, produce: 20 }, 100)).toBeUndefined();
    expect(breachSeconds(undefined, 300, { consume: 0, produce: 1 }, 100)).toBeUndefined();
    expect(breachSeconds(0, 300, { consume: 0, produce: 1 }, 0)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { offsetLag } from '../../../../src/core/kafka/offset-lag.js';
import { timeLag } from '../../../../src/core/kafka/time-lag.js';
import { mostLagging, TimestampCache, type ReadWanted } from '../../../../src/core/kafka/timestamp-cache.js';

const lagging = offsetLag(10, { low: 0, high: 20 });
const caughtUp = offsetLag(20, { low: 0, high: 20 });

describe('timeLag', () => {
  it('is 0 when caught up, whatever the timestamps', () => {
    expect(timeLag({ lag: caughtUp, now: 1000 })).toEqual({ seconds: 0, method: 'caught_up', clamped: false });
  });
  it('prefers the exact record timestamp over interpolation', () => {
    expect(timeLag({ lag: lagging, now: 100_000, exact: 40_000, interpolated: 90_000 })).toEqual({ seconds: 60, method: 'exact', clamped: false });
  });
  it('falls back to interpolation', () => {
    expect(timeLag({ lag: lagging, now: 100_000, interpolated: 97_500 })).toEqual({ seconds: 2.5, method: 'interpolated', clamped: false });
  });
  it('reports nothing, with a reason, when neither method has data', () => {
    expect(timeLag({ lag: lagging, now: 100_000 })).toEqual({ seconds: undefined, reason: 'no_history' });
    expect(timeLag({ lag: lagging, now: 100_000, exact: null })).toEqual({ seconds: undefined, reason: 'no_timestamp' });
  });
  it('clamps a timestamp from the future (producer clock skew) to 0', () => {
    expect(timeLag({ lag: lagging, now: 100_000, exact: 103_000 })).toEqual({ seconds: 0, method: 'exact', clamped: true });
  });
});

describe('TimestampCache', () => {
  it('plans the most lagging uncached reads first, within the budget, once per offset', () => {
    const c = new TimestampCache();
    c.set('t', 0, 5, 1000);
    const plan = c.plan(
      [
        { topic: 't', partition: 0, offset: 5, lag: 100 },
        { topic: 't', partition: 1, offset: 7, lag: 10 },
        { topic: 't', partition: 2, offset: 9, lag: 50 },
        { topic: 't', partition: 2, offset: 9, lag: 60 },
        { topic: 't', partition: 3, offset: 1, lag: 1 },
      ],
      2,
    );
    expect(plan).toEqual([
      { topic: 't', partition: 2, offset: 9, lag: 60 },
      { topic: 't', partition: 1, offset: 7, lag: 10 },
    ]);
    expect(c.get('t', 0, 5)).toBe(1000);
  });
  it('forgets an entry once its commit moved (nobody wants that offset any more)', () => {
    const c = new TimestampCache();
    c.set('t', 0, 5, 1000);
    c.plan([{ topic: 't', partition: 0, offset: 6, lag: 3 }], 10);
    expect(c.get('t', 0, 5)).toBeUndefined();
    expect(c.size).toBe(0);
  });
});

describe('mostLagging', () => {
  const w = (partition: number, lag: number): ReadWanted => ({ topic: 't', partition, offset: 0, lag });
  it('keeps the first budget items of a stable sort by lag, descending', () => {
    const items = [w(0, 5), w(1, 9), w(2, 5), w(3, 1), w(4, 9), w(5, 7)];
    expect(mostLagging(items, 3).map((x) => x.partition)).toEqual([1, 4, 5]);
    expect(mostLagging(items, 4).map((x) => x.partition)).toEqual([1, 4, 5, 0]);
    // Ties keep their arrival order: 0 before 2.
    expect(mostLagging(items, 10).map((x) => x.partition)).toEqual([1, 4, 5, 0, 2, 3]);
    expect(mostLagging(items, 0)).toEqual([]);
  });
  it('matches a full sort on many items with many ties', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) % 20;
    const items = Array.from({ length: 5000 }, (_, i) => w(i, rnd()));
    const sorted = [...items].sort((a, b) => b.lag - a.lag);
    for (const budget of [1, 50, 777]) expect(mostLagging(items, budget)).toEqual(sorted.slice(0, budget));
  });
});

import { describe, expect, it } from 'vitest';
import { offsetLag } from '../../../../src/core/kafka/offset-lag.js';
import { TIME_LAG_CLAMPED, TIME_LAG_NO_HISTORY, TIME_LAG_NO_TIMESTAMP, timeLag, timeLagSeconds, timeLagValue } from '../../../../src/core/kafka/time-lag.js';
import { TimestampCache } from '../../../../src/core/kafka/timestamp-cache.js';

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

describe('timeLagValue', () => {
  // The history says offset 10 was appended at 97 500 ms; it counts how often it is asked.
  let asked = 0;
  const history = {
    appendTime: (o: number) => {
      asked++;
      return o === 10 ? 97_500 : undefined;
    },
  };
  it('is the seconds of timeLag, or a code for clamped / unavailable', () => {
    expect(timeLagValue(0, 20, 1000, undefined, history)).toBe(0);
    expect(timeLagValue(10, 10, 100_000, 40_000, history)).toBe(60);
    expect(timeLagValue(10, 10, 100_000, undefined, history)).toBe(2.5);
    expect(timeLagValue(10, 11, 100_000, undefined, history)).toBe(TIME_LAG_NO_HISTORY);
    expect(timeLagValue(10, 10, 100_000, undefined, undefined)).toBe(TIME_LAG_NO_HISTORY);
    expect(timeLagValue(10, 11, 100_000, null, history)).toBe(TIME_LAG_NO_TIMESTAMP);
    // A record without timestamp still falls back to interpolation, as timeLag does.
    expect(timeLagValue(10, 10, 100_000, null, history)).toBe(2.5);
    expect(timeLagValue(10, 10, 100_000, 103_000, history)).toBe(TIME_LAG_CLAMPED);
  });
  it('asks the history only without an exact timestamp', () => {
    asked = 0;
    timeLagValue(10, 10, 100_000, 40_000, history);
    timeLagValue(0, 10, 100_000, undefined, history);
    expect(asked).toBe(0);
    timeLagValue(10, 10, 100_000, undefined, history);
    expect(asked).toBe(1);
  });
  it('timeLagSeconds: seconds as timeLag gives them (0 when clamped, undefined when unavailable)', () => {
    expect([60, 0, TIME_LAG_CLAMPED, TIME_LAG_NO_HISTORY, TIME_LAG_NO_TIMESTAMP].map(timeLagSeconds)).toEqual([60, 0, 0, undefined, undefined]);
  });
  it('agrees with timeLag on the same inputs', () => {
    for (const [exact, interpolated] of [
      [40_000, 90_000],
      [undefined, 97_500],
      [undefined, undefined],
      [null, undefined],
      [103_000, undefined],
    ] as const) {
      const v = timeLagValue(lagging.lag, lagging.firstUnconsumed, 100_000, exact, { appendTime: () => interpolated });
      expect(timeLagSeconds(v)).toBe(timeLag({ lag: lagging, now: 100_000, exact, interpolated }).seconds);
    }
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

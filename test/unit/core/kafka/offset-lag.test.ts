import { describe, expect, it } from 'vitest';
import { offsetLag } from '../../../../src/core/kafka/offset-lag.js';
import { aggregateLag } from '../../../../src/core/kafka/aggregate.js';

describe('offsetLag', () => {
  it('is high - committed', () => {
    expect(offsetLag(70, { low: 0, high: 100 })).toEqual({
      lag: 30,
      uncommitted: false,
      kind: 'offset',
      position: 70,
      belowLowWatermark: false,
      firstUnconsumed: 70,
    });
  });
  it('is 0, never negative, when the commit is at or past the high watermark', () => {
    expect(offsetLag(100, { low: 0, high: 100 }).lag).toBe(0);
    expect(offsetLag(105, { low: 0, high: 100 }).lag).toBe(0);
  });
  it('counts from the low watermark without a commit and flags it', () => {
    expect(offsetLag(undefined, { low: 40, high: 100 })).toEqual({
      lag: 60,
      uncommitted: true,
      kind: undefined,
      position: 40,
      belowLowWatermark: false,
      firstUnconsumed: 40,
    });
    // Negative values other than the -1/-2 sentinels are no commit.
    expect(offsetLag(-3, { low: 40, high: 100 }).uncommitted).toBe(true);
  });
  it('keeps trimmed messages in the lag but points the oldest readable message at the low watermark', () => {
    expect(offsetLag(10, { low: 40, high: 100 })).toEqual({
      lag: 90,
      uncommitted: false,
      kind: 'offset',
      position: 10,
      belowLowWatermark: true,
      firstUnconsumed: 40,
    });
  });
  it('counts the earliest sentinel (-2) from the low watermark, as a commit', () => {
    expect(offsetLag(-2, { low: 40, high: 100 })).toEqual({
      lag: 60,
      uncommitted: false,
      kind: 'earliest',
      position: 40,
      belowLowWatermark: false,
      firstUnconsumed: 40,
    });
  });
  it('counts the latest sentinel (-1) from the high watermark: nothing to consume', () => {
    expect(offsetLag(-1, { low: 40, high: 100 })).toEqual({
      lag: 0,
      uncommitted: false,
      kind: 'latest',
      position: 100,
      belowLowWatermark: false,
      firstUnconsumed: 100,
    });
  });
});

describe('aggregateLag', () => {
  it('sums and maxes per topic and per group', () => {
    const r = aggregateLag([
      { topic: 'a', lag: 5, seconds: 10 },
      { topic: 'a', lag: 7, seconds: 3 },
      { topic: 'b', lag: 0, seconds: 0 },
    ]);
    expect(r.byTopic.get('a')).toEqual({ sum: 12, max: 7, seconds: 10, partitions: 2 });
    expect(r.byTopic.get('b')).toEqual({ sum: 0, max: 0, seconds: 0, partitions: 1 });
    expect(r.group).toEqual({ sum: 12, max: 7, seconds: 10, partitions: 3 });
  });
  it('has no time lag when a lagging partition has none (a partial max would understate)', () => {
    const r = aggregateLag([
      { topic: 'a', lag: 5, seconds: 10 },
      { topic: 'a', lag: 2, seconds: undefined },
      { topic: 'b', lag: 1, seconds: 4 },
    ]);
    expect(r.byTopic.get('a')!.seconds).toBeUndefined();
    expect(r.byTopic.get('b')!.seconds).toBe(4);
    expect(r.group.seconds).toBeUndefined();
  });
});

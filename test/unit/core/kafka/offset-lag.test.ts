import { describe, expect, it } from 'vitest';
import { offsetLag, resumePosition, uncommittedPosition } from '../../../../src/core/kafka/offset-lag.js';
import { aggregateLag, LagSum } from '../../../../src/core/kafka/aggregate.js';

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
  it('without a commit, counts from the high watermark it was first seen at, and flags it', () => {
    // First sighting: the history (40..100) is not lag; nothing is known to be unconsumed.
    expect(offsetLag(undefined, { low: 40, high: 100 })).toEqual({
      lag: 0,
      uncommitted: true,
      kind: undefined,
      position: 100,
      belowLowWatermark: false,
      firstUnconsumed: 100,
    });
    // Later, still no commit: what arrived since (130 - 100) is lag.
    expect(offsetLag(undefined, { low: 40, high: 130 }, 100)).toEqual({
      lag: 30,
      uncommitted: true,
      kind: undefined,
      position: 100,
      belowLowWatermark: false,
      firstUnconsumed: 100,
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

describe('uncommittedPosition', () => {
  it('is the high watermark at the first sighting, then kept, within the log bounds', () => {
    expect(uncommittedPosition(undefined, 40, 100)).toBe(100);
    expect(uncommittedPosition(100, 40, 130)).toBe(100);
    // Retention moved the low watermark past it: the records below are gone, count from the low.
    expect(uncommittedPosition(100, 120, 130)).toBe(120);
    // The topic was re-created (high watermark fell below it): count from the new high.
    expect(uncommittedPosition(100, 0, 7)).toBe(7);
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

describe('resumePosition', () => {
  it('is the commit, the low/high watermark for -2/-1, NaN for no commit (offsetLag position in numbers)', () => {
    expect(resumePosition(70, 40, 100)).toBe(70);
    expect(resumePosition(0, 40, 100)).toBe(0);
    expect(resumePosition(-2, 40, 100)).toBe(40);
    expect(resumePosition(-1, 40, 100)).toBe(100);
    expect(resumePosition(Number.NaN, 40, 100)).toBeNaN();
    expect(resumePosition(-3, 40, 100)).toBeNaN();
    for (const c of [70, 10, -2, -1]) expect(resumePosition(c, 40, 100)).toBe(offsetLag(c, { low: 40, high: 100 }).position);
  });
});

describe('LagSum', () => {
  it('sums one partition at a time: sum 5+7+0 = 12, max 7, seconds max(10, 3, 0) = 10', () => {
    const s = new LagSum();
    s.add(5, 10);
    s.add(7, 3);
    s.add(0, 0);
    expect(s.result()).toEqual({ sum: 12, max: 7, seconds: 10, partitions: 3 });
  });
  it('unknown seconds of a lagging partition make the time lag unknown; of a caught-up one they do not', () => {
    const s = new LagSum();
    s.add(0, undefined);
    s.add(4, 2.5);
    expect(s.result()).toEqual({ sum: 4, max: 4, seconds: 2.5, partitions: 2 });
    s.add(1, undefined);
    expect(s.result().seconds).toBeUndefined();
  });
  it('nothing added: zeros, 0 s', () => {
    expect(new LagSum().result()).toEqual({ sum: 0, max: 0, seconds: 0, partitions: 0 });
  });
});

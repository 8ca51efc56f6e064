import { describe, expect, it } from 'vitest';
import { drainRate, drainSeconds, drainVerdict, etaSeconds } from '../../../../src/core/verify/drain.js';

const T = 1_000_000;
const s = (sec: number, backlog: number) => ({ at: T + sec * 1000, backlog });

describe('drainRate', () => {
  it('is the slope between the oldest sample in the window and the newest', () => {
    // window 10 s from t=20: first sample at/after t=10 is (10, 600); (600 - 300) / 10 = 30/s
    expect(drainRate([s(0, 900), s(10, 600), s(15, 500), s(20, 300)], 10)).toBe(30);
  });
  it('is negative while the backlog grows', () => {
    expect(drainRate([s(0, 100), s(4, 300)], 60)).toBe(-50);
  });
  it('is undefined with one sample in the window or none', () => {
    expect(drainRate([], 10)).toBeUndefined();
    expect(drainRate([s(0, 900), s(30, 600)], 10)).toBeUndefined();
  });
});

describe('etaSeconds', () => {
  it('is the backlog above the target over the rate', () => {
    expect(etaSeconds(1200, 0, 30)).toBe(40);
    expect(etaSeconds(1200, 200, 25)).toBe(40);
  });
  it('is 0 at the target and undefined when not shrinking', () => {
    expect(etaSeconds(0, 0, undefined)).toBe(0);
    expect(etaSeconds(5, 10, -3)).toBe(0);
    expect(etaSeconds(100, 0, 0)).toBeUndefined();
    expect(etaSeconds(100, 0, -2)).toBeUndefined();
    expect(etaSeconds(100, 0, undefined)).toBeUndefined();
  });
});

describe('drainVerdict', () => {
  const base = { limit: 900, resumedAt: T, streamWatched: true, lost: 0, duplicated: 0 };
  it('passes: drained in 600 s of a 900 s limit, nothing lost or duplicated', () => {
    const v = drainVerdict({ ...base, drainedAt: T + 600_000 });
    expect(v).toEqual({ pass: true, reasons: [] });
    expect(drainSeconds({ resumedAt: T, drainedAt: T + 600_000 })).toBe(600);
  });
  it('passes at exactly the limit, fails 1 ms over it', () => {
    expect(drainVerdict({ ...base, drainedAt: T + 900_000 }).pass).toBe(true);
    expect(drainVerdict({ ...base, drainedAt: T + 900_001 }).reasons).toEqual(['backlog drained in 900.001 s, over the 900 s limit']);
  });
  it('fails when never drained, and says so when the backlog was unreadable', () => {
    expect(drainVerdict(base).reasons).toEqual(['backlog not drained within 900 s of the resume']);
    expect(drainVerdict({ ...base, backlogUnreadable: true }).reasons).toEqual(['backlog unreadable at the end of the run']);
  });
  it('fails on lost, duplicated and re-delivered events, each named with its count', () => {
    const v = drainVerdict({ ...base, drainedAt: T + 1000, lost: 3, duplicated: 1, redelivered: 2 });
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual([
      '3 lost events (missing aggregate versions)',
      '1 duplicated event',
      '2 messages re-delivered (committed offset moved backwards)',
    ]);
  });
  it('fails when the watched stream could not be read: unknown is not zero', () => {
    expect(drainVerdict({ ...base, drainedAt: T + 1000, lost: undefined }).reasons).toEqual([
      'lost and duplicated events unknown: the stream could not be read',
    ]);
  });
  it('ignores lost and duplicated counts when no stream is watched', () => {
    expect(drainVerdict({ limit: 10, resumedAt: T, drainedAt: T + 1000, streamWatched: false }).pass).toBe(true);
  });
});

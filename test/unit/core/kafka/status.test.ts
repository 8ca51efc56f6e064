import { describe, expect, it } from 'vitest';
import { groupStatus, isLagging, isRewound, isStalled, slope } from '../../../../src/core/kafka/status.js';
import { SampleRing, windowOf } from '../../../../src/core/kafka/sample-window.js';
import type { GroupTotals, PartitionPoint } from '../../../../src/core/kafka/types.js';

const pt = (t: number, committed: number | undefined, high: number, low = 0): PartitionPoint => ({ t, committed, high, low });
const tot = (t: number, lag: number): GroupTotals => ({ t, lag, committed: 0, high: 0 });

describe('status rules', () => {
  it('OK on the first cycle with lag (no history needed to be OK)', () => {
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf([pt(0, 5, 10)])], totals: [tot(0, 5)] })).toBe('OK');
  });
  it('ERROR when the offsets could not be read, before anything else', () => {
    expect(groupStatus({ readable: false, members: 0, partitions: [], totals: [] })).toBe('ERROR');
  });
  it('STOPPED from the first cycle when the group has no member and lag', () => {
    expect(groupStatus({ readable: true, members: 0, partitions: [windowOf([pt(0, 5, 10)])], totals: [tot(0, 5)] })).toBe('STOPPED');
    // No lag: an empty group that consumed everything is fine.
    expect(groupStatus({ readable: true, members: 0, partitions: [windowOf([pt(0, 10, 10)])], totals: [tot(0, 0)] })).toBe('OK');
    // Members unknown (KIP-848 group through kafkajs): never STOPPED from membership.
    expect(groupStatus({ readable: true, members: undefined, partitions: [windowOf([pt(0, 5, 10)])], totals: [tot(0, 5)] })).toBe('OK');
  });
  it('STALLED after the commit stood still for 3 samples while its record existed', () => {
    const w = [pt(0, 5, 10), pt(15, 5, 10), pt(30, 5, 12)];
    expect(isStalled(windowOf(w), 3)).toBe(true);
    expect(isStalled(windowOf(w.slice(0, 2)), 3)).toBe(false);
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(w)], totals: w.map((p) => tot(p.t, 5)) })).toBe('STALLED');
  });
  it('is not STALLED right after a new message on an idle partition (Burrow #303)', () => {
    // Caught up at offset 5 for a long time, one message arrives before the last sample.
    const w = [pt(0, 5, 5), pt(15, 5, 5), pt(30, 5, 6)];
    expect(isStalled(windowOf(w), 3)).toBe(false);
    // Still not consumed one interval later: the record has existed for only 2 of 3 samples.
    expect(isStalled(windowOf([...w, pt(45, 5, 6)]), 3)).toBe(false);
    // And a third: now the consumer had two full intervals.
    expect(isStalled(windowOf([...w, pt(45, 5, 6), pt(60, 5, 6)]), 3)).toBe(true);
  });
  it('is not STALLED while the commit moves', () => {
    expect(isStalled(windowOf([pt(0, 5, 10), pt(15, 6, 11), pt(30, 7, 12)]), 3)).toBe(false);
  });
  it('REWOUND when a commit moved back, even if the lag was zero before (Burrow #716)', () => {
    const w = [pt(0, 100, 100), pt(15, 100, 100), pt(30, 40, 100)];
    expect(isRewound(windowOf(w))).toBe(true);
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(w)], totals: [tot(0, 0), tot(15, 0), tot(30, 60)] })).toBe('REWOUND');
    // REWOUND outranks STOPPED.
    expect(groupStatus({ readable: true, members: 0, partitions: [windowOf(w)], totals: [] })).toBe('REWOUND');
  });
  it('LAGGING when the lag trends up while consuming, even with a dip (Burrow PR #533)', () => {
    const totals = [tot(0, 10), tot(15_000, 30), tot(30_000, 25), tot(45_000, 50)];
    expect(isLagging(totals, 3)).toBe(true);
    const w = [pt(0, 0, 10), pt(15_000, 10, 40), pt(30_000, 35, 60), pt(45_000, 40, 90)];
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(w)], totals })).toBe('LAGGING');
  });
  it('not LAGGING when the lag shrinks overall, is back to zero, or history is short', () => {
    expect(isLagging([tot(0, 50), tot(15, 60), tot(30, 40)], 3)).toBe(false);
    expect(isLagging([tot(0, 10), tot(15, 30), tot(30, 0)], 3)).toBe(false);
    expect(isLagging([tot(0, 10), tot(15, 30)], 3)).toBe(false);
  });
  it('slope is the least-squares trend', () => {
    expect(
      slope([
        { t: 0, y: 1 },
        { t: 1, y: 3 },
        { t: 2, y: 5 },
      ]),
    ).toBeCloseTo(2);
    expect(slope([{ t: 5, y: 1 }])).toBe(0);
  });
});

describe('SampleRing', () => {
  it('keeps the last `capacity` samples, oldest first, with undefined commits', () => {
    const r = new SampleRing(3);
    expect(r.length).toBe(0);
    r.push(1, 0, 10);
    r.push(undefined, 2, 11);
    expect([r.length, r.committed(0), r.committed(1), r.low(1), r.high(1)]).toEqual([2, 1, undefined, 2, 11]);
    r.push(3, 0, 12);
    r.push(4, 1, 13);
    r.push(5, 1, 14);
    expect(r.length).toBe(3);
    expect([0, 1, 2].map((i) => [r.committed(i), r.low(i), r.high(i)])).toEqual([
      [3, 0, 12],
      [4, 1, 13],
      [5, 1, 14],
    ]);
    expect(() => r.committed(3)).toThrow('sample 3 out of range 0..2');
  });
  it('feeds the rules the same as the list of points it was built from', () => {
    const r = new SampleRing(3);
    for (const p of [pt(0, 9, 9), pt(15, 100, 100), pt(30, 100, 100), pt(45, 40, 100)]) r.push(p.committed, p.low, p.high);
    expect(isRewound(r)).toBe(true);
    const s = new SampleRing(3);
    for (const p of [pt(0, 1, 2), pt(15, 5, 10), pt(30, 5, 10), pt(45, 5, 12)]) s.push(p.committed, p.low, p.high);
    expect(isStalled(s, 3)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { allowedLag, groupStatus, isDraining, isLagging } from '../../../../src/core/kafka/status.js';
import { comparable, drainForecast, rates, rebaseLag } from '../../../../src/core/kafka/forecast.js';
import { windowOf } from '../../../../src/core/kafka/sample-window.js';
import type { GroupTotals, PartitionPoint } from '../../../../src/core/kafka/types.js';

const pt = (t: number, committed: number | undefined, high: number, low = 0): PartitionPoint => ({ t, committed, high, low });
const tot = (t: number, lag: number, committed: number, high: number, shape?: string): GroupTotals => ({
  t,
  lag,
  committed,
  high,
  ...(shape ? { shape } : {}),
});

/**
 * Three partitions of a kafkajs consumer draining a backlog, 1 s apart. Partition 0 is being
 * worked through (its commit moves 50 a sample); partitions 1 and 2 wait their turn (commits
 * stand still, lag > 0, records long present): alone they satisfy the partition stall rule.
 */
const waiting = [pt(0, 100, 300), pt(1000, 100, 307), pt(2000, 100, 314)];
const working = [pt(0, 0, 300), pt(1000, 50, 306), pt(2000, 100, 313)];

describe('STALLED vs draining (kafkajs works one partition at a time)', () => {
  it('a group consuming faster than production over the window is not STALLED: OK', () => {
    // Sums: committed 200 -> 250 -> 300 (+50/s), high 900 -> 920 -> 941 (+20.5/s).
    const totals = [tot(0, 700, 200, 900), tot(1000, 670, 250, 920), tot(2000, 641, 300, 941)];
    expect(rates(totals)).toEqual({ consume: 50, produce: 20.5 });
    expect(isDraining(totals)).toBe(true);
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(working), windowOf(waiting), windowOf(waiting)], totals })).toBe('OK');
  });
  it('the same partitions with consumption below production are STALLED', () => {
    // committed +10/s, high +20/s: lag 700 -> 710 -> 720.
    const totals = [tot(0, 700, 200, 900), tot(1000, 710, 210, 920), tot(2000, 720, 220, 940)];
    expect(isDraining(totals)).toBe(false);
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(working), windowOf(waiting)], totals })).toBe('STALLED');
  });
  it('consumption equal to production is not draining: a stuck partition on an idle topic is STALLED', () => {
    // Others keep up exactly (+20/+20); the stuck partition gets nothing new: lag stays 5.
    const totals = [tot(0, 5, 100, 105), tot(1000, 5, 120, 125), tot(2000, 5, 140, 145)];
    expect(isDraining(totals)).toBe(false);
    const stuck = [pt(0, 10, 15), pt(1000, 10, 15), pt(2000, 10, 15)];
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(stuck)], totals })).toBe('STALLED');
  });
  it('a change of the summed partitions restarts the window (a new topic is not a burst of production)', () => {
    // The group starts committing on topic b (600 messages of backlog) at t=1000.
    const totals = [tot(0, 0, 50, 50, 'a:1'), tot(1000, 600, 100, 700, 'a:1,b:3'), tot(2000, 560, 160, 720, 'a:1,b:3'), tot(3000, 520, 220, 740, 'a:1,b:3')];
    expect(comparable(totals)).toHaveLength(3);
    // From t=1000: committed +60/s, high +20/s. Over the whole window it would be +56.7 vs +230.
    expect(rates(totals)).toEqual({ consume: 60, produce: 20 });
    expect(isDraining(totals)).toBe(true);
  });
  it('STOPPED outranks STALLED, and a draining window does not hide STOPPED', () => {
    const totals = [tot(0, 700, 200, 900), tot(1000, 670, 250, 920), tot(2000, 641, 300, 941)];
    expect(groupStatus({ readable: true, members: 0, partitions: [windowOf(waiting)], totals })).toBe('STOPPED');
  });
  it('a rewind still wins over a draining window (Burrow #716)', () => {
    const rewound = [pt(0, 100, 100), pt(1000, 100, 100), pt(2000, 40, 100)];
    const totals = [tot(0, 0, 100, 100), tot(1000, 0, 100, 100), tot(2000, 60, 40, 100)];
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(rewound)], totals })).toBe('REWOUND');
  });
  it('Burrow #303 stays fixed: a fresh message on an idle partition is not a stall, draining or not', () => {
    const w = [pt(0, 5, 5), pt(1000, 5, 5), pt(2000, 5, 6)];
    const totals = [tot(0, 0, 5, 5), tot(1000, 0, 5, 5), tot(2000, 1, 5, 6)];
    // Not STALLED; and a lag of 1 is within one interval of production (0.5/s -> 1 allowed).
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(w)], totals, allowedLag: allowedLag({ productionSeconds: 1 }, totals) })).toBe('OK');
    expect(groupStatus({ readable: true, members: 1, partitions: [windowOf(w)], totals })).toBe('LAGGING');
  });
});

describe('allowed lag (LAGGING only above it)', () => {
  // A healthy consumer at 20 msg/s sampled every second: lag 0, 0, 1 (the user's report).
  const healthy = [tot(0, 0, 0, 0), tot(1000, 0, 20, 20), tot(2000, 1, 39, 40)];
  it('is the production of `productionSeconds` at the window rate, rounded up; 0 without rates', () => {
    expect(allowedLag({ productionSeconds: 1 }, healthy)).toBe(20); // 40 messages in 2 s
    expect(allowedLag({ productionSeconds: 15 }, healthy)).toBe(300);
    expect(allowedLag({ productionSeconds: 1 }, [tot(0, 0, 0, 0), tot(3000, 0, 4, 4)])).toBe(2); // 1.33/s -> 2
    expect(allowedLag({ productionSeconds: 1 }, healthy.slice(0, 1))).toBe(0);
    expect(allowedLag({ messages: 7 }, healthy)).toBe(7);
  });
  it('a total lag of 1 while keeping up is OK with the default allowance, LAGGING without one', () => {
    expect(isLagging(healthy, 3, 0)).toBe(true);
    expect(isLagging(healthy, 3, 20)).toBe(false);
    const partitions = [windowOf([pt(0, 0, 0), pt(1000, 20, 20), pt(2000, 39, 40)])];
    expect(groupStatus({ readable: true, members: 1, partitions, totals: healthy })).toBe('LAGGING');
    expect(groupStatus({ readable: true, members: 1, partitions, totals: healthy, allowedLag: allowedLag({ productionSeconds: 1 }, healthy) })).toBe('OK');
  });
  it('growth past the allowance is LAGGING', () => {
    // Consumes 10/s of 20/s: lag 0 -> 10 -> 21 -> 30 > 20 allowed.
    const totals = [tot(0, 0, 0, 0), tot(1000, 10, 10, 20), tot(2000, 21, 19, 40), tot(3000, 30, 30, 60)];
    const allowed = allowedLag({ productionSeconds: 1 }, totals);
    expect(allowed).toBe(20);
    expect(isLagging(totals, 3, allowed)).toBe(true);
    expect(isLagging(totals, 3, 30)).toBe(false); // exactly the allowance is still OK
    expect(
      groupStatus({
        readable: true,
        members: 1,
        partitions: [windowOf([pt(0, 0, 0), pt(1000, 10, 20), pt(2000, 19, 40), pt(3000, 30, 60)])],
        totals,
        allowedLag: allowed,
      }),
    ).toBe('LAGGING');
  });
});

describe('drain forecast gate', () => {
  const r = { consume: 30, produce: 20 };
  it('is lag / (consume - produce) for a consuming group, 0 when caught up', () => {
    expect(drainForecast({ status: 'OK', members: 2, lag: 900, rates: r })).toBe(90);
    expect(drainForecast({ status: 'LAGGING', members: 2, lag: 900, rates: { consume: 20, produce: 30 } })).toBeUndefined();
    expect(drainForecast({ status: 'REWOUND', members: 1, lag: 300, rates: r })).toBe(30);
    expect(drainForecast({ status: 'OK', members: 1, lag: 0, rates: undefined })).toBe(0);
    // Members unknown (a KIP-848 group the client cannot describe): no gate on membership.
    expect(drainForecast({ status: 'OK', members: undefined, lag: 900, rates: r })).toBe(90);
  });
  it('is absent for STOPPED, STALLED, ERROR and groups without members, whatever the window rates say', () => {
    // The user's report: a STOPPED group whose window still held earlier consumption.
    expect(drainForecast({ status: 'STOPPED', members: 0, lag: 900, rates: r })).toBeUndefined();
    expect(drainForecast({ status: 'STALLED', members: 1, lag: 900, rates: r })).toBeUndefined();
    expect(drainForecast({ status: 'ERROR', members: 1, lag: 900, rates: r })).toBeUndefined();
    expect(drainForecast({ status: 'OK', members: 0, lag: 0, rates: r })).toBeUndefined();
  });
});

describe('rebaseLag: a first commit below where the uncommitted lag counted from', () => {
  // A draining group: total lag 5, 4, 3; then a partition's first commit shows 37 more messages
  // behind than its uncommitted lag counted, and the group drained one more: 3 - 1 + 37 = 39.
  const at = (i: number, lag: number): GroupTotals => ({ t: i * 10_000, lag, committed: 1000 + i * 20, high: 1005 + i * 19 });
  const before = [at(0, 5), at(1, 4), at(2, 3)];
  const now = at(3, 39);

  it('read as it was, the jump is growth: LAGGING', () => {
    expect(isLagging([...before, now], 3, 10)).toBe(true);
  });

  it('rebased, the window reads 42, 41, 40, 39: draining, not LAGGING; positions and high watermarks unchanged', () => {
    const rebased = rebaseLag(before, 37);
    expect(rebased.map((g) => g.lag)).toEqual([42, 41, 40]);
    expect(rebased.map((g) => [g.committed, g.high])).toEqual(before.map((g) => [g.committed, g.high]));
    expect(isLagging([...rebased, now], 3, 10)).toBe(false);
    expect(before.map((g) => g.lag)).toEqual([5, 4, 3]);
  });
});

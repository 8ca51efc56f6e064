import { describe, expect, it } from 'vitest';
import { eventCounts, freshnessTick, latencyCounts, type FreshnessPolicy, type FreshnessReading } from '../../../../src/core/slo/index.js';

const DEFAULT: FreshnessPolicy = { unknown: 'exclude', duringRebuild: 'exclude' };
const BAD: FreshnessPolicy = { unknown: 'bad', duringRebuild: 'exclude' };
const COUNT: FreshnessPolicy = { unknown: 'exclude', duringRebuild: 'count' };
const GRACE = 60;
const read = (staleness: number | undefined, more: Partial<FreshnessReading> = {}): FreshnessReading => ({
  seen: true,
  staleness,
  rebuilding: false,
  sinceStart: 600,
  ...more,
});
const tick = (r: FreshnessReading, p: FreshnessPolicy = DEFAULT) => freshnessTick(r, 30, p, GRACE);

/** Sums the ticks of a run, as the counters would. */
function run(readings: FreshnessReading[], p: FreshnessPolicy) {
  const out = { good: 0, total: 0, unreadable: 0, rebuilding: 0, skipped: 0 };
  for (const r of readings) {
    const c = tick(r, p);
    if (!c) {
      out.skipped++;
      continue;
    }
    out.good += c.good;
    out.total += c.total;
    if (c.unknown) out[c.unknown.reason] += c.unknown.count;
  }
  return out;
}

describe('freshness ticks', () => {
  it('good at or under the threshold, bad above it', () => {
    expect(tick(read(30))).toEqual({ good: 1, total: 1 });
    expect(tick(read(0))).toEqual({ good: 1, total: 1 });
    expect(tick(read(30.5))).toEqual({ good: 0, total: 1 });
  });

  it('unreadable: unknown by default (neither good nor bad), a bad tick with unknown: bad', () => {
    expect(tick(read(undefined))).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
    expect(tick(read(undefined), BAD)).toEqual({ good: 0, total: 1 });
    expect(tick(read(undefined), COUNT)).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
  });

  it('an outage of 3 ticks between caught-up ticks: 4/4 good + 3 unknown by default, 4/7 with unknown: bad', () => {
    // 2 good, the store is down for 3 ticks (45 s at 15 s ticks), 2 good again.
    const readings = [read(0), read(2), read(undefined), read(undefined), read(undefined), read(1), read(0)];
    expect(run(readings, DEFAULT)).toEqual({ good: 4, total: 4, unreadable: 3, rebuilding: 0, skipped: 0 });
    expect(run(readings, BAD)).toEqual({ good: 4, total: 7, unreadable: 0, rebuilding: 0, skipped: 0 });
    // coverage = total / (total + unknown) = 4 / 7 by default, 7 / 7 with unknown: bad
  });

  it('rebuilding: unknown (rebuilding) whatever the staleness, unless duringRebuild: count', () => {
    const stale = read(3600, { rebuilding: true });
    expect(tick(stale)).toEqual({ good: 0, total: 0, unknown: { reason: 'rebuilding', count: 1 } });
    expect(tick(read(5, { rebuilding: true }))).toEqual({ good: 0, total: 0, unknown: { reason: 'rebuilding', count: 1 } });
    // unknown: bad is about blindness, not rebuilds
    expect(tick(stale, BAD)).toEqual({ good: 0, total: 0, unknown: { reason: 'rebuilding', count: 1 } });
    expect(tick(stale, COUNT)).toEqual({ good: 0, total: 1 });
    expect(tick(read(5, { rebuilding: true }), COUNT)).toEqual({ good: 1, total: 1 });
    // rebuilding but the value could not be read: still a rebuild tick when excluded
    expect(tick(read(undefined, { rebuilding: true }))).toEqual({ good: 0, total: 0, unknown: { reason: 'rebuilding', count: 1 } });
    expect(tick(read(undefined, { rebuilding: true }), { unknown: 'bad', duringRebuild: 'count' })).toEqual({ good: 0, total: 1 });
  });

  it('a rebuild of 4 ticks then caught up: 2/2 + 4 rebuilding by default, 2/6 when counted', () => {
    const readings = [read(0), ...Array.from({ length: 4 }, (_, i) => read(7200 - i * 15, { rebuilding: true })), read(3)];
    expect(run(readings, DEFAULT)).toEqual({ good: 2, total: 2, unreadable: 0, rebuilding: 4, skipped: 0 });
    expect(run(readings, COUNT)).toEqual({ good: 2, total: 6, unreadable: 0, rebuilding: 0, skipped: 0 });
  });

  it('startup grace: skipped before the first reading, unknown (or bad) after the grace', () => {
    const unseen = (sinceStart: number): FreshnessReading => ({ seen: false, staleness: undefined, rebuilding: false, sinceStart });
    expect(tick(unseen(0))).toBeUndefined();
    expect(tick(unseen(59.9))).toBeUndefined();
    expect(tick(unseen(59.9), BAD)).toBeUndefined();
    expect(tick(unseen(60))).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
    expect(tick(unseen(60), BAD)).toEqual({ good: 0, total: 1 });
    // seen within the grace: judged at once
    expect(tick(read(3, { sinceStart: 1 }))).toEqual({ good: 1, total: 1 });
    expect(tick(read(undefined, { sinceStart: 1 }))).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
    // 15 s ticks, first reading at 75 s: ticks at 0, 15, 30, 45 skipped; 60 unknown; 75, 90 judged
    const readings = [0, 15, 30, 45, 60].map(unseen).concat([read(4, { sinceStart: 75 }), read(40, { sinceStart: 90 })]);
    expect(run(readings, DEFAULT)).toEqual({ good: 1, total: 2, unreadable: 1, rebuilding: 0, skipped: 4 });
    expect(run(readings, BAD)).toEqual({ good: 1, total: 3, unreadable: 0, rebuilding: 0, skipped: 4 });
  });
});

describe('event ticks', () => {
  it('latency: counts events within the threshold', () => {
    expect(latencyCounts([0.1, 5, 5.01, 12], 5)).toEqual({ good: 2, total: 4 });
    expect(latencyCounts([], 5)).toEqual({ good: 0, total: 0 });
  });
  it('events: good = total - bad, clamped', () => {
    expect(eventCounts(100, 3)).toEqual({ good: 97, total: 100 });
    expect(eventCounts(2, 5)).toEqual({ good: 0, total: 2 });
  });
});

describe('freshness tick of a target another replica reads (sharding)', () => {
  it('is skipped, never unknown and never bad, whatever the unknown policy', () => {
    const elsewhere = read(undefined, { seen: false, elsewhere: true });
    expect(tick(elsewhere, DEFAULT)).toBeUndefined();
    expect(tick(elsewhere, BAD)).toBeUndefined();
    // The same unread target that is nobody else's: unknown, or bad with `unknown: bad`.
    expect(tick(read(undefined, { seen: false }), DEFAULT)).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
    expect(tick(read(undefined, { seen: false }), BAD)).toEqual({ good: 0, total: 1 });
  });
});

describe('SliBoard elsewhere marks', () => {
  it('a staleness written for the target (the group came back to this replica) clears the mark', async () => {
    const { SliBoard } = await import('../../../../src/core/sli-board.js');
    const b = new SliBoard();
    b.setElsewhere('group:c/g');
    expect([b.isElsewhere('group:c/g'), b.hasTarget('group:c/g')]).toEqual([true, false]);
    b.setStaleness('group:c/g', 3);
    expect([b.isElsewhere('group:c/g'), b.staleness('group:c/g')]).toEqual([false, 3]);
  });
});

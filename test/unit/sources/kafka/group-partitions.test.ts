import { describe, expect, it } from 'vitest';
import { GroupPartitions, ROW_UNCOMMITTED } from '../../../../src/sources/kafka/cluster-state.js';

describe('GroupPartitions', () => {
  it('gives each partition a slot, in insertion order, and the same slot again', () => {
    const ps = new GroupPartitions(3);
    const a = ps.slot('t\u00000', 't', 0);
    const b = ps.slot('t\u00001', 't', 1);
    expect(ps.slot('t\u00000', 't', 0)).toBe(a);
    expect([...ps.entries()]).toEqual([
      ['t\u00000', a],
      ['t\u00001', b],
    ]);
    expect([ps.topic(b), ps.partition(b), ps.seconds(b), ps.size]).toEqual(['t', 1, undefined, 2]);
  });

  it('forgets a removed partition: its slot comes back empty (window, time lag, label text)', () => {
    const ps = new GroupPartitions(3);
    const a = ps.slot('t\u00000', 't', 0);
    ps.slot('t\u00001', 't', 1);
    ps.windows.push(a, 5, 0, 10);
    ps.setSeconds(a, 12.5);
    ps.setLastSeen(a, 1000);
    ps.labelTexts[a] = '{cluster="c",group="g",topic="t",partition="0"}';
    ps.delete('t\u00000');
    expect(ps.size).toBe(1);
    const c = ps.slot('u\u00007', 'u', 7);
    expect(c).toBe(a);
    expect([ps.topic(c), ps.partition(c), ps.seconds(c), ps.labelTexts[c], ps.windows.length(c)]).toEqual(['u', 7, undefined, undefined, 0]);
    // Re-added partitions go to the end of the order, as in a Map.
    expect([...ps.entries()].map(([k]) => k)).toEqual(['t\u00001', 'u\u00007']);
  });

  it('grows with the group and keeps every column', () => {
    const ps = new GroupPartitions(2);
    const slots = Array.from({ length: 100 }, (_, p) => ps.slot(`t\u0000${p}`, 't', p));
    for (const s of slots) {
      ps.setLastSeen(s, 1000 + s);
      ps.setSeconds(s, s / 2);
      ps.windows.push(s, s, 0, 200);
      ps.windows.push(s, s + 1, 0, 201);
    }
    for (const s of slots) {
      expect([ps.partition(s), ps.lastSeen(s), ps.seconds(s)]).toEqual([s, 1000 + s, s / 2]);
      expect([ps.windows.committed(s, 0), ps.windows.committed(s, 1), ps.windows.high(s, 1)]).toEqual([s, s + 1, 201]);
    }
    expect(ps.windows.allocated).toBeGreaterThanOrEqual(100);
  });

  it('reserves exactly the room asked for, keeping what is stored', () => {
    const ps = new GroupPartitions(2);
    const a = ps.slot('t\u00000', 't', 0);
    ps.windows.push(a, 3, 1, 4);
    ps.setSeconds(a, 2);
    ps.reserve(100);
    expect(ps.windows.allocated).toBe(100);
    for (let p = 1; p < 100; p++) ps.slot(`t\u0000${p}`, 't', p);
    expect(ps.windows.allocated).toBe(100);
    expect([ps.windows.committed(a, 0), ps.windows.low(a, 0), ps.windows.high(a, 0), ps.seconds(a), ps.partition(99)]).toEqual([3, 1, 4, 2, 99]);
    ps.slot('t\u0000100', 't', 100);
    expect(ps.windows.allocated).toBe(200);
  });

  it("keeps this cycle's rows as columns: live slots in order, their offsets, and retained rows", () => {
    const ps = new GroupPartitions(2);
    const a = ps.slot('t\u00000', 't', 0);
    const b = ps.slot('t\u00001', 't', 1);
    const c = ps.slot('u\u00000', 'u', 0);
    ps.clearLive();
    ps.addLive(b, 70, 30, 70, 0);
    ps.addLive(a, Number.NaN, 60, 40, ROW_UNCOMMITTED);
    ps.setSeconds(b, 2.5);
    ps.setRetained(c, 12, 8);
    expect([...ps.live()]).toEqual([b, a]);
    expect([ps.committed(b), ps.lag(b), ps.firstUnconsumed(b), ps.flags(b), ps.seconds(b)]).toEqual([70, 30, 70, 0, 2.5]);
    expect([ps.committed(a), ps.lag(a), ps.firstUnconsumed(a), ps.flags(a)]).toEqual([Number.NaN, 60, 40, ROW_UNCOMMITTED]);
    expect([ps.committed(c), ps.lag(c), ps.flags(c)]).toEqual([12, 8, 0]);
    // The next cycle starts an empty list; the columns survive growing past the allocation.
    ps.clearLive();
    expect(ps.liveCount).toBe(0);
    ps.addLive(c, 5, 1, 5, 0);
    for (let p = 1; p < 50; p++) ps.addLive(ps.slot(`u\u0000${p}`, 'u', p), p, 0, p, 0);
    expect(ps.liveCount).toBe(50);
    expect([ps.live()[0], ps.committed(b), ps.lag(b), ps.seconds(b), ps.committed(ps.live()[49]!)]).toEqual([c, 70, 30, 2.5, 49]);
  });
});

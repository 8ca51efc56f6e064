import { describe, expect, it } from 'vitest';
import { GroupPartitions } from '../../../../src/sources/kafka/cluster-state.js';

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
});

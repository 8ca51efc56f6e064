import { describe, expect, it } from 'vitest';
import { MissingOffsets } from '../../../../src/core/kafka/missing-offsets.js';
import { TimestampCache, type ReadWanted } from '../../../../src/core/kafka/timestamp-cache.js';

const keys = (m: MissingOffsets, es: number[]) => es.map((e) => `${m.topic(e)}/${m.partition(e)}@${m.offset(e)}:${m.lag(e)}`);

/** The plan as it was computed before the columns: a map per key over the wanted objects, then a full stable sort. */
function referencePlan(cache: TimestampCache, wanted: readonly ReadWanted[], budget: number): ReadWanted[] {
  const first = new Map<string, ReadWanted>();
  for (const w of wanted) {
    const k = `${w.topic}\0${w.partition}\0${w.offset}`;
    if (cache.get(w.topic, w.partition, w.offset) !== undefined) continue;
    const had = first.get(k);
    if (!had || had.lag < w.lag) first.set(k, had ? { ...had, lag: w.lag } : w);
  }
  return [...first.values()].sort((a, b) => b.lag - a.lag).slice(0, budget);
}

describe('MissingOffsets', () => {
  it('keeps each key once, in order of first appearance, with its largest lag', () => {
    const m = new MissingOffsets();
    m.offer('a', 0, 5, 3);
    m.offer('b', 0, 5, 7);
    m.offer('a', 0, 5, 9); // same key as the first: lag 3 -> 9
    m.offer('a', 1, 5, 2);
    m.offer('a', 0, 6, 1);
    m.offer('b', 0, 5, 4); // smaller lag: unchanged
    expect(m.size).toBe(4);
    expect(keys(m, [0, 1, 2, 3])).toEqual(['a/0@5:9', 'b/0@5:7', 'a/1@5:2', 'a/0@6:1']);
  });

  it('keeps the first budget entries of a stable sort by lag, descending', () => {
    const m = new MissingOffsets();
    for (const [p, lag] of [
      [0, 5],
      [1, 9],
      [2, 5],
      [3, 1],
      [4, 9],
      [5, 7],
    ])
      m.offer('t', p!, 0, lag!);
    expect(m.mostLagging(3)).toEqual([1, 4, 5]);
    expect(m.mostLagging(4)).toEqual([1, 4, 5, 0]);
    // Ties keep their arrival order: 0 before 2.
    expect(m.mostLagging(10)).toEqual([1, 4, 5, 0, 2, 3]);
    expect(m.mostLagging(0)).toEqual([]);
  });

  it('tells offsets apart by their high 32 bits too, and forgets everything on clear', () => {
    const m = new MissingOffsets();
    m.offer('t', 0, 2 ** 40 + 1, 1);
    m.offer('t', 0, 1, 2);
    m.offer('t', 0, 2 ** 40 + 1, 3);
    expect(keys(m, [0, 1])).toEqual([`t/0@${2 ** 40 + 1}:3`, 't/0@1:2']);
    m.clear();
    expect(m.size).toBe(0);
    m.offer('u', 3, 1, 4);
    expect(keys(m, [0])).toEqual(['u/3@1:4']);
    expect(m.mostLagging(5)).toEqual([0]);
  });

  it('chooses what the map-and-sort plan chose, over rounds that grow its arrays (many keys, duplicates, ties)', () => {
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const c = new TimestampCache();
    for (const [n, budget] of [
      [100, 7],
      [30_000, 50],
      [5_000, 777],
    ] as const) {
      // Entries kept from the round before, and new ones.
      for (let i = 0; i < 20; i++) c.set(`t${rnd(5)}`, rnd(40), rnd(6), 1000 + i);
      const wanted = Array.from({ length: n }, () => ({
        topic: `t${rnd(5)}`,
        partition: rnd(40),
        offset: rnd(6) + (rnd(3) === 0 ? 2 ** 33 : 0),
        lag: rnd(20),
      }));
      const expected = referencePlan(c, wanted, budget);
      expect(c.plan(wanted, budget)).toEqual(expected);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  AggregateTracker,
  VERSION_FIRST,
  VERSION_GAP,
  VERSION_NEXT,
  VERSION_OUT_OF_ORDER,
  VERSION_REPEAT,
} from '../../../../src/core/events/aggregate-tracker.js';

describe('AggregateTracker', () => {
  it('classifies next, gap, out-of-order and repeat', () => {
    const t = new AggregateTracker(10);
    expect(t.observe('a', 1)).toEqual({ kind: 'first' });
    expect(t.observe('a', 2)).toEqual({ kind: 'next' });
    expect(t.observe('a', 5)).toEqual({ kind: 'gap', missing: 2 });
    expect(t.observe('a', 4)).toEqual({ kind: 'out_of_order' });
    // compared against the highest version (5), not the late one
    expect(t.observe('a', 6)).toEqual({ kind: 'next' });
    expect(t.observe('a', 6)).toEqual({ kind: 'repeat' });
  });

  it('keeps aggregates apart', () => {
    const t = new AggregateTracker(10);
    t.observe('a', 1);
    t.observe('b', 7);
    expect(t.observe('b', 8)).toEqual({ kind: 'next' });
    expect(t.observe('a', 2)).toEqual({ kind: 'next' });
  });

  it('evicts the least recently used aggregate and counts it', () => {
    const t = new AggregateTracker(2);
    t.observe('a', 1);
    t.observe('b', 1);
    t.observe('a', 2); // a is now the most recent
    t.observe('c', 1); // evicts b
    expect(t.evictions).toBe(1);
    expect(t.size).toBe(2);
    expect(t.observe('a', 3)).toEqual({ kind: 'next' });
    expect(t.observe('b', 5)).toEqual({ kind: 'first' }); // forgotten: the gap 2..4 is not seen
    expect(t.evictions).toBe(2);
  });
});

describe('AggregateTracker by fingerprint', () => {
  it('returns the outcome codes and the missing count of a gap', () => {
    const t = new AggregateTracker(10);
    expect(t.observeFingerprint(1, 2, 1)).toBe(VERSION_FIRST);
    expect(t.observeFingerprint(1, 2, 2)).toBe(VERSION_NEXT);
    expect(t.observeFingerprint(1, 2, 7)).toBe(VERSION_GAP);
    expect(t.missing).toBe(4); // 3, 4, 5, 6
    expect(t.observeFingerprint(1, 2, 5)).toBe(VERSION_OUT_OF_ORDER);
    expect(t.observeFingerprint(1, 2, 7)).toBe(VERSION_REPEAT);
    // same lo, other hi: another aggregate
    expect(t.observeFingerprint(9, 2, 1)).toBe(VERSION_FIRST);
    expect(t.size).toBe(2);
  });

  it('behaves like an LRU map of the highest version, through growth and evictions', () => {
    // Reference: a Map kept in access order, as the tracker was before fingerprints.
    for (const max of [1, 3, 1000, 3000]) {
      const t = new AggregateTracker(max);
      const ref = new Map<number, number>();
      let evictions = 0;
      let seed = max;
      const rnd = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      for (let k = 0; k < 40_000; k++) {
        const a = rnd(max * 2 + 3);
        const v = 1 + rnd(20);
        const last = ref.get(a);
        let expected: number;
        if (last === undefined) {
          ref.set(a, v);
          if (ref.size > max) {
            ref.delete(ref.keys().next().value as number);
            evictions++;
          }
          expected = VERSION_FIRST;
        } else {
          ref.delete(a);
          ref.set(a, Math.max(last, v));
          expected = v === last + 1 ? VERSION_NEXT : v > last + 1 ? VERSION_GAP : v === last ? VERSION_REPEAT : VERSION_OUT_OF_ORDER;
        }
        // small lo values crowd the index: probe chains and backward-shift deletions get exercised
        expect(t.observeFingerprint(a * 7919, a & 15, v), `max ${max} step ${k}`).toBe(expected);
      }
      expect(t.size).toBe(ref.size);
      expect(t.evictions).toBe(evictions);
    }
  });
});

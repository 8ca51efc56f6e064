import { describe, expect, it } from 'vitest';
import { AggregateTracker } from '../../../../src/core/events/aggregate-tracker.js';

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

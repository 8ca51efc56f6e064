import { describe, expect, it } from 'vitest';
import { ReasonCap, OTHER } from '../../../../src/core/events/reason-cap.js';
import { SampledLog } from '../../../../src/core/events/sampled-log.js';
import { globToRegExp, selectTopics } from '../../../../src/core/events/topic-pattern.js';

describe('ReasonCap', () => {
  it('keeps the first N reasons and counts the rest as other', () => {
    const c = new ReasonCap(2);
    expect(c.label('A')).toBe('A');
    expect(c.label('B')).toBe('B');
    expect(c.label('C')).toBe(OTHER);
    expect(c.label('A')).toBe('A');
    expect(c.label('C')).toBe(OTHER);
    expect(c.label('D')).toBe(OTHER);
    expect(c.label(undefined)).toBe(OTHER); // 'unknown' arrived after the cap
    expect(c.overflow()).toEqual([
      ['C', 2],
      ['D', 1],
      ['unknown', 1],
    ]);
  });
  it('cuts long values and maps absent to unknown', () => {
    const c = new ReasonCap(5);
    expect(c.label('  ')).toBe('unknown');
    expect(c.label('x'.repeat(500))).toHaveLength(120);
  });
  it('bounds the overflow tally to 4N slots', () => {
    const c = new ReasonCap(1);
    c.label('keep');
    for (let i = 0; i < 100; i++) c.label(`r${i}`);
    expect(c.overflow().length).toBe(4);
  });
});

describe('SampledLog', () => {
  it('lets one line per key per minute through and reports the suppressed count', () => {
    const s = new SampledLog(60_000);
    expect(s.admit('non_json', 0)).toBe(0);
    expect(s.admit('non_json', 1000)).toBeUndefined();
    expect(s.admit('non_json', 59_999)).toBeUndefined();
    expect(s.admit('tombstone', 2000)).toBe(0);
    expect(s.admit('non_json', 60_000)).toBe(2);
    expect(s.admit('non_json', 60_001)).toBeUndefined();
  });
});

describe('topic patterns', () => {
  it('treats only * and ? as special', () => {
    expect(globToRegExp('*.DLT').test('orders.DLT')).toBe(true);
    expect(globToRegExp('*.DLT').test('ordersXDLT')).toBe(false);
    expect(globToRegExp('*-dlq').test('payments-dlq')).toBe(true);
    expect(globToRegExp('orders-?').test('orders-1')).toBe(true);
  });
  it('selects named and matching topics, never internal ones', () => {
    expect(selectTopics(['a.DLT', 'b', '__consumer_offsets', 'c-dlq', 'x'], ['x'], '*.DLT')).toEqual(['a.DLT', 'x']);
    expect(selectTopics(['__x.DLT'], [], '*.DLT')).toEqual([]);
  });
});

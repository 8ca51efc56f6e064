import { describe, expect, it } from 'vitest';
import { OffsetTimeIndex } from '../../../../src/core/events/offset-time-index.js';

describe('OffsetTimeIndex', () => {
  it('answers the time of the first record at or after an offset and prunes below it', () => {
    const ix = new OffsetTimeIndex(100);
    for (let o = 10; o < 20; o++) ix.add(o, 1000 + o);
    expect(ix.timeAt(10)).toBe(1010);
    expect(ix.timeAt(15)).toBe(1015);
    expect(ix.size).toBe(5);
    expect(ix.timeAt(12)).toBe(1015); // pruned below 15: the next kept one
    expect(ix.timeAt(25)).toBeUndefined(); // not read yet
  });
  it('knows nothing below the first offset read', () => {
    const ix = new OffsetTimeIndex(100);
    ix.add(50, 5);
    expect(ix.timeAt(40)).toBeUndefined();
    expect(ix.timeAt(50)).toBe(5);
  });
  it('ignores re-reads and halves when full, keeping the oldest', () => {
    const ix = new OffsetTimeIndex(4);
    for (const o of [0, 1, 1, 2, 3]) ix.add(o, o * 10);
    expect(ix.size).toBe(4);
    ix.add(4, 40); // 5 > 4: keep 0, 2, 4
    expect(ix.size).toBe(3);
    expect(ix.timeAt(0)).toBe(0);
    expect(ix.timeAt(1)).toBe(20); // offset 1 was dropped: next kept is 2
  });

  it('starts over when the reader seeks below the covered range', () => {
    const ix = new OffsetTimeIndex(100);
    ix.add(100, 1);
    ix.add(101, 2);
    expect(ix.timeAt(50)).toBeUndefined();
    ix.add(50, 7);
    ix.add(51, 8);
    expect(ix.timeAt(50)).toBe(7);
  });
});

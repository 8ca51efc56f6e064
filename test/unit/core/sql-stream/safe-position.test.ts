import { describe, expect, it } from 'vitest';
import { safeRows } from '../../../../src/core/sql-stream/safe-position.js';

const SETTLE = 5000;

describe('safeRows: the SQL tail reads only up to a safe position', () => {
  it('hands over contiguous rows at once', () => {
    const r = safeRows([11, 12, 13], { after: 10, wait: undefined }, 0, SETTLE);
    expect(r).toEqual({ accept: 3, position: { after: 13, wait: undefined }, skipped: 0 });
  });

  it('from the beginning, the first row goes whatever its position', () => {
    const r = safeRows([7, 8], { after: undefined, wait: undefined }, 0, SETTLE);
    expect(r).toEqual({ accept: 2, position: { after: 8, wait: undefined }, skipped: 0 });
  });

  it('stops at a hole and waits for it (13 missing below 14, 15)', () => {
    const r = safeRows([11, 12, 14, 15], { after: 10, wait: undefined }, 1000, SETTLE);
    expect(r).toEqual({ accept: 2, position: { after: 12, wait: { since: 1000, upTo: 15 } }, skipped: 0 });
  });

  it('a hole that fills within the settle time costs nothing (the late commit is read in order)', () => {
    const first = safeRows([11, 12, 14, 15], { after: 10, wait: undefined }, 1000, SETTLE);
    const r = safeRows([13, 14, 15], first.position, 3000, SETTLE);
    expect(r).toEqual({ accept: 3, position: { after: 15, wait: undefined }, skipped: 0 });
  });

  it('a hole still open after the settle time is given up (1 position skipped)', () => {
    const first = safeRows([11, 12, 14, 15], { after: 10, wait: undefined }, 1000, SETTLE);
    const early = safeRows([14, 15], first.position, 5999, SETTLE);
    expect(early.accept).toBe(0);
    expect(early.position.wait).toEqual({ since: 1000, upTo: 15 });
    const r = safeRows([14, 15, 16], early.position, 6000, SETTLE);
    expect(r).toEqual({ accept: 3, position: { after: 16, wait: undefined }, skipped: 1 });
  });

  it('holes above the rows visible when the wait began wait their own settle time', () => {
    // waiting since 1000 for holes below 15; at 6000, 19 has appeared after a new hole 17-18
    const r = safeRows([14, 15, 16, 19], { after: 12, wait: { since: 1000, upTo: 15 } }, 6000, SETTLE);
    expect(r).toEqual({ accept: 3, position: { after: 16, wait: { since: 6000, upTo: 19 } }, skipped: 1 });
    const later = safeRows([19], r.position, 11_000, SETTLE);
    expect(later).toEqual({ accept: 1, position: { after: 19, wait: undefined }, skipped: 2 });
  });

  it("holes at or below the store's high water mark are final at once", () => {
    const r = safeRows([13, 20], { after: 10, wait: undefined }, 0, SETTLE, 13);
    // 11-12 lie below the mark (skipped), 14-19 above it: wait
    expect(r).toEqual({ accept: 1, position: { after: 13, wait: { since: 0, upTo: 20 } }, skipped: 2 });
  });

  it('a repeated position is handed over without moving the position', () => {
    const r = safeRows([10, 11], { after: 10, wait: undefined }, 0, SETTLE);
    expect(r).toEqual({ accept: 2, position: { after: 11, wait: undefined }, skipped: 0 });
  });
});

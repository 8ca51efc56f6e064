import { describe, expect, it } from 'vitest';
import { TimeSlice } from '../../../../src/sources/kafka/time-slice.js';

describe('TimeSlice', () => {
  it('is due once the slice has run for sliceMs, and pause starts a new slice', async () => {
    let t = 1000;
    const s = new TimeSlice(10, () => t);
    expect(s.due()).toBe(false);
    t = 1009.9;
    expect(s.due()).toBe(false);
    t = 1010;
    expect(s.due()).toBe(true);
    await s.pause();
    expect(s.due()).toBe(false);
    t = 1020;
    expect(s.due()).toBe(true);
  });

  it('shared by consecutive loops, counts the time of all of them since the last pause (5 ms by default)', async () => {
    let t = 0;
    const s = new TimeSlice(undefined, () => t);
    expect(s.sliceMs).toBe(5);
    // Step 1 runs 4 ms, then step 2 starts in the same task: 1 ms more makes the slice due, as
    // the loop has not had a turn since the slice began (a clock per step would wait 5 ms more).
    t = 4;
    expect(s.due()).toBe(false);
    t = 5;
    expect(s.due()).toBe(true);
    await s.pause();
    t = 9.9;
    expect(s.due()).toBe(false);
  });

  it('lets a timer run between slices of a long loop', async () => {
    const s = new TimeSlice(5);
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const until = performance.now() + 40;
    let pauses = 0;
    while (performance.now() < until)
      if (s.due()) {
        await s.pause();
        pauses++;
      }
    expect(fired).toBe(true);
    expect(pauses).toBeGreaterThanOrEqual(4);
  });
});

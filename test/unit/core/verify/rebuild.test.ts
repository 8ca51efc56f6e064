import { describe, expect, it } from 'vitest';
import { rebuildSeconds, rebuildVerdict, stepRebuildRun, type RebuildProgress } from '../../../../src/core/verify/rebuild.js';

const T = 2_000_000;
const start: RebuildProgress = { startedAt: T, startCheckpoint: 500, target: 500, resetSeen: false };
const r = (sec: number, checkpoint: number, head = 500) => ({ at: T + sec * 1000, head, checkpoint });

describe('stepRebuildRun', () => {
  it('ends at the first reading back at the target after a reset', () => {
    let p = stepRebuildRun(start, r(1, 500), false);
    expect(p.resetSeen).toBe(false);
    expect(p.endedAt).toBeUndefined(); // no reset yet: 500 is where it started
    p = stepRebuildRun(p, r(2, 0), false);
    expect(p.resetSeen).toBe(true);
    p = stepRebuildRun(p, r(3, 250), false);
    expect(p.endedAt).toBeUndefined();
    p = stepRebuildRun(p, r(4, 510, 520), false);
    expect(p.endedAt).toBe(T + 4000);
    expect(rebuildSeconds(p)).toBe(4);
    // later readings change nothing
    expect(stepRebuildRun(p, r(9, 0), false)).toBe(p);
  });
  it('a start hook that ran the whole rebuild ends it at the first caught-up reading', () => {
    const p = stepRebuildRun(start, r(7, 500), true);
    expect(p.endedAt).toBe(T + 7000);
    expect(p.resetSeen).toBe(true);
  });
});

describe('rebuildVerdict', () => {
  const ended = { ...start, resetSeen: true, endedAt: T + 90_000 };
  it('passes within the window with an identical checksum', () => {
    expect(rebuildVerdict({ window: 1800, progress: ended, before: 'abc', after: 'abc' })).toEqual({ pass: true, reasons: [] });
  });
  it('fails on a changed read model', () => {
    expect(rebuildVerdict({ window: 1800, progress: ended, before: 'abc', after: 'abd' }).reasons).toEqual([
      'read model changed: checksum abc before, abd after',
    ]);
  });
  it('fails over the window, and when it never caught up or never started', () => {
    expect(rebuildVerdict({ window: 60, progress: ended, before: 'a', after: 'a' }).reasons).toEqual(['rebuild took 90 s, over the 60 s window']);
    expect(rebuildVerdict({ window: 60, progress: { ...start, resetSeen: true } }).reasons).toEqual(['rebuild not caught up within 60 s']);
    expect(rebuildVerdict({ window: 60, progress: start }).reasons).toEqual(['no rebuild seen within 60 s (the checkpoint never went back)']);
  });
  it('fails when the checksum after could not be read', () => {
    expect(rebuildVerdict({ window: 1800, progress: ended, before: 'a' }).reasons).toEqual(['checksum after the rebuild could not be read']);
  });
});

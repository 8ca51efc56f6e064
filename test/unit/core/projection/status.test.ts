import { describe, expect, it } from 'vitest';
import { projectionStatus, type StatusInput } from '../../../../src/core/projection/index.js';

const rules = { stallAfter: 60, window: 300 };
const base: StatusInput = { now: 100_000, lag: 0, failed: false, rebuilding: false, unchangedSince: 0, pendingSince: undefined, window: [] };

describe('projectionStatus rule order', () => {
  it('ERROR beats everything', () => {
    expect(projectionStatus({ ...base, failed: true, lag: 5, rebuilding: true, pendingSince: 0 }, rules)).toBe('ERROR');
  });
  it('STALLED uses the later of "checkpoint moved" and "events pending"', () => {
    // checkpoint unchanged since t=0, but events only pending since t=50 s: 50 s < 60 s.
    expect(projectionStatus({ ...base, lag: 1, pendingSince: 50_000 }, rules)).toBe('OK');
    expect(projectionStatus({ ...base, lag: 1, pendingSince: 40_000 }, rules)).toBe('STALLED');
  });
  it('STALLED beats REBUILDING, REBUILDING beats LAGGING', () => {
    const growing = [
      { at: 80_000, lag: 1, checkpoint: 1 },
      { at: 90_000, lag: 4, checkpoint: 2 },
      { at: 100_000, lag: 9, checkpoint: 3 },
    ];
    expect(projectionStatus({ ...base, lag: 9, rebuilding: true, pendingSince: 30_000 }, rules)).toBe('STALLED');
    expect(projectionStatus({ ...base, lag: 9, rebuilding: true, pendingSince: 99_000, window: growing }, rules)).toBe('REBUILDING');
    expect(projectionStatus({ ...base, lag: 9, pendingSince: 99_000, window: growing }, rules)).toBe('LAGGING');
  });
  it('a zero lag inside the window means not LAGGING', () => {
    const w = [
      { at: 80_000, lag: 3, checkpoint: 1 },
      { at: 90_000, lag: 0, checkpoint: 4 },
      { at: 100_000, lag: 9, checkpoint: 5 },
    ];
    expect(projectionStatus({ ...base, lag: 9, pendingSince: 95_000, window: w }, rules)).toBe('OK');
  });
  it('fluctuating lag that ends higher is noise, not LAGGING; monotonic growth is', () => {
    const noisy = [
      { at: 70_000, lag: 10, checkpoint: 1 },
      { at: 80_000, lag: 14, checkpoint: 5 },
      { at: 90_000, lag: 9, checkpoint: 12 },
      { at: 100_000, lag: 11, checkpoint: 18 },
    ];
    expect(projectionStatus({ ...base, lag: 11, pendingSince: 99_000, window: noisy }, rules)).toBe('OK');
    const growing = noisy.map((s, i) => ({ ...s, lag: 10 + i }));
    expect(projectionStatus({ ...base, lag: 13, pendingSince: 99_000, window: growing }, rules)).toBe('LAGGING');
    const flat = noisy.map((s) => ({ ...s, lag: 10 }));
    expect(projectionStatus({ ...base, lag: 10, pendingSince: 99_000, window: flat }, rules)).toBe('OK');
  });
  it('growth right after a zero lag counts from the first non-zero reading', () => {
    const w = (lags: number[]) => lags.map((lag, i) => ({ at: 60_000 + i * 10_000, lag, checkpoint: i }));
    expect(projectionStatus({ ...base, lag: 10, pendingSince: 99_000, window: w([0, 5, 10]) }, rules)).toBe('OK');
    expect(projectionStatus({ ...base, lag: 15, pendingSince: 99_000, window: w([0, 5, 10, 15]) }, rules)).toBe('LAGGING');
  });
});

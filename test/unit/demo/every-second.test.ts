import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EverySecond } from '../../../src/demo/every-second.js';

/** Ticks that take `ms` each (a slow database) and record the elapsed time they were given. */
class Recorder extends EverySecond {
  readonly seen: number[] = [];
  constructor(
    private readonly ms: number,
    private readonly fail = false,
  ) {
    super();
  }
  protected async tick(elapsedMs: number): Promise<void> {
    this.seen.push(elapsedMs);
    await new Promise((r) => setTimeout(r, this.ms));
    if (this.fail) throw new Error('database down');
  }
}

describe('EverySecond', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ticks once a second with the time since start', async () => {
    const r = new Recorder(10);
    r.start(1_000_000 - 5000);
    await vi.advanceTimersByTimeAsync(3050);
    await r.stop();
    expect(r.seen).toEqual([6000, 7000, 8000]);
  });

  it('skips seconds while a tick is still running, and stop waits for it', async () => {
    const r = new Recorder(2500);
    r.start();
    await vi.advanceTimersByTimeAsync(4000);
    // Ticks at 1 s (runs until 3.5 s) and at 4 s: the ones at 2 s and 3 s are skipped.
    expect(r.seen).toEqual([1000, 4000]);
    let stopped = false;
    void r.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(2000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(stopped).toBe(true);
    expect(r.seen).toEqual([1000, 4000]);
  });

  it('drops a failing tick and goes on', async () => {
    const r = new Recorder(10, true);
    r.start();
    await vi.advanceTimersByTimeAsync(2050);
    await r.stop();
    expect(r.seen).toEqual([1000, 2000]);
  });
});

import { afterEach, describe, expect, test } from 'vitest';
import { gridStep } from '../../../src/scheduler/grid.js';
import { Scheduler, type Timers } from '../../../src/scheduler/scheduler.js';
import type { Source } from '../../../src/sources/source.js';
import { noopTracer, seriesValue, testDeps } from '../../helpers/deps.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 317);

describe('gridStep', () => {
  test('a timer on time goes to the next grid point', () => {
    expect(gridStep(T0, 5000, T0 + 10_000, T0 + 10_000)).toEqual({ next: T0 + 15_000, missed: 0 });
  });
  test('a timer late by less than an interval stays on the grid (no drift from the lateness)', () => {
    expect(gridStep(T0, 5000, T0 + 10_000, T0 + 10_999)).toEqual({ next: T0 + 15_000, missed: 0 });
  });
  test('a timer that fires after later grid points passed skips them and counts them', () => {
    // due at 10 s, fired at 21.5 s: the points at 15 s and 20 s were passed by.
    expect(gridStep(T0, 5000, T0 + 10_000, T0 + 21_500)).toEqual({ next: T0 + 25_000, missed: 2 });
  });
  test('a non-integer interval keeps its grid', () => {
    expect(gridStep(T0, 1500, T0 + 3000, T0 + 3001)).toEqual({ next: T0 + 4500, missed: 0 });
  });
  test('rejects a non-positive interval', () => {
    expect(() => gridStep(T0, 0, T0, T0)).toThrow(RangeError);
  });
});

/** A fake time line: timers fire in order of due time, each late by `lateness()` ms. */
class FakeTime {
  now = T0;
  #seq = 0;
  #queue: { at: number; seq: number; fn: () => void }[] = [];
  constructor(private readonly lateness: () => number = () => 0) {}

  readonly clock = (): number => this.now;
  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const t = { at: this.now + ms, seq: this.#seq++, fn };
      this.#queue.push(t);
      return t;
    },
    clearTimeout: (h) => {
      this.#queue = this.#queue.filter((t) => t !== h);
    },
  };

  /** Runs every timer due up to `until`, letting promises settle after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      this.#queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const t = this.#queue[0];
      if (!t || t.at > until) break;
      this.#queue.shift();
      this.now = Math.max(this.now, t.at + this.lateness());
      t.fn();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
    this.now = Math.max(this.now, until);
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (an LCG), so the test is repeatable. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop(0);
  scheduler = undefined;
});

function source(time: FakeTime, interval: number, duration: () => number, starts: number[]): Source {
  return {
    name: 'grid',
    interval,
    timeout: 60,
    collect: (ctx) => {
      starts.push(ctx.startedAt);
      return new Promise((resolve) => time.timers.setTimeout(() => resolve({}), duration()));
    },
    clear() {},
    async close() {},
  };
}

describe('Scheduler on a fake clock', () => {
  test('1000 cycles of 5 s with late timers and varying cycle times: zero drift, mean period = interval', async () => {
    const rnd = lcg(42);
    const time = new FakeTime(() => Math.floor(rnd() * 300)); // every timer 0..299 ms late
    const starts: number[] = [];
    const deps = testDeps(time.clock);
    scheduler = new Scheduler({ sources: [source(time, 5, () => Math.floor(rnd() * 2000), starts)], ...deps, tracer: noopTracer, timers: time.timers });
    scheduler.start();
    await time.runUntil(T0 + 999 * 5000 + 1000);
    expect(starts).toHaveLength(1000);
    // Start k lies within the timer lateness of its grid point, for every k: nothing accumulates.
    const offsets = starts.map((s, k) => s - (T0 + k * 5000));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(300);
    const meanPeriod = (starts[999]! - starts[0]!) / 999;
    expect(Math.abs(meanPeriod - 5000)).toBeLessThan(0.3);
    expect(scheduler.states()[0]!.skipped).toBe(0);
  });

  test('an overrunning cycle skips grid points (counted) and the next one starts on the grid', async () => {
    const time = new FakeTime();
    const starts: number[] = [];
    const deps = testDeps(time.clock);
    scheduler = new Scheduler({ sources: [source(time, 5, () => 12_000, starts)], ...deps, tracer: noopTracer, timers: time.timers });
    scheduler.start();
    await time.runUntil(T0 + 31_000);
    // Runs 0-12 s (points 5 s, 10 s skipped), 15-27 s (20 s, 25 s skipped), 30 s.
    expect(starts.map((s) => s - T0)).toEqual([0, 15_000, 30_000]);
    expect(scheduler.states()[0]!.skipped).toBe(4);
    expect(await seriesValue(deps.registry, 'cqrs_collect_skipped_total', { source: 'grid' })).toBe(4);
  });

  test('a timer delayed past grid points (blocked event loop) counts them as skipped and returns to the grid', async () => {
    let late = 0;
    const time = new FakeTime(() => late);
    const starts: number[] = [];
    const deps = testDeps(time.clock);
    scheduler = new Scheduler({ sources: [source(time, 5, () => 100, starts)], ...deps, tracer: noopTracer, timers: time.timers });
    scheduler.start();
    await time.runUntil(T0 + 4000);
    late = 11_500; // the timer of the 5 s point fires at 16.5 s
    await time.runUntil(T0 + 5000);
    late = 0;
    await time.runUntil(T0 + 26_000);
    expect(starts.map((s) => s - T0)).toEqual([0, 16_500, 20_000, 25_000]);
    expect(scheduler.states()[0]!.skipped).toBe(2); // 10 s and 15 s
  });

  test('a probe runs on its own grid between cycles, never while the cycle runs; its errors are contained', async () => {
    const time = new FakeTime();
    const starts: number[] = [];
    const probes: number[] = [];
    const deps = testDeps(time.clock);
    const src: Source = {
      ...source(time, 5, () => 1500, starts),
      probe: {
        interval: 1,
        run: async () => {
          probes.push(time.now - T0);
          if (probes.length === 2) throw new Error('probe query failed');
        },
      },
    };
    scheduler = new Scheduler({ sources: [src], ...deps, tracer: noopTracer, timers: time.timers });
    scheduler.start();
    await time.runUntil(T0 + 10_500);
    expect(starts.map((s) => s - T0)).toEqual([0, 5000, 10_000]);
    // Cycles run 0-1.5 s, 5-6.5 s, 10-11.5 s: probes at 1, 5, 6 and 10 s are skipped.
    expect(probes).toEqual([2000, 3000, 4000, 7000, 8000, 9000]);
    expect(scheduler.states()[0]).toMatchObject({ errors: 0, skipped: 0 });
  });
});

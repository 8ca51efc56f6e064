import { afterEach, describe, expect, test, vi } from 'vitest';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import type { CycleContext, Source } from '../../../src/sources/source.js';
import { SOURCE_ERROR_REASONS, SourceError } from '../../../src/sources/source-error.js';
import { noopTracer, seriesValue, testDeps } from '../../helpers/deps.js';

function fakeSource(name: string, collect: (ctx: CycleContext) => Promise<Record<string, number>>, opts: { interval?: number; timeout?: number } = {}) {
  const s = {
    name,
    interval: opts.interval ?? 1,
    timeout: opts.timeout ?? 5,
    cleared: 0,
    closed: 0,
    collect,
    clear() {
      s.cleared++;
    },
    async close() {
      s.closed++;
    },
  };
  return s satisfies Source;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let scheduler: Scheduler | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await scheduler?.stop(1);
  scheduler = undefined;
});

describe('Scheduler', () => {
  test('a successful cycle sets up=1 and records duration and report', async () => {
    const deps = testDeps();
    const src = fakeSource('ok', async () => ({ groups: 3 }));
    scheduler = new Scheduler({ sources: [src], ...deps, tracer: noopTracer });
    const st = await scheduler.runOnce('ok');
    expect(st).toMatchObject({ up: true, completedOnce: true, cycles: 1, errors: 0, lastReport: { groups: 3 } });
    expect(await seriesValue(deps.registry, 'cqrs_source_up', { source: 'ok' })).toBe(1);
    expect(await seriesValue(deps.registry, 'cqrs_collect_duration_seconds_count', { source: 'ok' })).toBe(1);
  });

  test('per-source counters exist at 0 before any cycle: every error reason, skipped, clock skew, dropped series', async () => {
    const deps = testDeps();
    scheduler = new Scheduler({ sources: [fakeSource('a', async () => ({})), fakeSource('b', async () => ({}))], ...deps, tracer: noopTracer });
    for (const source of ['a', 'b']) {
      for (const reason of SOURCE_ERROR_REASONS) expect(await seriesValue(deps.registry, 'cqrs_collect_errors_total', { source, reason })).toBe(0);
      for (const name of ['cqrs_collect_skipped_total', 'cqrs_clock_skew_detected_total', 'cqrs_series_dropped_total'])
        expect(await seriesValue(deps.registry, name, { source })).toBe(0);
    }
    const text = await deps.registry.metrics();
    expect(text.split('\n').filter((l) => l.startsWith('cqrs_collect_errors_total{'))).toHaveLength(2 * SOURCE_ERROR_REASONS.length);
  });

  test('a failing cycle sets up=0, counts the reason, clears series, and the next cycle recovers', async () => {
    const deps = testDeps();
    let fail = true;
    const src = fakeSource('flaky', async () => {
      if (fail) throw new SourceError('connect ECONNREFUSED 127.0.0.1:1', { reason: 'unreachable' });
      return {};
    });
    scheduler = new Scheduler({ sources: [src], ...deps, tracer: noopTracer });
    let st = await scheduler.runOnce('flaky');
    expect(st).toMatchObject({ up: false, errors: 1, lastError: { reason: 'unreachable' } });
    expect(src.cleared).toBe(1);
    expect(await seriesValue(deps.registry, 'cqrs_source_up', { source: 'flaky' })).toBe(0);
    expect(await seriesValue(deps.registry, 'cqrs_collect_errors_total', { source: 'flaky', reason: 'unreachable' })).toBe(1);
    expect(await seriesValue(deps.registry, 'cqrs_collect_errors_total', { source: 'flaky', reason: 'timeout' })).toBe(0);
    fail = false;
    st = await scheduler.runOnce('flaky');
    expect(st).toMatchObject({ up: true, errors: 1, cycles: 2 });
  });

  test('a cycle that exceeds its timeout is aborted and counted as timeout', async () => {
    const deps = testDeps();
    let aborted = false;
    const src = fakeSource(
      'slow',
      (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve({});
          });
        }),
      { timeout: 0.2 },
    );
    scheduler = new Scheduler({ sources: [src], ...deps, tracer: noopTracer });
    const st = await scheduler.runOnce('slow');
    expect(aborted).toBe(true);
    expect(st).toMatchObject({ up: false, lastError: { reason: 'timeout' } });
    expect(await seriesValue(deps.registry, 'cqrs_collect_errors_total', { source: 'slow', reason: 'timeout' })).toBe(1);
  });

  test('errors in secrets-bearing messages are redacted in state', async () => {
    const deps = testDeps();
    const src = fakeSource('pg', async () => {
      throw new Error('connect to postgres://app:hunter2@127.0.0.1:5432/db failed');
    });
    scheduler = new Scheduler({ sources: [src], ...deps, tracer: noopTracer });
    const st = await scheduler.runOnce('pg');
    expect(st.lastError?.message).not.toContain('hunter2');
  });

  test('a slow cycle never overlaps itself: ticks are skipped and counted; the job keeps running after errors', async () => {
    // Fake timers and clock: 4.5 s of schedule in no wall time, and exact counts.
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const deps = testDeps();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const slow = fakeSource(
      'slow',
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(2300);
        running--;
        return {};
      },
      { interval: 1, timeout: 10 },
    );
    const failing = fakeSource(
      'failing',
      async () => {
        calls++;
        throw new Error('boom');
      },
      { interval: 1 },
    );
    scheduler = new Scheduler({ sources: [slow, failing], ...deps, tracer: noopTracer });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(4500);
    const states = Object.fromEntries(scheduler.states().map((s) => [s.name, s]));
    expect(maxRunning).toBe(1);
    // slow runs 0-2.3 s and 3-5.3 s: the grid points at 1, 2 and 4 s find it running.
    expect(states.slow!.skipped).toBe(3);
    expect(await seriesValue(deps.registry, 'cqrs_collect_skipped_total', { source: 'slow' })).toBe(3);
    // failing runs at 0, 1, 2, 3 and 4 s, and fails each time.
    expect(calls).toBe(5);
    expect(states.failing!.errors).toBe(5);
    const stopped = scheduler.stop(5);
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    scheduler = undefined;
  });

  test('stop waits for running cycles within the grace period, then aborts them, and closes sources', async () => {
    const deps = testDeps();
    let sawAbort = false;
    let started = false;
    const src = fakeSource(
      'stuck',
      (ctx) =>
        new Promise((resolve) => {
          started = true;
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve({});
          });
        }),
      { timeout: 60 },
    );
    const s = new Scheduler({ sources: [src], ...deps, tracer: noopTracer });
    s.start();
    await vi.waitFor(() => expect(started).toBe(true));
    const t0 = Date.now();
    await s.stop(0.3);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(sawAbort).toBe(true);
    expect(src.closed).toBe(1);
  });

  test('a source that throws synchronously or rejects with a non-Error is contained', async () => {
    const deps = testDeps();
    const sync: Source = {
      name: 'sync',
      interval: 1,
      timeout: 1,
      collect: () => {
        throw new TypeError('bug');
      },
      clear() {},
      async close() {},
    };
    const weird: Source = { name: 'weird', interval: 1, timeout: 1, collect: () => Promise.reject('a string'), clear() {}, async close() {} };
    scheduler = new Scheduler({ sources: [sync, weird], ...deps, tracer: noopTracer });
    expect((await scheduler.runOnce('sync')).lastError).toMatchObject({ reason: 'unknown', message: 'bug' });
    expect((await scheduler.runOnce('weird')).lastError).toMatchObject({ reason: 'unknown', message: 'a string' });
  });
});

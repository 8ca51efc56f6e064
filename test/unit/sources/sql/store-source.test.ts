import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { storeSchema } from '../../../../src/config/schema/stores.js';
import { SliBoard } from '../../../../src/core/sli-board.js';
import { createMetrics } from '../../../../src/metrics/create-metrics.js';
import type { Db, Query } from '../../../../src/sources/sql/db.js';
import type { RawReading, StoreReader } from '../../../../src/sources/sql/reader.js';
import type { EventTime } from '../../../../src/core/projection/index.js';
import { probeInterval, StoreSource } from '../../../../src/sources/sql/store-source.js';
import { SourceError } from '../../../../src/sources/source-error.js';
import type { CycleContext } from '../../../../src/sources/source.js';

/** A fake store: readings are set by the test; `failEventTimes` makes the last statement fail. */
function fakeStore() {
  const state = { readings: [] as RawReading[], events: [] as EventTime[], failEventTimes: false, gate: undefined as Promise<void> | undefined };
  const q: Query = async () => ({ rows: [], fields: [] });
  const db: Db = { describe: 'fake', readOnly: async (_ms, fn) => fn(q), close: async () => undefined };
  const reader: StoreReader = {
    preset: 'fake',
    validate: async () => undefined,
    listProjections: async () => state.readings.map((r) => r.projection),
    read: async () => {
      await state.gate;
      return state.readings;
    },
    checkpoints: async () => state.readings.map((r) => ({ projection: r.projection, position: r.checkpoint, updatedAt: r.checkpointUpdatedAt })),
    eventTimes: async (_q, ranges) => {
      if (state.failEventTimes) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      return ranges.map((r) => state.events.filter((e) => e.position > r.from && e.position <= r.to));
    },
  };
  return { state, db, reader };
}

function setup(extra: Record<string, unknown> = {}) {
  const f = fakeStore();
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  let now = 1_000_000;
  const store = storeSchema.parse({ name: 's', preset: 'marten', connection: { host: 'localhost' }, ...extra });
  const source = new StoreSource(
    store,
    { metrics, logger: pino({ level: 'silent' }), clock: () => now, board: new SliBoard() },
    { db: f.db, reader: f.reader, dlqName: 's', secrets: [] },
  );
  const ctx = {
    signal: new AbortController().signal,
    clock: () => now,
    startedAt: now,
    logger: pino({ level: 'silent' }),
    span: (_n: string, fn: () => Promise<unknown>) => fn(),
  } as CycleContext;
  const checkpoint = async () => (await registry.getSingleMetric('cqrs_projection_checkpoint_position')!.get()).values[0]?.value;
  const latency = async () => {
    const v = (await registry.getSingleMetric('cqrs_projection_apply_latency_seconds')!.get()).values;
    return {
      sum: v.find((x) => (x as { metricName?: string }).metricName?.endsWith('_sum'))?.value,
      count: v.find((x) => (x as { metricName?: string }).metricName?.endsWith('_count'))?.value,
    };
  };
  return { f, source, ctx, checkpoint, latency, tick: (ms: number) => (now += ms), now: () => now };
}

describe('StoreSource', () => {
  it('a cycle that fails late publishes nothing and keeps the previous tracker state', async () => {
    const { f, source, ctx, checkpoint, tick } = setup();
    f.state.readings = [{ projection: 'p', head: 10, checkpoint: 5, firstUnappliedTime: 999_000 }];
    await source.collect(ctx);
    expect(await checkpoint()).toBe(5);
    f.state.readings = [{ projection: 'p', head: 10, checkpoint: 8, firstUnappliedTime: 999_000 }];
    f.state.failEventTimes = true;
    tick(15_000);
    const err = await source.collect(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).reason).toBe('timeout');
    expect(await checkpoint()).toBe(5); // not half-updated
    // next cycle still sees the advance 5 -> 8 (state was not committed by the failed one)
    f.state.failEventTimes = false;
    tick(15_000);
    const report = await source.collect(ctx);
    expect(await checkpoint()).toBe(8);
    expect(report.projections).toBe(1);
  });

  it('never runs two cycles at once', async () => {
    const { f, source, ctx } = setup();
    let open!: () => void;
    f.state.gate = new Promise<void>((r) => (open = r));
    f.state.readings = [{ projection: 'p', head: 1, checkpoint: 1 }];
    const first = source.collect(ctx);
    await expect(source.collect(ctx)).rejects.toThrow(/previous cycle still running/);
    open();
    await first;
  });

  it('a probe between cycles charges the events of an earlier write that write, not the later one', async () => {
    const { f, source, ctx, latency, tick, now } = setup({ checkpointProbe: '1s' });
    expect(source.probe?.interval).toBe(1);
    const t0 = now();
    f.state.readings = [{ projection: 'p', head: 20, checkpoint: 10 }];
    await source.collect(ctx);
    // Events 11..20, written 1 s before t0. The projector writes 13 (seen by a probe at t0 + 2 s),
    // then 20 (seen by the cycle at t0 + 5 s); no store write time (as Eventuous).
    f.state.events = Array.from({ length: 10 }, (_, i) => ({ position: 11 + i, timestamp: t0 - 1000 }));
    tick(2000);
    f.state.readings = [{ projection: 'p', head: 20, checkpoint: 13 }];
    await source.probe!.run(new AbortController().signal);
    tick(3000);
    f.state.readings = [{ projection: 'p', head: 20, checkpoint: 20 }];
    const report = await source.collect(ctx);
    expect(report.latencySamples).toBe(10);
    // 3 events x 3 s + 7 events x 6 s = 51 s
    expect(await latency()).toEqual({ sum: 51, count: 10 });
  });

  it('without a probe the same events are all charged the reading: 10 x 6 s', async () => {
    const { f, source, ctx, latency, tick, now } = setup({ checkpointProbe: '0s' });
    expect(source.probe).toBeUndefined();
    const t0 = now();
    f.state.readings = [{ projection: 'p', head: 20, checkpoint: 10 }];
    await source.collect(ctx);
    f.state.events = Array.from({ length: 10 }, (_, i) => ({ position: 11 + i, timestamp: t0 - 1000 }));
    tick(5000);
    f.state.readings = [{ projection: 'p', head: 20, checkpoint: 20 }];
    await source.collect(ctx);
    expect(await latency()).toEqual({ sum: 60, count: 10 });
  });

  it('probes every 1 s by default for framework presets, not for generic, never as slow as the cycle', () => {
    const cfg = (extra: Record<string, unknown>) => storeSchema.parse({ name: 's', preset: 'marten', connection: { host: 'h' }, ...extra });
    const generic = { preset: 'generic', generic: { head: 'SELECT 1', checkpoint: 'SELECT 1', eventTime: 'SELECT 1' } };
    expect(probeInterval(cfg({}))).toBe(1);
    expect(probeInterval(cfg({ preset: 'eventuous' }))).toBe(1);
    expect(probeInterval(cfg(generic))).toBeUndefined();
    expect(probeInterval(cfg({ ...generic, checkpointProbe: '2s' }))).toBe(2);
    expect(probeInterval(cfg({ checkpointProbe: '0s' }))).toBeUndefined();
    expect(probeInterval(cfg({ interval: '1s' }))).toBeUndefined();
    expect(() => cfg({ checkpointProbe: '100ms' })).toThrow(/0s \(off\) or at least 250ms/);
  });
});

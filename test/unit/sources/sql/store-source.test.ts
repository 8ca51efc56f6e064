import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { storeSchema } from '../../../../src/config/schema/stores.js';
import { SliBoard } from '../../../../src/core/sli-board.js';
import { createMetrics } from '../../../../src/metrics/create-metrics.js';
import type { Db, Query } from '../../../../src/sources/sql/db.js';
import type { RawReading, StoreReader } from '../../../../src/sources/sql/reader.js';
import { StoreSource } from '../../../../src/sources/sql/store-source.js';
import { SourceError } from '../../../../src/sources/source-error.js';
import type { CycleContext } from '../../../../src/sources/source.js';

/** A fake store: readings are set by the test; `failEventTimes` makes the last statement fail. */
function fakeStore() {
  const state = { readings: [] as RawReading[], failEventTimes: false, gate: undefined as Promise<void> | undefined };
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
    eventTimes: async (_q, ranges) => {
      if (state.failEventTimes) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      return ranges.map(() => []);
    },
  };
  return { state, db, reader };
}

function setup() {
  const f = fakeStore();
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  let now = 1_000_000;
  const store = storeSchema.parse({ name: 's', preset: 'marten', connection: { host: 'localhost' } });
  const source = new StoreSource(store, { metrics, logger: pino({ level: 'silent' }), clock: () => now, board: new SliBoard() }, { db: f.db, reader: f.reader, dlqName: 's', secrets: [] });
  const ctx = { signal: new AbortController().signal, clock: () => now, startedAt: now, logger: pino({ level: 'silent' }), span: (_n: string, fn: () => Promise<unknown>) => fn() } as CycleContext;
  const checkpoint = async () => (await registry.getSingleMetric('cqrs_projection_checkpoint_position')!.get()).values[0]?.value;
  return { f, source, ctx, checkpoint, tick: (ms: number) => (now += ms) };
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
});

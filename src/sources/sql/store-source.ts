import type { StoreConfig } from '../../config/schema/stores.js';
import { passes } from '../../config/schema/common.js';
import { targetKey } from '../../core/sli-board.js';
import {
  applyLatencies,
  samplingStride,
  trackProjection,
  type CheckpointWrite,
  type ProjectionRules,
  type ProjectionSli,
  type ProjectionTrackState,
} from '../../core/projection/index.js';
import type { EpochMillis } from '../../core/units.js';
import type { CycleContext, CycleReport, Source, SourceProbe } from '../source.js';
import { SourceError } from '../source-error.js';
import type { SourceDeps } from '../deps.js';
import type { Db } from './db.js';
import type { DeadLetterReader, DeadLetterReading } from './dead-letters.js';
import { storeError } from './errors.js';
import { ProjectionSeries } from './publish.js';
import type { AdvanceRange, RawReading, StoreReader } from './reader.js';

/** A projection that vanished from discovery is still read (as "not started") this long: Marten deletes its progress row while rebuilding. */
const FORGET_AFTER_MS = 10 * 60_000;
/** Fewest event times read per advancing projection, however many share the cycle budget. */
const MIN_SAMPLES_PER_ADVANCE = 10;
/** Probed checkpoint writes kept per projection between cycles at most (the oldest go first). */
const MAX_PROBED_WRITES = 256;

export interface StoreSourceParts {
  readonly db: Db;
  readonly reader: StoreReader;
  readonly deadLetters?: DeadLetterReader | undefined;
  /** `dlq` label of the dead-letter series. */
  readonly dlqName: string;
  /** Strings to scrub from error messages (passwords). */
  readonly secrets: readonly string[];
}

/**
 * Seconds between checkpoint probes, or undefined for none. Framework presets read every
 * checkpoint in one statement, so a 1 s probe is one cheap query a second and makes apply
 * latency exact for projectors writing at most once a second (docs/stores.md, measured); the
 * generic preset runs its checkpoint statement once per projection, so it probes only when
 * asked. A probe as slow as the cycle adds nothing.
 */
export function probeInterval(store: StoreConfig): number | undefined {
  const s = store.checkpointProbe ?? (store.preset === 'generic' ? 0 : 1);
  return s > 0 && s < store.interval ? s : undefined;
}

interface Tracked {
  state: ProjectionTrackState;
  lastListedAt: EpochMillis;
}

/**
 * One SQL store as a Source: per cycle, one read-only transaction reads every projection's
 * head, checkpoint and first unapplied event (plus event times for apply latency and the
 * dead-letter table), the pure core turns them into SLIs, and only then are series and
 * tracker state updated, so a failed cycle leaves no half-written state behind.
 */
export class StoreSource implements Source {
  readonly name: string;
  readonly interval: number;
  readonly timeout: number;
  readonly probe: SourceProbe | undefined;
  readonly #tracked = new Map<string, Tracked>();
  readonly #series: ProjectionSeries;
  readonly #rules: ProjectionRules;
  #validated = false;
  #running = false;
  #probing = false;
  /** Checkpoint writes seen by probes since the last successful cycle, per projection, in order. */
  readonly #probed = new Map<string, CheckpointWrite[]>();
  #dlqExported = false;

  constructor(
    private readonly store: StoreConfig,
    private readonly deps: SourceDeps,
    private readonly parts: StoreSourceParts,
  ) {
    this.name = `store:${store.name}`;
    this.interval = store.interval;
    // Several statements per cycle, each bounded by statement_timeout.
    this.timeout = store.timeout ?? Math.max(5, store.statementTimeout * 4);
    this.#series = new ProjectionSeries(deps.metrics, store.name);
    this.#rules = { stallAfter: store.stallAfter, window: store.statusWindow };
    const probe = probeInterval(store);
    this.probe = probe === undefined ? undefined : { interval: probe, run: () => this.#probe() };
  }

  /**
   * Reads the tracked projections' checkpoints alone and remembers each new position with its
   * write time (the store's, else the time it was seen): the next cycle charges the events it
   * covered to this write instead of a later one. Skipped while a cycle runs or before the
   * first successful cycle (nothing tracked yet).
   */
  async #probe(): Promise<void> {
    const names = [...this.#tracked.keys()];
    if (this.#running || this.#probing || !this.#validated || names.length === 0) return;
    this.#probing = true;
    try {
      const rows = await this.parts.db.readOnly(this.store.statementTimeout * 1000, (q) => this.parts.reader.checkpoints(q, names));
      // Taken after the read: whatever it saw was written by now.
      const seen = this.deps.clock();
      for (const c of rows) {
        const list = this.#probed.get(c.projection) ?? [];
        const last = list[list.length - 1]?.position ?? this.#tracked.get(c.projection)?.state.last.checkpoint;
        if (c.position === last) continue;
        list.push({ position: c.position, at: c.updatedAt ?? seen });
        if (list.length > MAX_PROBED_WRITES) list.shift();
        this.#probed.set(c.projection, list);
      }
    } finally {
      this.#probing = false;
    }
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    // A cycle abandoned on timeout may still be waiting on the database: never run two at once
    // on the same tracker state.
    if (this.#running) throw new SourceError(`store "${this.store.name}": previous cycle still running`, { reason: 'timeout' });
    this.#running = true;
    try {
      return await this.#cycle(ctx.signal);
    } catch (err) {
      this.#validated = false; // re-check tables / user SQL once the store is back
      throw storeError(this.store.name, this.parts.reader.preset, err, this.parts.secrets);
    } finally {
      this.#running = false;
    }
  }

  async #cycle(signal: AbortSignal): Promise<CycleReport> {
    const { reader, deadLetters } = this.parts;
    const store = this.store;
    const pending = new Map<string, Tracked>();
    const slis: { reading: RawReading; sli: ProjectionSli; latencies: number[] }[] = [];
    let skewed = 0;
    let dropped = 0;
    let dl: DeadLetterReading | undefined;
    const consumed = new Map<string, number>();

    await this.parts.db.readOnly(
      store.statementTimeout * 1000,
      async (q) => {
        if (!this.#validated) await reader.validate(q, store.projectionList ?? []);
        const now = this.deps.clock();
        let names: string[];
        let listed: Set<string>;
        if (store.projectionList) listed = new Set(store.projectionList);
        else listed = new Set((await reader.listProjections(q)).filter((p) => passes(store.projections, p)));
        const all = new Set(listed);
        for (const [p, t] of this.#tracked) if (!all.has(p) && now - t.lastListedAt < FORGET_AFTER_MS) all.add(p);
        names = [...all];
        if (names.length > store.maxProjections) {
          dropped = names.length - store.maxProjections;
          names = names.sort().slice(0, store.maxProjections);
        }

        // Probed writes up to here belong to this reading (a probe running alongside may add more).
        for (const [p, list] of this.#probed) consumed.set(p, list.length);
        const at = this.deps.clock();
        const readings = await reader.read(q, names);
        for (const r of readings) {
          const prev = this.#tracked.get(r.projection);
          const probedWrites = this.#probed.get(r.projection)?.slice(0, consumed.get(r.projection) ?? 0);
          const { state, sli } = trackProjection(prev?.state, { ...r, at, probedWrites }, this.#rules);
          pending.set(r.projection, { state, lastListedAt: listed.has(r.projection) ? at : (prev?.lastListedAt ?? at) });
          slis.push({ reading: r, sli, latencies: [] });
          skewed += sli.skewed;
        }

        const advancing = slis.filter((x) => x.sli.advance);
        // The cycle budget is shared by the advancing projections, but each keeps a few samples
        // (never more than the whole budget): the cost stays O(budget + 10 x projections).
        const perAdvance = Math.min(store.latencySamples, Math.max(MIN_SAMPLES_PER_ADVANCE, Math.floor(store.latencySamples / Math.max(1, advancing.length))));
        const ranges: AdvanceRange[] = advancing.map((x) => {
          const a = x.sli.advance!;
          return { projection: x.reading.projection, from: a.from, to: a.to, stride: samplingStride(a.from, a.to, perAdvance), limit: perAdvance };
        });
        const times = await reader.eventTimes(q, ranges);
        advancing.forEach((x, i) => {
          const r = applyLatencies(times[i] ?? [], x.sli.advance!.writes);
          x.latencies = r.latencies;
          skewed += r.skewed;
        });

        if (deadLetters) dl = await deadLetters.read(q, this.deps.clock());
      },
      signal,
    );

    this.#validated = true;
    for (const [p, n] of consumed) {
      const list = this.#probed.get(p);
      if (list) list.splice(0, n);
      if (!list?.length || !pending.has(p)) this.#probed.delete(p);
    }
    this.#commit(pending, slis, dl, skewed, dropped);
    return {
      projections: slis.length,
      lagging: slis.filter((x) => x.sli.lagEvents > 0).length,
      latencySamples: slis.reduce((n, x) => n + x.latencies.length, 0),
      ...(dl ? { deadLetters: dl.depth } : {}),
    };
  }

  #commit(
    pending: Map<string, Tracked>,
    slis: { reading: RawReading; sli: ProjectionSli; latencies: number[] }[],
    dl: DeadLetterReading | undefined,
    skewed: number,
    dropped: number,
  ): void {
    const { metrics, board } = this.deps;
    for (const [p, t] of pending) this.#tracked.set(p, t);
    for (const p of [...this.#tracked.keys()]) if (!pending.has(p)) this.#tracked.delete(p);
    for (const p of [...this.#series.projections]) {
      if (!pending.has(p)) {
        this.#series.remove(p);
        board.setStaleness(targetKey.projection(this.store.name, p), undefined);
      }
    }
    let applied = 0;
    for (const { reading, sli, latencies } of slis) {
      this.#series.set(reading, sli);
      this.#series.observe(reading.projection, latencies);
      const target = targetKey.projection(this.store.name, reading.projection);
      board.setStaleness(target, sli.stalenessSeconds, sli.status);
      if (latencies.length > 0) board.addLatencies(target, latencies);
      if (sli.advance) applied += sli.advance.to - sli.advance.from;
    }
    if (skewed > 0) metrics.monitor.clockSkew.inc({ source: this.name }, skewed);
    if (dropped > 0) metrics.monitor.seriesDropped.inc({ source: this.name }, dropped);
    if (dl) {
      dl.commit();
      const dlq = this.parts.dlqName;
      metrics.dlq.messages.set({ dlq }, dl.depth);
      metrics.dlq.oldestAge.set({ dlq }, dl.oldestAgeSeconds);
      for (const f of dl.inflow) metrics.dlq.inflow.inc({ dlq, source: f.source, reason: f.reason }, f.count);
      if (dl.skewed) metrics.monitor.clockSkew.inc({ source: this.name }, 1);
      // Delivery SLO: events the store's projections moved past (dead-lettered ones included,
      // checkpoints skip them) vs. events dead-lettered.
      board.addEvents('delivery', targetKey.dlq(dlq), Math.max(applied, dl.newTotal), dl.newTotal);
      this.#dlqExported = true;
    }
  }

  clear(): void {
    for (const p of this.#series.projections) this.deps.board.setStaleness(targetKey.projection(this.store.name, p), undefined);
    this.#series.clear();
    if (this.#dlqExported) {
      this.deps.metrics.dlq.messages.remove({ dlq: this.parts.dlqName });
      this.deps.metrics.dlq.oldestAge.remove({ dlq: this.parts.dlqName });
      this.#dlqExported = false;
    }
  }

  async close(): Promise<void> {
    await this.parts.db.close();
  }
}

import type { SloConfig } from '../config/schema/slos.js';
import type { SliTarget } from '../core/sli-board.js';
import { eventCounts, freshnessTick, latencyCounts, readAfterWriteCounts, UNKNOWN_REASONS, type TickCounts } from '../core/slo/tick.js';
import type { EpochMillis, Seconds } from '../core/units.js';
import type { SourceDeps } from '../sources/deps.js';
import type { CycleContext, CycleReport, Source } from '../sources/source.js';
import type { BoardDrain } from './drain.js';
import { durationText } from '../core/slo/duration-text.js';

/** Options of one SLO evaluator. */
export interface SloEvaluatorOptions {
  readonly slo: SloConfig;
  readonly target: SliTarget;
  readonly drain: BoardDrain;
  /**
   * Freshness only: before the target has been read once, ticks are skipped for this long after
   * start (the source's first cycle has not run yet); after it, an unread target is unknown
   * (`unreadable`), or bad with `unknown: bad`.
   */
  readonly startupGrace: Seconds;
}

/**
 * Turns the SLI board into `cqrs_slo_good_total` / `cqrs_slo_total` (and
 * `cqrs_slo_unknown_total`) for one SLO, each tick. Runs as a Source so the scheduler drives,
 * times and reports it. Never throws for missing data: a freshness tick without a reading is
 * unknown by default (documented in docs/slos.md).
 */
export class SloEvaluator implements Source {
  readonly name: string;
  readonly interval: Seconds;
  readonly timeout: Seconds;
  #startedAt: EpochMillis | undefined;

  constructor(
    private readonly deps: SourceDeps,
    private readonly opts: SloEvaluatorOptions,
  ) {
    const { slo } = opts;
    this.name = `slo:${slo.name}`;
    this.interval = slo.evaluationInterval;
    this.timeout = Math.max(1, slo.evaluationInterval);
    const m = deps.metrics.slo;
    const labels = { slo: slo.name };
    // Counters exist from the start, so rate() has a base before the first bad event.
    m.good.inc(labels, 0);
    m.total.inc(labels, 0);
    // For every measured kind, so that coverage = total / (total + unknown) exists for each SLO.
    for (const reason of UNKNOWN_REASONS) m.unknown.inc({ ...labels, reason }, 0);
    m.info.set(
      {
        slo: slo.name,
        objective: String(slo.objective),
        window: slo.calendarMonth ? 'month' : durationText(slo.period),
        owner: slo.owner,
        tier: slo.tier,
        kind: slo.sli.kind,
      },
      1,
    );
    const id = slo.name;
    if (slo.sli.kind === 'apply_latency') opts.drain.subscribeLatencies(opts.target, id);
    if (slo.sli.kind === 'read_after_write') opts.drain.subscribeProbe(opts.target, id);
    if (slo.sli.kind === 'duplicates' || slo.sli.kind === 'completeness' || slo.sli.kind === 'delivery')
      opts.drain.subscribeEvents(slo.sli.kind, opts.target, id);
  }

  /** Counts of this tick, or undefined to skip it. */
  tick(now: EpochMillis): TickCounts | undefined {
    const { slo, target, drain } = this.opts;
    const sli = slo.sli;
    this.#startedAt ??= now;
    switch (sli.kind) {
      case 'freshness': {
        const board = this.deps.board;
        const reading = {
          seen: board.hasTarget(target),
          staleness: board.staleness(target),
          rebuilding: board.status(target) === 'REBUILDING',
          sinceStart: (now - this.#startedAt) / 1000,
          elsewhere: board.isElsewhere(target),
        };
        return freshnessTick(reading, sli.threshold, slo, this.opts.startupGrace);
      }
      case 'apply_latency':
        return latencyCounts(drain.takeLatencies(target, slo.name), sli.threshold);
      case 'read_after_write':
        return readAfterWriteCounts(drain.takeProbeOutcomes(target, slo.name), sli.threshold);
      case 'duplicates':
      case 'completeness':
      case 'delivery': {
        const c = drain.takeEvents(sli.kind, target, slo.name);
        return eventCounts(c.total, c.bad);
      }
      default:
        return undefined;
    }
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    const counts = this.tick(ctx.clock());
    if (!counts) return { skipped: 1 };
    const labels = { slo: this.opts.slo.name };
    const m = this.deps.metrics.slo;
    if (counts.total > 0) {
      m.total.inc(labels, counts.total);
      if (counts.good > 0) m.good.inc(labels, counts.good);
    }
    if (counts.unknown) m.unknown.inc({ ...labels, reason: counts.unknown.reason }, counts.unknown.count);
    return { good: counts.good, total: counts.total, ...(counts.unknown ? { unknown: counts.unknown.count } : {}) };
  }

  /** SLO counters are never removed: a reset would look like a counter restart to Prometheus. */
  clear(): void {}

  async close(): Promise<void> {}
}

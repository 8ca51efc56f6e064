import type { Metrics } from '../../metrics/create-metrics.js';
import { PROJECTION_STATUSES, type ProjectionSli } from '../../core/projection/index.js';
import type { Seconds } from '../../core/units.js';
import type { RawReading } from './reader.js';

/**
 * Writes a store's projection series and removes them again. Only gauges are removed when a
 * projection or the store cannot be read (a gauge left behind would be a made-up current
 * value); the apply-latency histogram is history and keeps counting across outages.
 */
export class ProjectionSeries {
  readonly #exported = new Set<string>();

  constructor(
    private readonly metrics: Metrics,
    private readonly store: string,
  ) {}

  get projections(): ReadonlySet<string> {
    return this.#exported;
  }

  set(r: RawReading, sli: ProjectionSli): void {
    const m = this.metrics.projection;
    const l = { store: this.store, projection: r.projection };
    m.headPosition.set(l, r.head);
    m.checkpointPosition.set(l, r.checkpoint);
    m.lagEvents.set(l, sli.lagEvents);
    if (sli.stalenessSeconds === undefined) m.lagSeconds.remove(l);
    else m.lagSeconds.set(l, sli.stalenessSeconds);
    m.checkpointAge.set(l, sli.checkpointAgeSeconds);
    for (const status of PROJECTION_STATUSES) m.status.set({ ...l, status }, status === sli.status ? 1 : 0);
    if (sli.rebuildDurationSeconds === undefined) m.rebuildDuration.remove(l);
    else m.rebuildDuration.set(l, sli.rebuildDurationSeconds);
    if (sli.rebuildProgress === undefined) m.rebuildProgress.remove(l);
    else m.rebuildProgress.set(l, sli.rebuildProgress);
    this.#exported.add(r.projection);
  }

  observe(projection: string, latencies: readonly Seconds[]): void {
    const h = this.metrics.projection.applyLatency;
    const l = { store: this.store, projection };
    for (const v of latencies) h.observe(l, v);
  }

  remove(projection: string): void {
    const m = this.metrics.projection;
    const l = { store: this.store, projection };
    for (const g of [m.headPosition, m.checkpointPosition, m.lagEvents, m.lagSeconds, m.checkpointAge, m.rebuildDuration, m.rebuildProgress]) g.remove(l);
    for (const status of PROJECTION_STATUSES) m.status.remove({ ...l, status });
    this.#exported.delete(projection);
  }

  clear(): void {
    for (const p of [...this.#exported]) this.remove(p);
  }
}

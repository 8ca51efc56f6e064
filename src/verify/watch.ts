import { trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import type { Config } from '../config/schema/index.js';
import { SliBoard } from '../core/sli-board.js';
import type { Position } from '../core/units.js';
import { createMetrics } from '../metrics/create-metrics.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { buildSources } from '../build-sources.js';
import type { Logger } from '../telemetry/logger.js';
import { seriesSum } from './series.js';

/** What is watched for its backlog: a projection of a store, or a consumer group of a cluster. */
export type BacklogTarget =
  | { readonly kind: 'projection'; readonly store: string; readonly projection: string }
  | { readonly kind: 'group'; readonly cluster: string; readonly group: string };

/** One reading: a value, or why there is none (never a made-up 0). */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface ProjectionPositions {
  readonly head: Position;
  readonly checkpoint: Position;
}

/** Totals counted by the stream tail since the watch started (the first successful reading is the baseline). */
export interface StreamTotals {
  readonly lost: number;
  readonly duplicated: number;
  readonly observed: number;
  /** Rows or records read by the last cycle (0: the tail is at the end). */
  readonly lastRead: number;
}

export function sourceName(t: BacklogTarget): string {
  return t.kind === 'projection' ? `store:${t.store}` : `kafka:${t.cluster}`;
}

/**
 * The real sources of the configuration (store or Kafka cluster, and the stream tail), run on
 * demand against a registry of their own: the verify commands read exactly what the monitor
 * would export, with the same presets, secrets handling and error messages.
 */
export class Watch {
  readonly #registry: Registry;
  readonly #scheduler: Scheduler;
  readonly #target: BacklogTarget;
  readonly #stream: string | undefined;
  #streamBase: { lost: number; duplicated: number; observed: number } | undefined;
  #redeliveredBase: number | undefined;

  /** The named sources (and the stream tail), built as the monitor builds them. */
  static async open(config: Config, target: BacklogTarget, stream: string | undefined, logger: Logger): Promise<Watch> {
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const clock = () => Date.now();
    const deps = { metrics, logger, clock, board: new SliBoard() };
    const wanted = new Set([sourceName(target), ...(stream ? [`stream:${stream}`] : [])]);
    // Only the named sources; no SLO sources (their state is not part of a verification).
    const sources = await buildSources({ ...config, slos: [] }, deps, { only: (n) => wanted.has(n) });
    return new Watch(registry, new Scheduler({ sources, metrics, logger, tracer: trace.getTracer('cqrs-slo-verify'), clock }), target, stream);
  }

  private constructor(registry: Registry, scheduler: Scheduler, target: BacklogTarget, stream: string | undefined) {
    this.#registry = registry;
    this.#scheduler = scheduler;
    this.#target = target;
    this.#stream = stream;
  }

  async #cycle(name: string): Promise<Reading<void>> {
    const st = await this.#scheduler.runOnce(name);
    if (!st.up) return { ok: false, error: st.lastError?.message ?? `${name}: not read` };
    return { ok: true, value: undefined };
  }

  /** Head and checkpoint of the watched projection (store targets only). */
  async positions(): Promise<Reading<ProjectionPositions>> {
    const t = this.#target;
    if (t.kind !== 'projection') throw new Error('positions() needs a projection target');
    const c = await this.#cycle(sourceName(t));
    if (!c.ok) return c;
    const labels = { store: t.store, projection: t.projection };
    const head = await seriesSum(this.#registry, 'cqrs_projection_head_position', labels);
    const checkpoint = await seriesSum(this.#registry, 'cqrs_projection_checkpoint_position', labels);
    if (head === undefined || checkpoint === undefined) return { ok: false, error: `store "${t.store}" reports no projection "${t.projection}"` };
    return { ok: true, value: { head, checkpoint } };
  }

  /** The backlog: projection lag in events, or the group's total offset lag in messages. */
  async backlog(): Promise<Reading<number>> {
    const t = this.#target;
    if (t.kind === 'projection') {
      const p = await this.positions();
      return p.ok ? { ok: true, value: Math.max(0, p.value.head - p.value.checkpoint) } : p;
    }
    const c = await this.#cycle(sourceName(t));
    if (!c.ok) return c;
    const lag = await seriesSum(this.#registry, 'cqrs_kafka_group_total_lag_messages', { cluster: t.cluster, group: t.group });
    if (lag === undefined)
      return {
        ok: false,
        error: `cluster "${t.cluster}" reports no consumer group "${t.group}" (not found, filtered out by clusters[].groups, or no committed offsets)`,
      };
    return { ok: true, value: lag };
  }

  /** Messages re-delivered by rewinds of the group's committed offsets since the first reading (groups only). */
  async redelivered(): Promise<number | undefined> {
    const t = this.#target;
    if (t.kind !== 'group') return undefined;
    const v = (await seriesSum(this.#registry, 'cqrs_kafka_group_redelivered_messages_total', { cluster: t.cluster, group: t.group })) ?? 0;
    this.#redeliveredBase ??= v;
    return v - this.#redeliveredBase;
  }

  /** One cycle of the stream tail; totals since the first successful one. */
  async stream(): Promise<Reading<StreamTotals> | undefined> {
    const name = this.#stream;
    if (name === undefined) return undefined;
    const st = await this.#scheduler.runOnce(`stream:${name}`);
    if (!st.up) return { ok: false, error: st.lastError?.message ?? `stream "${name}": not read` };
    const l = { stream: name };
    const now = {
      lost: (await seriesSum(this.#registry, 'cqrs_events_gap_total', l)) ?? 0,
      duplicated: (await seriesSum(this.#registry, 'cqrs_events_duplicate_total', l)) ?? 0,
      observed: (await seriesSum(this.#registry, 'cqrs_events_observed_total', l)) ?? 0,
    };
    this.#streamBase ??= now;
    const b = this.#streamBase;
    return {
      ok: true,
      value: { lost: now.lost - b.lost, duplicated: now.duplicated - b.duplicated, observed: now.observed - b.observed, lastRead: st.lastReport?.records ?? 0 },
    };
  }

  async close(): Promise<void> {
    await this.#scheduler.stop(2);
  }
}

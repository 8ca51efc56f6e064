import type { ProjectionStatus } from './projection/types.js';
import type { Seconds } from './units.js';
import type { ProbeOutcome } from './probe/outcome.js';

/**
 * What an SLO can be measured on: a projection in a store, a consumer group in a cluster,
 * a tailed stream, a dead-letter queue or a read-after-write probe. The key is stable text, e.g.
 * `projection:orders/Trip:All`, `group:main/billing`, `stream:orders`, `dlq:orders-dlt`.
 */
export type SliTarget = string;

export const targetKey = {
  projection: (store: string, projection: string): SliTarget => `projection:${store}/${projection}`,
  group: (cluster: string, group: string): SliTarget => `group:${cluster}/${group}`,
  stream: (stream: string): SliTarget => `stream:${stream}`,
  dlq: (dlq: string): SliTarget => `dlq:${dlq}`,
  queue: (broker: string, vhost: string, queue: string): SliTarget => `queue:${broker}/${vhost}/${queue}`,
  probe: (probe: string): SliTarget => `probe:${probe}`,
};

/** Event counts that event-based SLOs are built from. */
export interface EventCounts {
  /** Events applied/observed. */
  total: number;
  /** Of those, the bad ones (duplicate, dead-lettered, missing, slow). */
  bad: number;
}

/**
 * The latest SLI values, written by sources after each cycle and read by the SLO evaluator.
 * Plain in-memory state: sources decide, the board only remembers. Bounded by the number of
 * configured targets.
 */
export class SliBoard {
  readonly #staleness = new Map<SliTarget, Seconds | undefined>();
  readonly #status = new Map<SliTarget, ProjectionStatus>();
  readonly #events = new Map<string, EventCounts>();
  readonly #latency = new Map<SliTarget, Seconds[]>();
  readonly #probe = new Map<SliTarget, ProbeOutcome[]>();
  /** Targets another replica reads (sharding): nothing to judge here, neither good, bad nor unknown. */
  readonly #elsewhere = new Set<SliTarget>();

  /**
   * Staleness of a target; `undefined` means it could not be read (an unknown tick for SLOs).
   * `status` is the projection status read in the same cycle (projections only), so that a
   * freshness SLO can tell a rebuild from an outage; it is forgotten with every call without it.
   */
  setStaleness(target: SliTarget, seconds: Seconds | undefined, status?: ProjectionStatus): void {
    this.#elsewhere.delete(target);
    this.#staleness.set(target, seconds);
    if (status === undefined) this.#status.delete(target);
    else this.#status.set(target, status);
  }

  /** The projection status read with the last staleness; undefined when unknown or not a projection. */
  status(target: SliTarget): ProjectionStatus | undefined {
    return this.#status.get(target);
  }

  staleness(target: SliTarget): Seconds | undefined {
    return this.#staleness.get(target);
  }

  /**
   * The target is read by another replica (a consumer group another replica owns): its SLO ticks
   * are that replica's, so this one skips them instead of counting them unknown (or bad).
   */
  setElsewhere(target: SliTarget): void {
    this.#staleness.delete(target);
    this.#status.delete(target);
    this.#elsewhere.add(target);
  }

  /** Forgets an elsewhere mark (the group is gone from the cluster): bounded by the listed groups. */
  clearElsewhere(target: SliTarget): void {
    this.#elsewhere.delete(target);
  }

  isElsewhere(target: SliTarget): boolean {
    return this.#elsewhere.has(target);
  }

  hasTarget(target: SliTarget): boolean {
    return this.#staleness.has(target);
  }

  /** Adds event counts for an event-based SLI kind (`duplicates`, `delivery`, `completeness`). */
  addEvents(kind: string, target: SliTarget, total: number, bad: number): void {
    const key = `${kind}|${target}`;
    const cur = this.#events.get(key) ?? { total: 0, bad: 0 };
    cur.total += total;
    cur.bad += bad;
    this.#events.set(key, cur);
  }

  /** Takes (and resets) the counts accumulated since the last call. */
  takeEvents(kind: string, target: SliTarget): EventCounts {
    const key = `${kind}|${target}`;
    const cur = this.#events.get(key) ?? { total: 0, bad: 0 };
    this.#events.delete(key);
    return cur;
  }

  /** Records per-event apply latencies (seconds) observed for a target. Capped per drain. */
  addLatencies(target: SliTarget, latencies: readonly Seconds[]): void {
    const cur = this.#latency.get(target) ?? [];
    for (const l of latencies) if (cur.length < 100_000) cur.push(l);
    this.#latency.set(target, cur);
  }

  takeLatencies(target: SliTarget): Seconds[] {
    const cur = this.#latency.get(target) ?? [];
    this.#latency.delete(target);
    return cur;
  }

  /** Records finished read-after-write probe runs for a target. Capped per drain. */
  addProbeOutcomes(target: SliTarget, outcomes: readonly ProbeOutcome[]): void {
    const cur = this.#probe.get(target) ?? [];
    for (const o of outcomes) if (cur.length < 100_000) cur.push(o);
    this.#probe.set(target, cur);
  }

  takeProbeOutcomes(target: SliTarget): ProbeOutcome[] {
    const cur = this.#probe.get(target) ?? [];
    this.#probe.delete(target);
    return cur;
  }
}

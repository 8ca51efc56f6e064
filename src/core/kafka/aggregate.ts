import type { Count, Seconds } from '../units.js';

/** What one partition contributes to its topic's and group's aggregates. */
export interface PartitionLag {
  readonly topic: string;
  readonly lag: Count;
  /** Undefined when the time lag of the partition is unknown. */
  readonly seconds: Seconds | undefined;
}

/** Sum and maximum of offset lag, and the maximum time lag, over a set of partitions. */
export interface LagAggregate {
  readonly sum: Count;
  readonly max: Count;
  /**
   * Oldest unconsumed message over the partitions (max of time lags). Undefined when any
   * lagging partition has an unknown time lag: a maximum over partial data would understate.
   */
  readonly seconds: Seconds | undefined;
  readonly partitions: number;
}

/**
 * A LagAggregate being summed, one partition at a time, without an object per partition (the
 * collector adds 500 000 group-partitions per cycle at 5 000 groups x 100 partitions).
 */
export class LagSum {
  sum = 0;
  max = 0;
  /** Max of the known time lags (from 0). */
  seconds = 0;
  /** A lagging partition has no time lag: the aggregate's is unknown. */
  unknown = false;
  partitions = 0;

  /** One partition: its offset lag and time lag (undefined when unknown). */
  add(lag: Count, seconds: Seconds | undefined): void {
    this.sum += lag;
    if (lag > this.max) this.max = lag;
    this.partitions++;
    if (seconds === undefined) {
      if (lag > 0) this.unknown = true;
    } else if (seconds > this.seconds) this.seconds = seconds;
  }

  result(): LagAggregate {
    return { sum: this.sum, max: this.max, seconds: this.unknown ? undefined : this.seconds, partitions: this.partitions };
  }
}

/** Aggregates per topic and over the whole group. */
export function aggregateLag(parts: readonly PartitionLag[]): { byTopic: Map<string, LagAggregate>; group: LagAggregate } {
  const topics = new Map<string, LagSum>();
  const all = new LagSum();
  for (const p of parts) {
    let t = topics.get(p.topic);
    if (!t) topics.set(p.topic, (t = new LagSum()));
    t.add(p.lag, p.seconds);
    all.add(p.lag, p.seconds);
  }
  return { byTopic: new Map([...topics].map(([k, v]) => [k, v.result()])), group: all.result() };
}

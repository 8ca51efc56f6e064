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

function add(acc: { sum: number; max: number; seconds: number | undefined; unknown: boolean; partitions: number }, p: PartitionLag): void {
  acc.sum += p.lag;
  acc.max = Math.max(acc.max, p.lag);
  acc.partitions++;
  if (p.seconds === undefined) {
    if (p.lag > 0) acc.unknown = true;
  } else acc.seconds = Math.max(acc.seconds ?? 0, p.seconds);
}

function finish(acc: { sum: number; max: number; seconds: number | undefined; unknown: boolean; partitions: number }): LagAggregate {
  return { sum: acc.sum, max: acc.max, seconds: acc.unknown ? undefined : (acc.seconds ?? 0), partitions: acc.partitions };
}

/** Aggregates per topic and over the whole group. */
export function aggregateLag(parts: readonly PartitionLag[]): { byTopic: Map<string, LagAggregate>; group: LagAggregate } {
  const blank = () => ({ sum: 0, max: 0, seconds: undefined as number | undefined, unknown: false, partitions: 0 });
  const topics = new Map<string, ReturnType<typeof blank>>();
  const all = blank();
  for (const p of parts) {
    let t = topics.get(p.topic);
    if (!t) topics.set(p.topic, (t = blank()));
    add(t, p);
    add(all, p);
  }
  return { byTopic: new Map([...topics].map(([k, v]) => [k, finish(v)])), group: finish(all) };
}

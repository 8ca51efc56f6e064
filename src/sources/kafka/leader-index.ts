/** The part of kafkajs's cached Metadata answer that names partition leaders. */
export interface TopicLeaders {
  readonly topic: string;
  readonly partitionMetadata: readonly { readonly partitionId: number; readonly leader: number | null | undefined }[];
}

/** Leader node id -> partition ids, in metadata order; `error` when a partition has no leader field. */
export type LeaderGroups = Map<string, number[]> | Error;

/**
 * Partitions grouped by leader, for every topic, in one pass over the metadata. kafkajs's
 * `findLeaderForPartitions` scans the topic list per topic and the partition list per partition,
 * and copies its result object per partition: quadratic in partitions per topic, called twice
 * per topic per cycle (latest and earliest offsets). Same grouping, same failure (a partition
 * whose leader field is missing fails its topic), linear.
 */
export function indexLeaders(topics: readonly TopicLeaders[]): Map<string, LeaderGroups> {
  const out = new Map<string, LeaderGroups>();
  for (const t of topics) {
    if (out.has(t.topic)) continue; // kafkajs's `find` takes the first entry of a name
    const byLeader = new Map<string, number[]>();
    let bad: Error | undefined;
    for (const p of t.partitionMetadata) {
      if (p.leader === null || p.leader === undefined) {
        bad = new Error(`Invalid partition metadata: topic ${t.topic} partition ${p.partitionId} has no leader`);
        break;
      }
      const k = String(p.leader);
      const list = byLeader.get(k);
      if (list) list.push(p.partitionId);
      else byLeader.set(k, [p.partitionId]);
    }
    // Node ids ascending, as the keys of kafkajs's result object come out.
    out.set(t.topic, bad ?? new Map([...byLeader].sort((a, b) => Number(a[0]) - Number(b[0]))));
  }
  return out;
}

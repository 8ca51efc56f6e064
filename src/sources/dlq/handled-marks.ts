import type { Admin } from 'kafkajs';
import { partitionKey } from './dlq-reader.js';

/** Per-partition positions of a DLQ topic. */
export interface PartitionDepth {
  topic: string;
  partition: number;
  high: number;
  /** First unhandled offset: the reprocessing group's committed offset, else the low watermark. */
  mark: number;
  /** max(0, high - mark). */
  depth: number;
}

/**
 * Reads the depth of DLQ topics: high watermark minus the committed offset of the group that
 * re-processes the DLQ, or minus the low watermark when there is no such group or it has not
 * committed on a partition (then everything retained is unhandled). A committed offset below
 * the low watermark (records deleted by retention) counts from the low watermark.
 */
export async function readDepths(admin: Admin, topics: readonly string[], reprocessGroup: string | undefined): Promise<PartitionDepth[]> {
  const committed = new Map<string, number>();
  if (reprocessGroup && topics.length > 0) {
    for (const t of await admin.fetchOffsets({ groupId: reprocessGroup, topics: [...topics] })) {
      for (const p of t.partitions) committed.set(partitionKey(t.topic, p.partition), Number(p.offset));
    }
  }
  const out: PartitionDepth[] = [];
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const high = Number(p.high);
      const low = Number(p.low);
      const c = committed.get(partitionKey(topic, p.partition));
      const mark = Math.min(high, Math.max(low, c !== undefined && c >= 0 ? c : low));
      out.push({ topic, partition: p.partition, high, mark, depth: Math.max(0, high - mark) });
    }
  }
  return out;
}

/** The handled marks as the reader wants them. */
export function marksOf(depths: readonly PartitionDepth[]): Map<string, number> {
  return new Map(depths.map((d) => [partitionKey(d.topic, d.partition), d.mark]));
}

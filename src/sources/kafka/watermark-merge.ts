import type { PartitionWatermarks } from './client.js';
import type { ListOffsetsColumns } from './list-offsets.js';

/**
 * Pairs the high and low watermarks of the same ListOffsets chunk into `out`, in the order of the
 * high answers; a partition without a low answer is left out. The lows of a topic are laid out by
 * partition in one array (NaN: not answered; of two answers the later wins): a map entry per
 * partition was 100 000 entries a cycle at 1 000 topics x 100 partitions (docs/performance.md,
 * "Large clusters").
 */
export function mergeWatermarks(high: readonly ListOffsetsColumns[], low: readonly ListOffsetsColumns[], out: PartitionWatermarks[]): void {
  const lows = new Map<string, Float64Array>();
  for (const t of low) lows.set(t.topic, layOut(lows.get(t.topic), t));
  for (const t of high) {
    const l = lows.get(t.topic);
    if (l === undefined) continue;
    for (let i = 0; i < t.partitions.length; i++) {
      const partition = t.partitions[i]!;
      const lo = partition >= 0 && partition < l.length ? l[partition]! : Number.NaN;
      if (!Number.isNaN(lo)) out.push({ topic: t.topic, partition, low: lo, high: t.offsets[i]! });
    }
  }
}

/** `byPartition` (grown, NaN-filled, when too short) with the offsets of `t` written in. */
function layOut(byPartition: Float64Array | undefined, t: ListOffsetsColumns): Float64Array {
  let max = -1;
  for (const p of t.partitions) if (p > max) max = p;
  let a = byPartition;
  if (a === undefined || a.length <= max) {
    a = new Float64Array(max + 1).fill(Number.NaN);
    if (byPartition) a.set(byPartition);
  }
  for (let i = 0; i < t.partitions.length; i++) if (t.partitions[i]! >= 0) a[t.partitions[i]!] = t.offsets[i]!;
  return a;
}

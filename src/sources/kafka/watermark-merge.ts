import type { PartitionWatermarks } from './client.js';
import type { ListOffsetsAnswer } from './list-offsets.js';

/**
 * Pairs the high and low watermarks of one ListOffsets chunk, answer by answer as they are
 * decoded: each low answer is laid out by partition at once (one array per topic; NaN: not
 * answered; of two answers the later wins), each high answer is kept as its columns, and
 * `pairs` writes the pairs of one high answer, so that a caller can hand the event loop back
 * between answers. A map entry per partition was 100 000 entries a cycle at 1 000 topics x 100
 * partitions, and merging a chunk's answers in one go was part of the longest pauses there
 * (docs/performance.md, "Large clusters").
 */
export class WatermarkMerge {
  readonly #lows = new Map<string, Float64Array>();
  readonly #highs: ListOffsetsAnswer[] = [];

  addLow(a: ListOffsetsAnswer): void {
    let start = 0;
    for (let t = 0; t < a.topics.length; t++) {
      const end = a.ends[t]!;
      const topic = a.topics[t]!;
      this.#lows.set(topic, layOut(this.#lows.get(topic), a, start, end));
      start = end;
    }
  }

  addHigh(a: ListOffsetsAnswer): void {
    this.#highs.push(a);
  }

  /** High answers added, in order. */
  get highs(): number {
    return this.#highs.length;
  }

  /**
   * The pairs of the `i`th high answer into `out`, in answer order, once every low answer is in;
   * a partition without a low answer is left out.
   */
  pairs(i: number, out: PartitionWatermarks[]): void {
    const a = this.#highs[i]!;
    let start = 0;
    for (let t = 0; t < a.topics.length; t++) {
      const end = a.ends[t]!;
      const topic = a.topics[t]!;
      const l = this.#lows.get(topic);
      if (l !== undefined) {
        for (let r = start; r < end; r++) {
          const partition = a.partitions[r]!;
          const lo = partition >= 0 && partition < l.length ? l[partition]! : Number.NaN;
          if (!Number.isNaN(lo)) out.push({ topic, partition, low: lo, high: a.offsets[r]! });
        }
      }
      start = end;
    }
  }
}

/** Every pair of a chunk at once (the answers in arrival order): `WatermarkMerge` in one go. */
export function mergeWatermarks(high: readonly ListOffsetsAnswer[], low: readonly ListOffsetsAnswer[], out: PartitionWatermarks[]): void {
  const m = new WatermarkMerge();
  for (const a of low) m.addLow(a);
  for (const a of high) m.addHigh(a);
  for (let i = 0; i < m.highs; i++) m.pairs(i, out);
}

/** `byPartition` (grown, NaN-filled, when too short) with the offsets of rows `start`..`end` of `a` written in. */
function layOut(byPartition: Float64Array | undefined, a: ListOffsetsAnswer, start: number, end: number): Float64Array {
  let max = -1;
  for (let r = start; r < end; r++) if (a.partitions[r]! > max) max = a.partitions[r]!;
  let l = byPartition;
  if (l === undefined || l.length <= max) {
    l = new Float64Array(max + 1).fill(Number.NaN);
    if (byPartition) l.set(byPartition);
  }
  for (let r = start; r < end; r++) if (a.partitions[r]! >= 0) l[a.partitions[r]!] = a.offsets[r]!;
  return l;
}

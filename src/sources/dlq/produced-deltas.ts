/**
 * Turns a topic's total high watermark (sum over partitions) into increments of a counter:
 * the first reading is a baseline (nothing is counted for what was produced before the
 * monitor looked), a drop (topic deleted and re-created) re-baselines instead of going
 * negative. Bounded by the number of source topics, which callers cap.
 */
export class ProducedDeltas {
  readonly #last = new Map<string, number>();

  /** Returns the messages produced since the previous reading of `topic` (0 on the first). */
  update(topic: string, totalHigh: number): number {
    const prev = this.#last.get(topic);
    this.#last.set(topic, totalHigh);
    if (prev === undefined || totalHigh < prev) return 0;
    return totalHigh - prev;
  }

  forget(topic: string): void {
    this.#last.delete(topic);
  }
}

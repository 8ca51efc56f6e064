import type { CommittedOffset } from './client.js';

/**
 * A group's last committed offsets, kept between cycles for when the group goes away (a retained
 * group keeps reporting from them). Kept as columns: a `CommittedOffset` object and its array
 * slot were 56 bytes per group-partition held all the time (docs/performance.md), for a list
 * that is read back only while a group is retained. `toArray` gives back the same list: same
 * order, topics, partitions and offsets (undefined, sentinels and all).
 */
export class KeptCommits {
  /** Topic of each run of consecutive entries, and the run's length. */
  readonly #topics: string[] = [];
  readonly #runs: number[] = [];
  #partitions = new Int32Array(0);
  /** NaN for no commit (offsets are integers, sentinels -1 / -2 included). */
  #offsets = new Float64Array(0);

  get length(): number {
    return this.#partitions.length;
  }

  /** Keeps these commits instead of the previous ones (the arrays are reused when the count is the same). */
  keep(commits: readonly CommittedOffset[]): void {
    const n = commits.length;
    if (n !== this.#partitions.length) {
      this.#partitions = new Int32Array(n);
      this.#offsets = new Float64Array(n);
    }
    this.#topics.length = 0;
    this.#runs.length = 0;
    let last: string | undefined;
    for (let i = 0; i < n; i++) {
      const c = commits[i]!;
      if (i > 0 && c.topic === last) this.#runs[this.#runs.length - 1]!++;
      else {
        this.#topics.push(c.topic);
        this.#runs.push(1);
        last = c.topic;
      }
      this.#partitions[i] = c.partition;
      this.#offsets[i] = c.offset ?? Number.NaN;
    }
  }

  toArray(): CommittedOffset[] {
    const out: CommittedOffset[] = [];
    let i = 0;
    for (let r = 0; r < this.#topics.length; r++) {
      const topic = this.#topics[r]!;
      for (let k = 0; k < this.#runs[r]!; k++, i++) {
        const o = this.#offsets[i]!;
        out.push({ topic, partition: this.#partitions[i]!, offset: Number.isNaN(o) ? undefined : o });
      }
    }
    return out;
  }
}

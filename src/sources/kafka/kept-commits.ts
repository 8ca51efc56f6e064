import type { CommittedOffset, GroupCommits } from './client.js';

/** No commits: what a group has before its first answer. */
export const NO_COMMITS: GroupCommits = { topics: [], runs: [], partitions: new Int32Array(0), offsets: new Float64Array(0) };

/** The columns of a list of commits: same order, topics, partitions and offsets (undefined as NaN). */
export function commitColumns(commits: readonly CommittedOffset[]): GroupCommits {
  const n = commits.length;
  const topics: string[] = [];
  const runs: number[] = [];
  const partitions = new Int32Array(n);
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = commits[i]!;
    if (i > 0 && c.topic === topics[topics.length - 1]) runs[runs.length - 1]!++;
    else {
      topics.push(c.topic);
      runs.push(1);
    }
    partitions[i] = c.partition;
    offsets[i] = c.offset ?? Number.NaN;
  }
  return { topics, runs, partitions, offsets };
}

/** The list the columns stand for (the inverse of `commitColumns`). */
export function commitList(c: GroupCommits): CommittedOffset[] {
  const out: CommittedOffset[] = [];
  let i = 0;
  for (let r = 0; r < c.topics.length; r++) {
    const topic = c.topics[r]!;
    for (let k = 0; k < c.runs[r]!; k++, i++) {
      const o = c.offsets[i]!;
      out.push({ topic, partition: c.partitions[i]!, offset: Number.isNaN(o) ? undefined : o });
    }
  }
  return out;
}

/**
 * A group's last committed offsets, kept between cycles for when the group goes away (a retained
 * group keeps reporting from them). The client's answer is kept as it is: it already is columns
 * (a `CommittedOffset` object and its array slot were 56 bytes per group-partition held all the
 * time, docs/performance.md), and nothing writes to it after the cycle that read it.
 */
export class KeptCommits {
  #commits: GroupCommits = NO_COMMITS;

  get length(): number {
    return this.#commits.partitions.length;
  }

  /** Keeps these commits instead of the previous ones. */
  keep(commits: GroupCommits): void {
    this.#commits = commits;
  }

  /** What was kept last. */
  get commits(): GroupCommits {
    return this.#commits;
  }

  toArray(): CommittedOffset[] {
    return commitList(this.#commits);
  }
}

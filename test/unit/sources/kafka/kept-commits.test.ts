import { describe, expect, it } from 'vitest';
import type { CommittedOffset } from '../../../../src/sources/kafka/client.js';
import { commitColumns, commitList, KeptCommits, NO_COMMITS } from '../../../../src/sources/kafka/kept-commits.js';

const commits: CommittedOffset[] = [
  { topic: 'a', partition: 0, offset: 5 },
  { topic: 'a', partition: 2, offset: undefined },
  { topic: 'b', partition: 1, offset: -2 },
  { topic: 'a', partition: 1, offset: 2 ** 53 - 1 },
  { topic: 'c', partition: 7, offset: -1 },
  { topic: 'c', partition: 3, offset: 0 },
];

describe('commit columns', () => {
  it('are topic runs, partitions and offsets (NaN for no commit), in list order', () => {
    const c = commitColumns(commits);
    expect(c.topics).toEqual(['a', 'b', 'a', 'c']);
    expect(c.runs).toEqual([2, 1, 1, 2]);
    expect([...c.partitions]).toEqual([0, 2, 1, 1, 7, 3]);
    expect([...c.offsets]).toEqual([5, Number.NaN, -2, 2 ** 53 - 1, -1, 0]);
  });

  it('give back the same list: order, topics (runs and returns), undefined offsets and sentinels', () => {
    expect(commitList(commitColumns(commits))).toEqual(commits);
    expect(commitList(commitColumns([]))).toEqual([]);
    expect(commitList(NO_COMMITS)).toEqual([]);
  });
});

describe('KeptCommits', () => {
  it('keeps the last columns it was given, as they are', () => {
    const k = new KeptCommits();
    expect(k.toArray()).toEqual([]);
    expect(k.length).toBe(0);
    const first = commitColumns(commits);
    k.keep(first);
    expect(k.commits).toBe(first);
    expect(k.length).toBe(6);
    expect(k.toArray()).toEqual(commits);
    const other = [{ topic: 'y', partition: 1, offset: 3 }];
    k.keep(commitColumns(other));
    expect(k.toArray()).toEqual(other);
  });
});

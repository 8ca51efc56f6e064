import { describe, expect, it } from 'vitest';
import type { CommittedOffset } from '../../../../src/sources/kafka/client.js';
import { KeptCommits } from '../../../../src/sources/kafka/kept-commits.js';

describe('KeptCommits', () => {
  it('gives back the same list: order, topics (runs and returns), undefined offsets and sentinels', () => {
    const commits: CommittedOffset[] = [
      { topic: 'a', partition: 0, offset: 5 },
      { topic: 'a', partition: 2, offset: undefined },
      { topic: 'b', partition: 1, offset: -2 },
      { topic: 'a', partition: 1, offset: 2 ** 53 - 1 },
      { topic: 'c', partition: 7, offset: -1 },
      { topic: 'c', partition: 3, offset: 0 },
    ];
    const k = new KeptCommits();
    expect(k.toArray()).toEqual([]);
    k.keep(commits);
    expect(k.length).toBe(6);
    expect(k.toArray()).toEqual(commits);
  });

  it('replaces what it kept, with the same count or another', () => {
    const k = new KeptCommits();
    k.keep([
      { topic: 'a', partition: 0, offset: 1 },
      { topic: 'b', partition: 0, offset: 2 },
    ]);
    const same = [
      { topic: 'x', partition: 4, offset: 9 },
      { topic: 'x', partition: 5, offset: undefined },
    ];
    k.keep(same);
    expect(k.toArray()).toEqual(same);
    const other = [{ topic: 'y', partition: 1, offset: 3 }];
    k.keep(other);
    expect(k.toArray()).toEqual(other);
    k.keep([]);
    expect(k.toArray()).toEqual([]);
  });
});

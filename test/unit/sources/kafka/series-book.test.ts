import { describe, expect, it } from 'vitest';
import { TableGauge } from '../../../../src/metrics/table-gauge.js';
import { SeriesBook } from '../../../../src/sources/kafka/series-book.js';

const rows = async (g: TableGauge) => (await g.get()).values.map((v) => [v.labels.cluster, v.labels.k, v.value]);

describe('SeriesBook', () => {
  it('removes what a cycle no longer sets, and only its own series', async () => {
    const g = new TableGauge({ name: 'x', help: 'x', labelNames: ['cluster', 'k'] });
    const a = new SeriesBook();
    const b = new SeriesBook();
    b.begin();
    b.set(g, ['b', '1'], 7);
    b.commit();
    a.begin();
    a.set(g, ['a', '1'], 1);
    a.set(g, ['a', '2'], 2);
    a.commit();
    expect(a.size).toBe(2);
    a.begin();
    a.set(g, ['a', '2'], 3);
    // Before the commit nothing of the previous cycle is gone.
    expect(await rows(g)).toEqual([
      ['b', '1', 7],
      ['a', '1', 1],
      ['a', '2', 3],
    ]);
    a.commit();
    expect(await rows(g)).toEqual([
      ['b', '1', 7],
      ['a', '2', 3],
    ]);
    expect(a.size).toBe(1);
    a.clear();
    expect(await rows(g)).toEqual([['b', '1', 7]]);
    expect(a.size).toBe(0);
  });

  it('clear() also removes what an unfinished cycle set', async () => {
    const g = new TableGauge({ name: 'x', help: 'x', labelNames: ['cluster', 'k'] });
    const a = new SeriesBook();
    a.begin();
    a.set(g, ['a', '1'], 1);
    a.commit();
    a.begin();
    a.set(g, ['a', '2'], 2);
    a.clear();
    expect(g.size).toBe(0);
  });

  it('a series another writer took over is not swept by the first', async () => {
    const g = new TableGauge({ name: 'x', help: 'x', labelNames: ['cluster', 'k'] });
    const a = new SeriesBook();
    const b = new SeriesBook();
    a.begin();
    a.set(g, ['shared', '1'], 1);
    a.commit();
    b.begin();
    b.set(g, ['shared', '1'], 2);
    b.commit();
    a.begin();
    a.commit();
    expect(await rows(g)).toEqual([['shared', '1', 2]]);
  });

  it('commitInSlices sweeps like commit, one gauge per turn of the event loop', async () => {
    const g1 = new TableGauge({ name: 'x', help: 'x', labelNames: ['cluster', 'k'] });
    const g2 = new TableGauge({ name: 'y', help: 'y', labelNames: ['cluster', 'k'] });
    const a = new SeriesBook();
    a.begin();
    a.set(g1, ['a', '1'], 1);
    a.set(g2, ['a', '1'], 1);
    a.commit();
    a.begin();
    a.set(g1, ['a', '2'], 2);
    const done = a.commitInSlices();
    // The first gauge is swept at once, the second only after the event loop had a turn.
    expect(await rows(g1)).toEqual([['a', '2', 2]]);
    expect(g2.size).toBe(1);
    await done;
    expect(g2.size).toBe(0);
    expect(a.size).toBe(1);
  });
});

import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesBook } from '../../../../src/sources/kafka/series-book.js';

describe('SeriesBook', () => {
  it('removes what a cycle no longer sets, and only its own series', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'x', help: 'x', labelNames: ['cluster', 'k'], registers: [registry] });
    const a = new SeriesBook();
    const b = new SeriesBook();
    b.begin();
    b.set(g, { cluster: 'b', k: '1' }, 7);
    b.commit();
    a.begin();
    a.set(g, { cluster: 'a', k: '1' }, 1);
    a.set(g, { cluster: 'a', k: '2' }, 2);
    a.commit();
    a.begin();
    a.set(g, { cluster: 'a', k: '2' }, 3);
    a.commit();
    expect((await g.get()).values.map((v) => [v.labels.cluster, v.labels.k, v.value])).toEqual([
      ['b', '1', 7],
      ['a', '2', 3],
    ]);
    a.clear();
    expect((await g.get()).values.map((v) => v.labels.cluster)).toEqual(['b']);
    expect(a.size).toBe(0);
  });
});

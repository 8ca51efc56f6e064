import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { TableGauge, formatValue } from '../../../src/metrics/table-gauge.js';

describe('TableGauge', () => {
  it('renders the same text as a prom-client Gauge with the same series', async () => {
    const labelNames = ['cluster', 'group', 'partition'];
    const plain = new Registry();
    const pg = new Gauge({ name: 'lag', help: 'Lag of a "group"\\ with\nnewline.', labelNames, registers: [plain] });
    const reg = new MetricsRegistry();
    const tg = new TableGauge({ name: 'lag', help: 'Lag of a "group"\\ with\nnewline.', labelNames });
    reg.registerTable(tg);
    const series: [string[], number][] = [
      [['c', 'g1', '0'], 5],
      [['c', 'we"ird\\grp\nx', '1'], 0.25],
      [['c', 'g2', '2'], NaN],
      [['c', 'g3', '3'], Infinity],
      [['c', 'g4', '4'], -Infinity],
      [['c', 'g5', '5'], 1e21],
      [['c', 'g6', '6'], -3],
    ];
    for (const [l, v] of series) {
      pg.set({ cluster: l[0]!, group: l[1]!, partition: l[2]! }, v);
      tg.set(l, v);
    }
    expect(await reg.metrics()).toBe(await plain.metrics());
  });

  it('gives back label values with quotes, backslashes and newlines from get()', async () => {
    const t = new TableGauge({ name: 't', help: 'h', labelNames: ['a', 'b'] });
    t.set(['we"ird\\grp\nx', 'plain'], 1);
    t.set(['', 'end\\'], 2);
    expect((await t.get()).values).toEqual([
      { value: 1, labels: { a: 'we"ird\\grp\nx', b: 'plain' } },
      { value: 2, labels: { a: '', b: 'end\\' } },
    ]);
    expect(t.value(['we"ird\\grp\nx', 'plain'])).toBe(1);
  });

  it('renders an empty metric like prom-client (help and type only)', async () => {
    const plain = new Registry();
    new Gauge({ name: 'e', help: 'empty', labelNames: ['a'], registers: [plain] });
    const reg = new MetricsRegistry();
    reg.registerTable(new TableGauge({ name: 'e', help: 'empty', labelNames: ['a'] }));
    expect(await reg.metrics()).toBe(await plain.metrics());
  });

  it('keeps prom-client metrics in the same registry as they were', async () => {
    const reg = new MetricsRegistry();
    const c = new Gauge({ name: 'plain_g', help: 'h', labelNames: ['a'], registers: [reg] });
    c.set({ a: 'x' }, 2);
    const t = new TableGauge({ name: 'tab_g', help: 'h', labelNames: ['a'] });
    reg.registerTable(t);
    t.set(['y'], 3);
    expect(await reg.metrics()).toBe('# HELP plain_g h\n# TYPE plain_g gauge\nplain_g{a="x"} 2\n\n# HELP tab_g h\n# TYPE tab_g gauge\ntab_g{a="y"} 3\n');
  });

  it('overwrites, removes, reuses slots and grows past its initial capacity', async () => {
    const t = new TableGauge({ name: 't', help: 'h', labelNames: ['k'] });
    for (let i = 0; i < 200; i++) t.set([`s${i}`], i);
    expect(t.size).toBe(200);
    t.set(['s7'], 70);
    expect(t.value(['s7'])).toBe(70);
    t.remove(['s7']);
    expect(t.value(['s7'])).toBeUndefined();
    t.set(['new'], 1);
    expect(t.size).toBe(200);
    const v = await t.get();
    expect(v.values.find((x) => x.labels.k === 'new')?.value).toBe(1);
    expect(v.values.find((x) => x.labels.k === 's199')?.value).toBe(199);
    t.reset();
    expect(t.size).toBe(0);
    expect((await t.get()).values).toEqual([]);
  });

  it('sweeps only the stale series of one owner', () => {
    const t = new TableGauge({ name: 't', help: 'h', labelNames: ['k'] });
    t.set(['a1'], 1, 1, 10);
    t.set(['a2'], 1, 1, 11);
    t.set(['b1'], 1, 2, 5);
    t.sweep(1, 11);
    expect([t.value(['a1']), t.value(['a2']), t.value(['b1'])]).toEqual([undefined, 1, 1]);
    t.removeOwner(2);
    expect(t.size).toBe(1);
  });

  it('finds every series whatever the order of setting, removing and sweeping (against a plain map)', async () => {
    const t = new TableGauge({ name: 't', help: 'h', labelNames: ['k'] });
    const model = new Map<string, number>();
    // A small deterministic generator (LCG): the same sequence on every run.
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = Array.from({ length: 40 }, (_, i) => t.labelText([`s${i}`]));
    for (let cycle = 1; cycle <= 60; cycle++) {
      // Mostly the same order as the last cycle, sometimes shuffled, some keys left out (swept).
      const order = cycle % 7 === 0 ? [...texts].sort(() => rand(3) - 1) : texts;
      const set = new Set<string>();
      for (const [i, key] of order.entries()) {
        if (rand(10) === 0) continue;
        t.setText(key, cycle * 100 + i, 1, cycle);
        model.set(key, cycle * 100 + i);
        set.add(key);
      }
      t.sweep(1, cycle);
      for (const key of model.keys()) if (!set.has(key)) model.delete(key);
      if (cycle % 11 === 0) {
        t.remove(['s3']);
        model.delete(texts[3]!);
      }
      expect(new Map((await t.get()).values.map((v) => [t.labelText([v.labels.k!]), v.value]))).toEqual(model);
      expect(t.size).toBe(model.size);
    }
  });

  it('rejects a wrong number of label values', () => {
    const t = new TableGauge({ name: 't', help: 'h', labelNames: ['a', 'b'] });
    expect(() => t.set(['x'], 1)).toThrow('t: expected 2 label values, got 1');
  });

  it('formats numbers as prom-client does', () => {
    expect([formatValue(NaN), formatValue(Infinity), formatValue(-Infinity), formatValue(0.1), formatValue(-0)]).toEqual(['Nan', '+Inf', '-Inf', '0.1', '0']);
  });
});

import { gunzipSync } from 'node:zlib';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gzipExposition, plainExposition } from '../../../src/metrics/exposition.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { TableGauge } from '../../../src/metrics/table-gauge.js';

/** A registry with a prom-client counter and a TableGauge of `n` series, one with non-ASCII and escaped label values. */
function registry(n: number): MetricsRegistry {
  const reg = new MetricsRegistry();
  new Counter({ name: 'c_total', help: 'A counter.', labelNames: ['a'], registers: [reg] }).inc({ a: 'x' }, 3);
  const t = new TableGauge({ name: 'lag', help: 'Lag.', labelNames: ['group', 'partition'] });
  reg.registerTable(t);
  t.set(['grüppe "q"\\\n', '0'], 0.5);
  for (let i = 1; i < n; i++) t.set([`group-${i % 500}`, String(i)], i * 7);
  return reg;
}

describe('exposition', () => {
  it('renders the exact bytes of hand-made rows', async () => {
    const text =
      '# HELP c_total A counter.\n# TYPE c_total counter\nc_total{a="x"} 3\n\n' +
      '# HELP lag Lag.\n# TYPE lag gauge\nlag{group="grüppe \\"q\\"\\\\\\n",partition="0"} 0.5\nlag{group="group-1",partition="1"} 7\n';
    const reg = registry(2);
    expect((await plainExposition(reg)).equals(Buffer.from(text))).toBe(true);
    expect(gunzipSync(await gzipExposition(reg)).equals(Buffer.from(text))).toBe(true);
  });

  it('gives the registry text byte for byte, plain and gunzipped, over many blocks (100 000 series)', async () => {
    const reg = registry(100_000);
    const text = Buffer.from(await reg.metrics());
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    expect((await plainExposition(reg)).equals(text)).toBe(true);
    const gz = await gzipExposition(reg);
    expect(gz.length).toBeLessThan(text.length / 5);
    expect(gunzipSync(gz).equals(text)).toBe(true);
  });

  it('renders a plain prom-client registry too', async () => {
    const reg = new Registry();
    new Counter({ name: 'only_total', help: 'h', registers: [reg] }).inc();
    const text = await reg.metrics();
    expect((await plainExposition(reg)).toString()).toBe(text);
    expect(gunzipSync(await gzipExposition(reg)).toString()).toBe(text);
  });
});

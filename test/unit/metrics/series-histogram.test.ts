import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from '../../../src/metrics/series-histogram.js';
import { SECONDS_BUCKETS } from '../../../src/metrics/metric-def.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';

const config = { name: 'cqrs_test_delay_seconds', help: 'A test histogram.', labelNames: ['stream'] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5] };

function pair() {
  const a = new Registry();
  const b = new Registry();
  const prom = new Histogram({ ...config, labelNames: [...config.labelNames], registers: [a] });
  const ours = new SeriesHistogram({ ...config, registers: [b] });
  return { a, b, prom, ours };
}

describe('SeriesHistogram', () => {
  it('writes the same /metrics text as prom-client, with hand-computed counts', async () => {
    const { a, b, prom, ours } = pair();
    const values = [0.05, 0.07, 1, 3, 0, 0.1 + 0.2, 2.5, 1e6];
    const s = ours.series({ stream: 'orders' });
    for (const v of values) {
      prom.observe({ stream: 'orders' }, v);
      s.observe(v);
    }
    prom.observe({ stream: 'x"y\\z' }, 0.2);
    ours.observe({ stream: 'x"y\\z' }, 0.2);
    const text = await b.metrics();
    expect(text).toBe(await a.metrics());
    // le 0.05: 0.05 and 0; le 0.1: + 0.07; le 0.25: same; le 0.5: + 0.30000000000000004;
    // le 1: + 1; le 2.5: + 2.5; +Inf: + 3 and 1e6
    expect(text).toContain('cqrs_test_delay_seconds_bucket{le="0.05",stream="orders"} 2\n');
    expect(text).toContain('cqrs_test_delay_seconds_bucket{le="0.25",stream="orders"} 3\n');
    expect(text).toContain('cqrs_test_delay_seconds_bucket{le="0.5",stream="orders"} 4\n');
    expect(text).toContain('cqrs_test_delay_seconds_bucket{le="2.5",stream="orders"} 6\n');
    expect(text).toContain('cqrs_test_delay_seconds_bucket{le="+Inf",stream="orders"} 8\n');
    expect(text).toContain('cqrs_test_delay_seconds_sum{stream="orders"} 1000006.92\n');
    expect(text).toContain('cqrs_test_delay_seconds_count{stream="orders"} 8\n');
    expect(text).toContain('stream="x\\"y\\\\z"');
    expect(await b.getMetricsAsJSON()).toEqual(await a.getMetricsAsJSON());
  });

  it('sums in observation order, to the last bit of prom-client sum', async () => {
    const { a, b, prom, ours } = pair();
    const s = ours.series({ stream: 's' });
    let x = 0.1;
    for (let k = 0; k < 10_000; k++) {
      x = (x * 7.3 + 0.013) % 11;
      prom.observe({ stream: 's' }, x);
      s.observe(x);
    }
    expect(await b.metrics()).toBe(await a.metrics());
  });

  it('removes, resets and zeroes like prom-client; a held series starts again from zero', async () => {
    const { a, b, prom, ours } = pair();
    const s = ours.series({ stream: 'one' });
    prom.observe({ stream: 'one' }, 1);
    s.observe(1);
    prom.observe({ stream: 'two' }, 2);
    ours.observe({ stream: 'two' }, 2);
    prom.remove({ stream: 'one' });
    ours.remove({ stream: 'one' });
    expect(await b.metrics()).toBe(await a.metrics());
    prom.observe({ stream: 'one' }, 0.5);
    s.observe(0.5);
    expect(await b.metrics()).toBe(await a.metrics());
    prom.zero({ stream: 'three' });
    ours.zero({ stream: 'three' });
    prom.labels('two').observe(0.01);
    ours.labels('two').observe(0.01);
    expect(await b.metrics()).toBe(await a.metrics());
    a.resetMetrics();
    b.resetMetrics();
    expect(await b.metrics()).toBe(await a.metrics());
    prom.observe({ stream: 'one' }, 4);
    s.observe(4);
    expect(await b.metrics()).toBe(await a.metrics());
  });

  it('refuses what prom-client refuses', () => {
    const { prom, ours } = pair();
    expect(() => ours.observe({ other: 'x' } as never, 1)).toThrow(/not included in initial labelset/);
    expect(() => prom.observe({ other: 'x' } as never, 1)).toThrow(/not included in initial labelset/);
    expect(() => ours.series({ stream: 's' }).observe(Number.NaN)).toThrow(TypeError);
    expect(() => new SeriesHistogram({ ...config, name: 'bad name', registers: [] })).toThrow(/Invalid metric name/);
    expect(() => new SeriesHistogram({ ...config, labelNames: ['le'], registers: [] })).toThrow(/reserved/);
    expect(() => new SeriesHistogram({ ...config, buckets: [1, 0.5], registers: [] })).toThrow(/ascending/);
  });

  it('is what createMetrics makes for the publish delay, with the same exposition as before', async () => {
    const registry = new Registry();
    const m = createMetrics(registry, { processMetrics: false });
    expect(m.events.publishDelay).toBeInstanceOf(SeriesHistogram);
    const ref = new Registry();
    const prom = new Histogram({
      name: 'cqrs_event_publish_delay_seconds',
      help: 'Broker timestamp minus the event occurred-at time.',
      labelNames: ['stream'],
      buckets: [...SECONDS_BUCKETS],
      registers: [ref],
    });
    for (const v of [0.01, 0.7, 40, 99_999]) {
      m.events.publishDelay.series({ stream: 'orders' }).observe(v);
      prom.observe({ stream: 'orders' }, v);
    }
    const own = (await registry.getSingleMetricAsString('cqrs_event_publish_delay_seconds')).trim();
    expect(own).toBe((await ref.metrics()).trim());
  });
});

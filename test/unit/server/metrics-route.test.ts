import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { TableGauge } from '../../../src/metrics/table-gauge.js';
import { metricsRoute } from '../../../src/server/metrics-route.js';

/** GET on node's client: the body as sent (fetch would decompress it). */
function getRaw(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function serve(metricsCacheMs: number) {
  const registry = new MetricsRegistry();
  const t = new TableGauge({ name: 'lag', help: 'Lag.', labelNames: ['group', 'partition'] });
  registry.registerTable(t);
  for (let i = 0; i < 3000; i++) t.set([`g-${i % 50}`, String(i)], i);
  const route = metricsRoute({ registry, metricsCacheMs });
  const server = createServer((req, res) => void route.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, registry, route, t };
}

describe('metricsRoute', () => {
  it('serves the registry text plain, and gzipped when asked, one rendering per encoding and window', async () => {
    const { url, registry, route } = await serve(60_000);
    const text = Buffer.from(await registry.metrics());
    const gz = await getRaw(url, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.headers['content-type']).toBe(registry.contentType);
    expect(gunzipSync(gz.body).equals(text)).toBe(true);
    const plain = await getRaw(url, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(text)).toBe(true);
    await getRaw(url, { 'accept-encoding': 'gzip' });
    await getRaw(url, {});
    expect(route.renders).toBe(2);
  });

  it('streams the text per scrape when the window is 0', async () => {
    const { url, registry, t } = await serve(0);
    t.set(['late', '0'], 1);
    const plain = await getRaw(url, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(await registry.metrics());
  });
});

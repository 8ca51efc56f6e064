import { afterAll, expect, test } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';
import { seriesValue } from '../../helpers/deps.js';

let app: App | undefined;
afterAll(async () => app?.stop());

test('the default config runs the embedded demo and watches it with the emmett preset', async () => {
  const config = loadConfig('config/default.yaml');
  config.server.port = 0;
  app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });
  await app.demo!.writer.append(30);
  await app.scheduler.runOnce('store:demo'); // the first cycle may have started before the append
  const state = await app.scheduler.runOnce('store:demo');
  expect(state.up, JSON.stringify(state.lastError)).toBe(true);
  const head = await seriesValue(app.registry, 'cqrs_projection_head_position', { store: 'demo', projection: 'order_summary' });
  expect(head, await app.registry.metrics()).toBeTypeOf('number');
  for (const p of ['order_summary', 'customer_stats', 'shipping_board']) {
    expect(await seriesValue(app.registry, 'cqrs_projection_lag_events', { store: 'demo', projection: p }), p).toBeGreaterThanOrEqual(0);
  }
  const r = await fetch(`${app.url}/readyz`);
  expect([200, 503]).toContain(r.status);
}, 60_000);

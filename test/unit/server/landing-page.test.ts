import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { renderLandingPage, watchedInventory } from '../../../src/server/landing-page.js';
import type { SourceState } from '../../../src/scheduler/source-state.js';

const config = parseConfig(
  `clusters: [{name: main, brokers: ["k:9092"]}]
stores:
  - {name: orders, preset: emmett, connection: {host: db}, deadLetters: {table: dl, timeColumn: t}}
dlqs:
  - {kind: sql, name: orders-dlq, store: orders}
slos: []`,
  'x.yaml',
);

const state = (name: string, over: Partial<SourceState>): SourceState => ({
  name,
  interval: 5,
  up: true,
  running: false,
  completedOnce: true,
  succeededOnce: true,
  cycles: 3,
  errors: 0,
  skipped: 0,
  ...over,
});

/** Texts with the no-break spaces of humanDuration read as plain spaces. */
const sp = (s: string | undefined) => s?.replace(/\u00a0/g, ' ');

describe('landing page (pure)', () => {
  test('inventory by kind: a SQL DLQ is read by its store', () => {
    expect(watchedInventory(config)).toEqual([
      { kind: 'kafka', name: 'main', source: 'kafka:main' },
      { kind: 'store', name: 'orders', source: 'store:orders' },
      { kind: 'dlq', name: 'orders-dlq', source: 'store:orders', via: 'table of store orders' },
    ]);
  });

  test('health per source with the error reason; every name escaped', () => {
    const html = renderLandingPage({
      version: '1',
      startedAt: 0,
      now: 60_000,
      // Config names cannot hold markup; the renderer escapes anyway.
      watched: [{ kind: 'kafka', name: 'main<b>', source: 'kafka:main<b>' }, ...watchedInventory(config).slice(1)],
      states: [
        state('kafka:main<b>', { up: false, lastEnd: 50_000, lastError: { reason: 'unreachable', message: 'connect ECONNREFUSED <x>', at: 50_000 } }),
        state('store:orders', { lastEnd: 55_000 }),
      ],
      slos: [],
    });
    expect(html).not.toContain('main<b>');
    expect(html).toContain('main&#60;b&#62;');
    expect(html).toContain('unreachable: connect ECONNREFUSED &#60;x&#62;');
    expect(sp(html)).toContain('last cycle 10 s ago');
    expect(html).toContain('1 source down');
    expect(html).toContain('Dead-letter queues (1)');
    for (const href of ['/slo', '/metrics', '/api/status']) expect(html).toContain(`href="${href}"`);
  });
});

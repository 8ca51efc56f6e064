import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';
import { eventually, promQuery, startPrometheus, toolsAvailable, type ServerHandle } from '../../env/prometheus.js';
import { exec, freshDatabase } from '../sql/helpers.js';

/**
 * Foundation smoke test: a real Prometheus scrapes the running service's /metrics and returns
 * its series through the HTTP API: cqrs_build_info always, cqrs_source_up once a real source
 * (a PostgreSQL store) is configured.
 */
const tools = toolsAvailable(['prometheus']);
if (!tools.ok && process.env.CI === 'true') throw new Error(`Prometheus unavailable in CI: ${tools.reason}`);
const env = inject('postgres');

describe.runIf(tools.ok)('Prometheus scrapes the service', () => {
  let app: App;
  let prom: ServerHandle;

  beforeAll(async () => {
    let yaml = 'server: { port: 0, address: 127.0.0.1 }\ntelemetry: { logLevel: silent }\n';
    if (!env.unavailable) {
      const url = await freshDatabase(env.connectionString, 'marten');
      await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 0, now()), ('Smoke:All', 0, now())`);
      process.env.CQRS_SMOKE_PG = url;
      yaml += 'stores:\n  - { name: smoke, preset: marten, interval: 1s, connection: { connectionString: env:CQRS_SMOKE_PG } }\n';
    }
    app = await startApp(parseConfig(yaml, 'smoke.yaml'), { logger: pino({ level: 'silent' }) });
    prom = await startPrometheus({ scrapeTargets: [new URL(app.url).host], scrapeInterval: '1s' });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await app?.stop();
  });

  it('returns cqrs_build_info through the HTTP API', async () => {
    const r = await eventually(
      async () => {
        const res = await promQuery(prom.url, 'cqrs_build_info');
        return res.length > 0 ? res : undefined;
      },
      30_000,
      'cqrs_build_info',
    );
    expect(r[0]!.metric).toMatchObject({ job: 'cqrs-slo', __name__: 'cqrs_build_info' });
    expect(r[0]!.value[1]).toBe('1');
  });

  it.skipIf(!!env.unavailable)('returns cqrs_source_up = 1 for the PostgreSQL store source', async () => {
    const r = await eventually(
      async () => {
        const res = await promQuery(prom.url, 'cqrs_source_up{source="store:smoke"}');
        return res.length > 0 && res[0]!.value[1] === '1' ? res : undefined;
      },
      30_000,
      'cqrs_source_up',
    );
    expect(r[0]!.metric).toMatchObject({ source: 'store:smoke', job: 'cqrs-slo' });
  });
});

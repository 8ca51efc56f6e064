import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, promQuery, type ServerHandle } from '../../env/prometheus.js';
import { exec, freshDatabase } from '../sql/helpers.js';
import { requireTools } from './tools.js';
import type { WebhookReceiver } from './webhook-receiver.js';
import { fastPageSlo, startPagerPath, RUNBOOKS, type PagerPath } from './pager-path.js';

/**
 * The whole pager path, for real: a Marten-style event store on PostgreSQL with a writer and a
 * projector driven by this test, the service watching it with a freshness SLO, Prometheus
 * scraping the service with the generated rules, Alertmanager with the generated routing, and a
 * webhook receiver standing in for the pager. Windows are scaled down (period 1h, fast tier
 * 20s/5s) and intervals are 1s so the test takes seconds, not hours.
 */
const env = inject('postgres');
const tools = requireTools();
const PROJECTION = 'Orders:All';

describe.runIf(tools && !env.unavailable)('end to end: projector stops -> page; resumes -> resolved', () => {
  let url: string;
  let path: PagerPath;
  let prom: ServerHandle;
  let hook: WebhookReceiver;
  let seq = 0;
  let projecting = true;
  let timer: NodeJS.Timeout | undefined;

  /** Writer: one event per tick; projector: applies everything while `projecting`. */
  async function pipelineTick(): Promise<void> {
    seq++;
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES ($1, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 'order_placed', now())`,
      [seq],
    );
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = 'HighWaterMark'`, [seq]);
    if (projecting) await exec(url, `UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = $2`, [seq, PROJECTION]);
  }

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'marten');
    await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 0, now()), ($1, 0, now())`, [PROJECTION]);
    await pipelineTick();
    const loop = () => {
      timer = setTimeout(
        () =>
          void pipelineTick()
            .catch(() => undefined)
            .finally(loop),
        500,
      );
    };
    loop();

    process.env.CQRS_E2E_PG = url;
    path = await startPagerPath(`
server: { port: 0, address: 127.0.0.1 }
telemetry: { logLevel: silent }
stores:
  - name: orders
    preset: marten
    interval: 1s
    connection: { connectionString: env:CQRS_E2E_PG }
    projectionList: ["${PROJECTION}"]
slos:${fastPageSlo('orders-view-freshness', `{ kind: freshness, store: orders, projection: "${PROJECTION}", threshold: 3s }`)}`);
    ({ prom, hook } = path);
  }, 120_000);

  afterAll(async () => {
    if (timer) clearTimeout(timer);
    await path?.stop();
  });

  it('Prometheus scrapes the service: the store source is up and the SLO counters move', async () => {
    await eventually(
      async () => ((await promQuery(prom.url, 'cqrs_source_up{source="store:orders"} == 1')).length === 1 ? true : undefined),
      30_000,
      'cqrs_source_up',
    );
    await eventually(
      async () => ((await promQuery(prom.url, 'cqrs_slo:sli_error:ratio_rate5s{slo="orders-view-freshness"} == 0')).length === 1 ? true : undefined),
      30_000,
      'a healthy error ratio of 0',
    );
    expect(hook.received).toEqual([]);
  });

  it('stopping the projector pages through Alertmanager with the right labels and annotations', async () => {
    projecting = false;
    const page = await eventually(async () => hook.received.find((m) => m.path === '/page' && m.body.status === 'firing'), 60_000, 'the page');
    expect(page.body.receiver).toBe('pager');
    expect(page.body.groupLabels).toEqual({ alertname: 'CqrsSloErrorBudgetBurn', slo: 'orders-view-freshness' });
    const alert = page.body.alerts[0]!;
    expect(alert.labels).toMatchObject({
      alertname: 'CqrsSloErrorBudgetBurn',
      severity: 'page',
      slo: 'orders-view-freshness',
      team: 'orders-team',
      burn_tier: 'page_fast',
      component: 'read-model',
    });
    expect(alert.annotations.summary).toMatch(/^SLO orders-view-freshness is burning its error budget [\d.]+x too fast \(page_fast\)$/);
    expect(alert.annotations.description).toContain(
      `orders-view-freshness (99% over 1h, team orders-team) measures staleness of projection ${PROJECTION} in store orders (a tick is good at most 3s stale). The burn rate is above 3.6 over both 20s and 5s`,
    );
    expect(alert.annotations.description).toMatch(/Error budget left: -?[\d.e+]+%\./);
    // The projector is stopped: the staleness the reader sees is shown, from the live gauge.
    expect(alert.annotations.description).toMatch(/Staleness of the projection now: [\d.]+s\./);
    expect(alert.labels.source).toBe('store:orders');
    expect(alert.annotations.runbook_url).toBe(`${RUNBOOKS}/CqrsSloErrorBudgetBurn.md`);
    expect(alert.annotations.dashboard_url).toBe('http://grafana.local/d/orders');
    expect(hook.received.some((m) => m.path === '/ticket')).toBe(false);
  }, 90_000);

  it('resuming the projector sends the resolved notification', async () => {
    projecting = true;
    const resolved = await eventually(
      async () => hook.received.find((m) => m.path === '/page' && m.body.status === 'resolved'),
      60_000,
      'the resolved notification',
    );
    expect(resolved.body.alerts[0]!.labels).toMatchObject({ slo: 'orders-view-freshness', burn_tier: 'page_fast', severity: 'page' });
    expect(resolved.body.alerts[0]!.status).toBe('resolved');
  }, 90_000);
});

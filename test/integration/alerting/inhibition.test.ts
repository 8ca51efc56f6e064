import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { generate } from '../../../src/generate/index.js';
import { eventually, startAlertmanager, type ServerHandle } from '../../env/prometheus.js';
import { requireTools } from './tools.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * The generated inhibitions on a real Alertmanager: alerts are posted to its API as Prometheus
 * would, and the webhook shows what gets through.
 */
const tools = requireTools();

describe.runIf(tools)('generated inhibitions on a real Alertmanager', () => {
  let am: ServerHandle;
  let hook: WebhookReceiver;

  async function post(alerts: Record<string, string>[]): Promise<void> {
    const body = alerts.map((labels) => ({ labels, annotations: { summary: labels.alertname! }, startsAt: new Date().toISOString() }));
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  }
  /** Waits until Alertmanager's API reports every alert matching `labels` as inhibited (instead of waiting for nothing to arrive). */
  async function untilInhibited(labels: Record<string, string>): Promise<void> {
    const matches = (a: { labels: Record<string, string> }) => Object.entries(labels).every(([k, v]) => a.labels[k] === v);
    await eventually(
      async () => {
        const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { inhibitedBy: string[] } }[];
        const hits = alerts.filter(matches);
        return hits.length > 0 && hits.every((a) => a.status.inhibitedBy.length > 0) ? true : undefined;
      },
      30_000,
      `inhibition of ${JSON.stringify(labels)}`,
    );
  }
  const delivered = (): Record<string, string>[] => hook.received.flatMap((m) => m.body.alerts.map((a) => ({ path: m.path, ...a.labels })));

  beforeAll(async () => {
    hook = await startWebhookReceiver();
    const [file] = generate({ slos: [] }, 'alertmanager', { pagerUrl: `${hook.url}/page`, ticketUrl: `${hook.url}/ticket`, monitorUrl: `${hook.url}/monitor` });
    const cfg = parse(file!.text) as { route: Record<string, unknown> };
    Object.assign(cfg.route, { group_wait: '2s', group_interval: '1s' });
    am = await startAlertmanager(stringify(cfg));
  }, 60_000);

  afterAll(async () => {
    await am?.stop();
    await hook?.close();
  });

  it('a page mutes the tickets of the same SLO, not those of another SLO', async () => {
    // Sources first: Alertmanager inhibits only while the source alert is known.
    await post([{ alertname: 'CqrsSloErrorBudgetBurn', severity: 'page', slo: 'a', burn_tier: 'page_fast', team: 't' }]);
    await post([
      { alertname: 'CqrsSloErrorBudgetBurn', severity: 'ticket', slo: 'a', burn_tier: 'ticket_fast', team: 't' },
      { alertname: 'CqrsSloErrorBudgetBurn', severity: 'ticket', slo: 'b', burn_tier: 'ticket_fast', team: 't' },
    ]);
    await eventually(
      async () => (delivered().some((d) => d.slo === 'b') && delivered().some((d) => d.slo === 'a') ? true : undefined),
      30_000,
      'notifications',
    );
    await untilInhibited({ alertname: 'CqrsSloErrorBudgetBurn', slo: 'a', severity: 'ticket' });
    const got = delivered().filter((d) => d.alertname === 'CqrsSloErrorBudgetBurn');
    expect(got).toContainEqual(expect.objectContaining({ path: '/page', slo: 'a', severity: 'page' }));
    expect(got).toContainEqual(expect.objectContaining({ path: '/ticket', slo: 'b', severity: 'ticket' }));
    expect(got.filter((d) => d.slo === 'a' && d.severity === 'ticket')).toEqual([]);
  }, 60_000);

  it('a source that is down mutes the lag alerts of the same source only', async () => {
    await post([{ alertname: 'CqrsSourceDown', severity: 'ticket', source: 'kafka:main', team: 'platform' }]);
    await post([
      { alertname: 'CqrsConsumerStalled', severity: 'ticket', source: 'kafka:main', cluster: 'main', group: 'billing', team: 'platform' },
      { alertname: 'CqrsConsumerStalled', severity: 'ticket', source: 'kafka:other', cluster: 'other', group: 'billing', team: 'platform' },
    ]);
    await eventually(
      async () => (delivered().some((d) => d.alertname === 'CqrsConsumerStalled' && d.cluster === 'other') ? true : undefined),
      30_000,
      'the other cluster',
    );
    await untilInhibited({ alertname: 'CqrsConsumerStalled', cluster: 'main' });
    const stalled = delivered().filter((d) => d.alertname === 'CqrsConsumerStalled');
    expect(stalled.map((d) => d.cluster)).toEqual(['other']);
    expect(delivered()).toContainEqual(expect.objectContaining({ alertname: 'CqrsSourceDown', path: '/monitor' }));
  }, 60_000);

  it("a source that is down mutes the burn and SLI-absent alerts of the SLOs read from it, not another source's; it goes to the monitor receiver", async () => {
    await post([{ alertname: 'CqrsSourceDown', severity: 'ticket', source: 'store:orders', team: 'platform' }]);
    await post([
      { alertname: 'CqrsSloErrorBudgetBurn', severity: 'page', slo: 'view', burn_tier: 'page_fast', team: 't', source: 'store:orders' },
      { alertname: 'CqrsSloSliAbsent', severity: 'ticket', slo: 'view', team: 'platform', source: 'store:orders' },
      { alertname: 'CqrsSloErrorBudgetBurn', severity: 'page', slo: 'group', burn_tier: 'page_fast', team: 't', source: 'kafka:billing' },
    ]);
    await eventually(async () => (delivered().some((d) => d.slo === 'group') ? true : undefined), 30_000, 'the burn of the other source');
    await untilInhibited({ slo: 'view' });
    expect(delivered().filter((d) => d.slo === 'view')).toEqual([]);
    expect(delivered()).toContainEqual(expect.objectContaining({ alertname: 'CqrsSloErrorBudgetBurn', slo: 'group', path: '/page' }));
    expect(delivered()).toContainEqual(expect.objectContaining({ alertname: 'CqrsSourceDown', source: 'store:orders', path: '/monitor' }));
  }, 60_000);

  it('an absent monitor mutes the SLI-absent alerts of the SLOs it measures, not those of application metrics', async () => {
    await post([{ alertname: 'CqrsSloMonitorAbsent', severity: 'page', team: 'platform' }]);
    await post([
      { alertname: 'CqrsSloSliAbsent', severity: 'ticket', slo: 'measured', team: 'platform', source: 'stream:orders' },
      { alertname: 'CqrsSloSliAbsent', severity: 'ticket', slo: 'api', team: 'platform' },
    ]);
    await eventually(async () => (delivered().some((d) => d.slo === 'api') ? true : undefined), 30_000, 'the application SLO');
    await untilInhibited({ alertname: 'CqrsSloSliAbsent', slo: 'measured' });
    expect(delivered().filter((d) => d.slo === 'measured')).toEqual([]);
    expect(delivered()).toContainEqual(expect.objectContaining({ alertname: 'CqrsSloSliAbsent', slo: 'api', path: '/monitor' }));
  }, 60_000);
});

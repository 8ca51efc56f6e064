import { parse, stringify } from 'yaml';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import { generate } from '../../../src/generate/index.js';
import type { GenerateOptions } from '../../../src/generate/options.js';
import type { App } from '../../../src/app.js';
import { startAlertmanager, startPrometheus, type ServerHandle } from '../../env/prometheus.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/** The service, a real Prometheus with the generated rules, a real Alertmanager with the generated routing, and the pager webhook. */
export interface PagerPath {
  readonly app: App;
  readonly prom: ServerHandle;
  readonly am: ServerHandle;
  readonly hook: WebhookReceiver;
  stop(): Promise<void>;
}

/**
 * What each part of the path holds now, for the message of a test that timed out: the alerts
 * Prometheus evaluates, those Alertmanager holds, the notifications the webhook received, and
 * the service's source states. A flaky wait then says where the notification stopped.
 */
export async function diagnose(path: PagerPath): Promise<string> {
  const get = async (url: string, pick: (j: unknown) => unknown) => {
    try {
      return JSON.stringify(pick(await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json()));
    } catch (err) {
      return `unreadable (${(err as Error).message})`;
    }
  };
  type Alert = { labels: Record<string, string>; state?: string; status?: { state: string }; activeAt?: string; startsAt?: string };
  const brief = (a: Alert) =>
    `${a.labels.alertname}{${Object.entries(a.labels)
      .filter(([k]) => ['slo', 'source', 'burn_tier', 'projection', 'severity'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}} ${a.state ?? a.status?.state ?? ''} ${a.activeAt ?? a.startsAt ?? ''}`;
  const prom = await get(`${path.prom.url}/api/v1/alerts`, (j) => ((j as { data: { alerts: Alert[] } }).data.alerts ?? []).map(brief));
  const am = await get(`${path.am.url}/api/v2/alerts`, (j) => (j as Alert[]).map(brief));
  const status = await get(`${path.app.url}/api/status`, (j) => j);
  const hook = path.hook.received.map((m) => `${m.path} ${m.body.status} ${m.body.alerts.map((a) => a.labels.alertname).join(',')}`);
  return `\n  Prometheus alerts: ${prom}\n  Alertmanager alerts: ${am}\n  webhook received: ${JSON.stringify(hook)}\n  service status: ${status.slice(0, 1500)}`;
}

/** Waits for a notification like `eventually`, and on timeout says what each part of the path held. */
export async function awaitNotification<T>(path: PagerPath, check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${await diagnose(path)}`);
}

/** runbook_url base of the pager-path rules. */
export const RUNBOOKS = 'https://runbooks.example.com/cqrs-slo';

/**
 * Starts the whole alerting path for a config. Intervals are 1s; Alertmanager's group timings are
 * scaled down to 1s (production: 30s / 5m) so a page and its resolution arrive within seconds.
 */
export async function startPagerPath(configYaml: string, extra: Partial<GenerateOptions> = {}): Promise<PagerPath> {
  const config = parseConfig(configYaml, 'e2e.yaml');
  const { startApp } = await import('../../../src/app.js');
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });
    started.push(app);
    const hook = await startWebhookReceiver();
    started.push({ stop: () => hook.close() });
    const [amFile] = generate(config, 'alertmanager', { pagerUrl: `${hook.url}/page`, ticketUrl: `${hook.url}/ticket`, monitorUrl: `${hook.url}/monitor` });
    const amConfig = parse(amFile!.text) as { route: Record<string, unknown> };
    Object.assign(amConfig.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
    const am = await startAlertmanager(stringify(amConfig));
    started.push(am);
    // Prometheus scrapes every second here, so the scaled-down windows (20s / 5s) are allowed.
    const rules = Object.fromEntries(
      generate(config, 'alerts', { evaluationInterval: 1, scrapeInterval: 1, runbookBaseUrl: RUNBOOKS, grafanaBaseUrl: 'http://grafana.local', ...extra }).map(
        (f) => [f.path, f.text],
      ),
    );
    const prom = await startPrometheus({
      scrapeTargets: [new URL(app.url).host],
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      ruleFiles: rules,
      alertmanagers: [am.url],
    });
    started.push(prom);
    return { app, prom, am, hook, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * SLO block with scaled-down windows: period 1h, only the fast page tier, 20s / 5s windows.
 * 2% of a 1h budget in 20s: factor 2 x 3600 / 100 / 20 = 3.6; at 99% the threshold is 0.036.
 */
export function fastPageSlo(name: string, sli: string): string {
  return `
  - name: ${name}
    owner: orders-team
    objective: 99
    period: 1h
    evaluationInterval: 1s
    dashboardUrl: http://grafana.local/d/orders
    alerting:
      labels: { component: read-model }
      tiers:
        page_fast: { longWindow: 20s, shortWindow: 5s, for: 2s }
        page_slow: { enabled: false }
        ticket_fast: { enabled: false }
        ticket_slow: { enabled: false }
    sli: ${sli}
`;
}

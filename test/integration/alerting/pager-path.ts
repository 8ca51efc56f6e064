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
      generate(config, 'alerts', { evaluationInterval: 1, scrapeInterval: 1, runbookBaseUrl: RUNBOOKS, grafanaBaseUrl: 'http://grafana.local', ...extra }).map((f) => [f.path, f.text]),
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

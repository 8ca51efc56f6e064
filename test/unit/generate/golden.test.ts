import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { DASHBOARDS_DIR, generate, type GenerateOptions } from '../../../src/generate/index.js';

/**
 * Golden files, one per option combination (in the manner of Sloth's in-*.yaml -> out-*.yaml):
 * golden/<case>/<file>. Update with `npx vitest run --project unit test/unit/generate -u`.
 */
const IN = `
slos:
  - name: view-freshness
    owner: views
    team: read-side
    objective: 99.9
    sli: { kind: freshness, store: orders, projection: OrderView, threshold: 30s }
  - name: api-availability
    owner: api
    service: orders-api
    objective: 99.5
    period: 28d
    alerting:
      minEvents: 200
      labels: { tier: gold }
      tiers: { ticket_slow: { enabled: false }, page_slow: { for: 30m, severity: ticket } }
    runbookUrl: https://runbooks.example/api
    sli: { kind: ratio, bad: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', total: 'sum(rate(http_requests_total[{{.window}}]))' }
  - name: query-latency-slices
    owner: api
    objective: 95
    period: month
    budgeting: { method: timeslices, slice: 1m, sliceObjective: 99 }
    alerting: { tiers: { page_fast: { enabled: false } } }
    sli: { kind: latency, histogram: http_request_duration_seconds, selector: 'job="api"', threshold: 500ms }
  - name: perfect-delivery
    objective: 100
    period: 7d
    sli: { kind: delivery, dlq: orders-dlt }
`;
const config = parseConfig(IN, 'golden.yaml');
/** Link bases every case needs (generation refuses relative links). */
const LINKS: Partial<GenerateOptions> = { runbookBaseUrl: 'https://runbooks.example.com/cqrs-slo', grafanaBaseUrl: 'https://grafana.example.com' };

const cases: [string, Partial<GenerateOptions>][] = [
  ['prometheus', { ...LINKS }],
  ['prometheus-with-tests', { ...LINKS, withTests: true }],
  ['sloth', { ...LINKS, format: 'sloth' }],
  ['sloth-with-tests', { ...LINKS, format: 'sloth', withTests: true }],
  ['k8s', { ...LINKS, format: 'k8s', k8s: { namespace: 'obs', name: 'orders', labels: { release: 'kube-prometheus' } } }],
  [
    'custom-urls-interval',
    {
      runbookBaseUrl: 'https://wiki.example/runbooks/',
      grafanaBaseUrl: 'https://grafana.example/',
      scrapeInterval: 15,
      evaluationInterval: 30,
      pagerUrl: 'https://pager.example/hook',
      ticketUrl: 'https://tickets.example/hook',
      monitorUrl: 'https://monitor.example/hook',
    },
  ],
];

describe('golden files', () => {
  it.each(cases)('%s', async (name, opts) => {
    // Rule files and Alertmanager only; the dashboards have their own golden test.
    for (const f of generate(config, 'all', opts).filter((g) => !g.path.startsWith(`${DASHBOARDS_DIR}/`))) {
      await expect(f.text).toMatchFileSnapshot(`golden/${name}/${f.path}`);
    }
  });
});

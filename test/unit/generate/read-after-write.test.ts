import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { generate } from '../../../src/generate/index.js';

const config = parseConfig(
  `
probes:
  - { name: orders, command: { http: { url: "http://app/orders", body: '{"id":"{{probeId}}"}' } }, query: { http: { url: "http://app/orders/{{probeId}}" } } }
slos:
  - { name: orders-raw, objective: 99, sli: { kind: read_after_write, probe: orders, threshold: 2s } }
`,
  'raw.yaml',
);

describe('read_after_write SLOs are generated like the other measured kinds', () => {
  it('burns cqrs_slo_good_total / cqrs_slo_total, names the probe source, has the SLI-absent and coverage alerts', () => {
    const files = generate(config, 'alerts', { runbookBaseUrl: 'https://runbooks.example.com', grafanaBaseUrl: 'https://grafana.example.com' });
    const rules = files.find((f) => f.path.endsWith('slo-rules.yml'))!.text;
    expect(rules).toContain('1 - (sum(rate(cqrs_slo_good_total{slo="orders-raw"}[5m])) / sum(rate(cqrs_slo_total{slo="orders-raw"}[5m])))');
    expect(rules).toContain('source: probe:orders');
    expect(rules).toContain('measures read-after-write visibility of probe orders (a probe run is good when its write is readable within 2s)');
    expect(rules).toContain('alert: CqrsSloSliAbsent');
    expect(rules).toContain('alert: CqrsSloCoverageLow');
  });
});

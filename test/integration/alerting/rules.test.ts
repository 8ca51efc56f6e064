import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { generate, writeFiles } from '../../../src/generate/index.js';
import { amtoolCheckConfig, amtoolRoutesTest, promtoolCheckRules, promtoolTestRules } from '../../env/prometheus.js';
import { requireTools } from './tools.js';

const ALERTS = join(import.meta.dirname, '../../../alerts');
const available = requireTools();

/** The promtool test files generated into `dir/tests`. */
async function testFiles(dir: string): Promise<string[]> {
  const names = (await readdir(join(dir, 'tests'))).filter((n) => n.endsWith('.test.yml'));
  expect(names.length).toBeGreaterThan(0);
  return names.map((n) => join(dir, 'tests', n));
}

/** A small config for the other output modes: one measured SLO with a guard, one latency SLO. */
const SMALL = `
alerting: { runbookBaseUrl: https://runbooks.example.com/cqrs-slo, grafanaBaseUrl: https://grafana.example.com }
slos:
  - name: view-freshness
    owner: views
    objective: 99.5
    alerting: { minEvents: 50 }
    sli: { kind: freshness, store: s, projection: p, threshold: 30s }
  - name: api-latency
    owner: api
    objective: 99
    period: 7d
    alerting: { tiers: { ticket_slow: { enabled: false } } }
    sli: { kind: latency, histogram: http_request_duration_seconds, selector: 'job="api"', threshold: 250ms }
`;

describe.runIf(available)('generated rules with the real promtool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cqrs-rules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('promtool check rules accepts the committed rule files', () => {
    const r = promtoolCheckRules([join(ALERTS, 'slo-rules.yml'), join(ALERTS, 'operational-rules.yml')]);
    expect(r.stderr + r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('promtool test rules: every SLO alert of the example (fast, slow, just under, no traffic, reset, low traffic)', async () => {
    const files = await testFiles(ALERTS);
    expect(files).toHaveLength(7);
    const r = promtoolTestRules(files);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 300_000);

  it('promtool test rules: every operational alert', () => {
    const r = promtoolTestRules([join(import.meta.dirname, 'operational.test.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('--with-tests output passes promtool in Sloth-compatible mode', async () => {
    const out = join(dir, 'sloth');
    writeFiles(out, generate(parseConfig(SMALL, 'small.yaml'), 'alerts', { format: 'sloth', withTests: true }));
    expect(promtoolCheckRules([join(out, 'slo-rules.yml')]).status).toBe(0);
    const text = await readFile(join(out, 'slo-rules.yml'), 'utf8');
    expect(text).toContain('record: slo:sli_error:ratio_rate5m');
    expect(text).toContain('record: slo:period_error_budget_remaining:ratio');
    const r = promtoolTestRules(await testFiles(out));
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 300_000);

  it('--with-tests output passes promtool in the native mode for a small config (guard, latency, 7d)', async () => {
    const out = join(dir, 'native');
    writeFiles(out, generate(parseConfig(SMALL, 'small.yaml'), 'alerts', { withTests: true }));
    const r = promtoolTestRules(await testFiles(out));
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 300_000);

  it.each(['prometheus-with-tests', 'sloth-with-tests'])(
    'the golden %s output (100%% objective, timeslices, calendar month, 7d) passes promtool',
    async (name) => {
      const golden = join(import.meta.dirname, '../../unit/generate/golden', name);
      expect(promtoolCheckRules([join(golden, 'slo-rules.yml'), join(golden, 'operational-rules.yml')]).status).toBe(0);
      const r = promtoolTestRules(await testFiles(golden));
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.status).toBe(0);
    },
    300_000,
  );

  it('the PrometheusRule groups pass promtool check rules', async () => {
    const [file] = generate(parseConfig(SMALL, 'small.yaml'), 'alerts', { format: 'k8s' });
    const docs = file!.text.split(/^---$/m).map((d) => parse(d) as { kind: string; spec: { groups: unknown[] } });
    expect(docs.map((d) => d.kind)).toEqual(['PrometheusRule', 'PrometheusRule']);
    const p = join(dir, 'k8s-groups.yml');
    await writeFile(p, JSON.stringify({ groups: docs.flatMap((d) => d.spec.groups) }));
    expect(promtoolCheckRules([p]).status).toBe(0);
  });
});

describe.runIf(available)('generated Alertmanager config with the real amtool', () => {
  const file = join(ALERTS, 'alertmanager.yml');

  it('amtool check-config accepts it', () => {
    const r = amtoolCheckConfig(file);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.each([
    [{ alertname: 'CqrsSloErrorBudgetBurn', severity: 'page', slo: 'orders-delivery', burn_tier: 'page_slow' }, 'pager'],
    [{ alertname: 'CqrsSloErrorBudgetBurn', severity: 'ticket', slo: 'orders-delivery', burn_tier: 'ticket_fast' }, 'ticket'],
    [{ alertname: 'CqrsSloMonitorAbsent', severity: 'page' }, 'monitor'],
    [{ alertname: 'CqrsSourceDown', severity: 'ticket', source: 'store:orders' }, 'monitor'],
    [{ alertname: 'CqrsSloSliAbsent', severity: 'ticket', slo: 'orders-delivery', source: 'dlq:orders-dlt' }, 'monitor'],
    [{ alertname: 'CqrsSloCoverageLow', severity: 'ticket', slo: 'order-view-freshness', source: 'store:orders' }, 'monitor'],
    [{ alertname: 'CqrsProjectionRebuildTooLong', severity: 'ticket', source: 'store:orders' }, 'ticket'],
    [{ alertname: 'SomethingElse' }, 'ticket'],
  ])('amtool config routes test %o -> %s', (labels, receiver) => {
    const r = amtoolRoutesTest(file, labels);
    expect(r.stdout.trim()).toBe(receiver);
  });
});

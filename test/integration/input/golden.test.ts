import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { generate as generateRules, writeFiles } from '../../../src/generate/index.js';
import { parseSloInputs } from '../../../src/input/index.js';
import { promtoolCheckRules, promtoolTestRules } from '../../env/prometheus.js';
import { requireTools } from '../alerting/tools.js';

// The built CLI, as a user runs it on the input golden files (npm run build first).
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const GOLDEN = join(import.meta.dirname, '../../unit/input/golden');
const available = requireTools();

interface Rule {
  alert?: string;
  record?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe.runIf(available)('generate alerts --input on the golden inputs, checked by the real promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-inputs-'));
  const config = join(dir, 'empty.yaml');
  // Absolute link bases (generate refuses relative links); Prometheus scraping every 15s.
  writeFileSync(
    config,
    'alerting: { scrapeInterval: 15s, runbookBaseUrl: "https://runbooks.example/docs", grafanaBaseUrl: "https://grafana.example" }\nslos: []\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const generate = (name: string, inputs: string[]) => {
    const out = join(dir, name);
    const r = spawnSync(process.execPath, [BIN, 'generate', 'alerts', '--config', config, '--out', out, '--with-tests', '--input', ...inputs], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const rules = (parse(readFileSync(join(out, 'slo-rules.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
    return { r, out, alerts: rules.filter((x) => x.alert === 'CqrsSloErrorBudgetBurn') };
  };
  const check = (out: string) => {
    const c = promtoolCheckRules([join(out, 'slo-rules.yml')]);
    expect(c.stdout + c.stderr).toContain('SUCCESS');
    expect(c.status).toBe(0);
  };

  it.each(['openslo', 'pyrra-latency', 'pyrra-ratio', 'sloth-getting-started', 'sloth-k8s'])('in-%s.yaml', (name) => {
    const { r, out, alerts } = generate(name, [join(GOLDEN, `in-${name}.yaml`)]);
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('warning: '))).toEqual([]);
    expect(r.status).toBe(0);
    check(out);
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('carries Sloth alert name, labels and annotations onto the burn alerts', () => {
    const { alerts } = generate('sloth-labels', [join(GOLDEN, 'in-sloth-getting-started.yaml')]);
    expect(alerts.map((a) => [a.labels!.burn_tier, a.labels!.severity, a.labels!.original_severity])).toEqual([
      ['page_fast', 'page', 'pageteam'],
      ['page_slow', 'page', 'pageteam'],
      ['ticket_fast', 'ticket', 'slack'],
      ['ticket_slow', 'ticket', 'slack'],
    ]);
    expect(alerts[0]!.labels).toMatchObject({
      sloth_alert_name: 'MyServiceHighErrorRate',
      category: 'availability',
      routing_key: 'myteam',
      repo: 'myorg/myservice',
    });
    expect(alerts[2]!.labels).toMatchObject({ slack_channel: '#alerts-myteam' });
    expect(alerts.every((a) => a.annotations!.summary === "High error rate on 'myservice' requests responses")).toBe(true);
  });

  it('OpenSLO burn-rate conditions become the only tiers, with their factors and windows', () => {
    const { r, alerts } = generate('openslo-tiers', [join(GOLDEN, 'in-openslo.yaml')]);
    expect(r.stderr).toContain(
      `warning: ${join(GOLDEN, 'in-openslo.yaml')}: document 6 (AlertNotificationTarget on-call-pager) is not used: notifications are routed by the generated alertmanager.yml (by severity)\n`,
    );
    const mine = alerts.filter((a) => a.labels!.slo === 'rad-availability');
    expect(mine.map((a) => a.labels!.burn_tier)).toEqual(['page_fast', 'ticket_fast']);
    // threshold 14.4 over 1h and 1 over 3d, the conditions' burn rates; budget 0.5%.
    expect(mine.map((a) => (a as { expr?: string }).expr!.match(/> ([\d.]+)/g))).toEqual([
      ['> 14.4', '> 14.4'],
      ['> 1', '> 1'],
    ]);
  });

  it('promtool test rules: the imported latency SLOs fire and stay quiet as the tiers say', () => {
    for (const name of ['openslo', 'pyrra-latency']) {
      const { out } = generate(`${name}-tests`, [join(GOLDEN, `in-${name}.yaml`)]);
      const files = readdirSync(join(out, 'tests')).map((f) => join(out, 'tests', f));
      expect(files.length).toBeGreaterThan(0);
      const t = promtoolTestRules(files);
      expect(t.stdout + t.stderr).toContain('SUCCESS');
      expect(t.status).toBe(0);
    }
  }, 300_000);

  it('promtool test rules: a Sloth raw error ratio (error_ratio kind) is recorded as written', () => {
    // With the golden's 30d period, its [30d:] subquery exceeds the samples limit of promtool's
    // unit-test engine ("query processing would load too many samples into memory"). Sloth has
    // no period field, so the imported query goes into an SLO of our config with a 1h period.
    const [imported] = parseSloInputs(readFileSync(join(GOLDEN, 'in-sloth-k8s.yaml'), 'utf8'), 'in-sloth-k8s.yaml');
    const query = (imported!.sli as { query: string }).query;
    const out = join(dir, 'error-ratio');
    const slos = parseConfig(stringify({ slos: [{ name: 'wifi', objective: 95, period: '1h', sli: { kind: 'error_ratio', query } }] }), 'c.yaml');
    writeFiles(out, generateRules(slos, 'alerts', { runbookBaseUrl: 'https://runbooks.example/docs', grafanaBaseUrl: 'https://grafana.example' }));
    // Two wifi clients, one below the 0.75 satisfaction bar all along: an error ratio of 1/2.
    const test = {
      rule_files: [join(out, 'slo-rules.yml')],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'unifipoller_client_satisfaction_ratio{client="a"}', values: '0.5x20' },
            { series: 'unifipoller_client_satisfaction_ratio{client="b"}', values: '0.9x20' },
          ],
          promql_expr_test: [
            {
              expr: 'cqrs_slo:sli_error:ratio_rate5m{slo="wifi"}',
              eval_time: '10m',
              exp_samples: [{ labels: 'cqrs_slo:sli_error:ratio_rate5m{slo="wifi"}', value: 0.5 }],
            },
            {
              expr: 'cqrs_slo:sli_error:ratio_rate1h{slo="wifi"}',
              eval_time: '10m',
              exp_samples: [{ labels: 'cqrs_slo:sli_error:ratio_rate1h{slo="wifi"}', value: 0.5 }],
            },
          ],
        },
      ],
    };
    const f = join(dir, 'error-ratio.test.yml');
    writeFileSync(f, JSON.stringify(test));
    const t = promtoolTestRules([f]);
    expect(t.stdout + t.stderr).toContain('SUCCESS');
    expect(t.status).toBe(0);
  });

  it('resolves OpenSLO references across files given together', () => {
    const docs = readFileSync(join(GOLDEN, 'in-openslo.yaml'), 'utf8').split(/^---$/m);
    const slos = docs.filter((d) => /^kind: SLO$/m.test(d));
    const rest = docs.filter((d) => !/^kind: SLO$/m.test(d));
    writeFileSync(join(dir, 'slos.yaml'), slos.join('---'));
    writeFileSync(join(dir, 'shared.yaml'), rest.join('---'));
    const { r, alerts } = generate('openslo-split', [join(dir, 'slos.yaml'), join(dir, 'shared.yaml')]);
    expect(r.status).toBe(0);
    expect(alerts.filter((a) => a.labels!.slo === 'rad-availability')).toHaveLength(2);
  });

  it('exits 2 naming file, document and field for a refused input', () => {
    const f = join(dir, 'plugin.yaml');
    writeFileSync(
      f,
      'version: prometheus/v1\nservice: s\nslos:\n  - name: x\n    objective: 99\n    sli: { plugin: { id: sloth-common/kubernetes/apiserver/availability } }\n',
    );
    const out = join(dir, 'plugin');
    const r = spawnSync(process.execPath, [BIN, 'generate', 'alerts', '--config', config, '--out', out, '--input', f], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${f}: document 1 (sloth s).slos[0].sli.plugin: is not supported: SLI plugins are Go code that Sloth runs; write the plugin's queries as sli.events or sli.raw\n`,
    );
  });
});

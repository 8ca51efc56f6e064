import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { buildSloModel } from '../../../src/generate/model/slo-model.js';
import { burnAlerts } from '../../../src/generate/rules/burn-alerts.js';
import { nativeNaming } from '../../../src/generate/rules/naming.js';
import { DEFAULT_OPTIONS } from '../../../src/generate/options.js';

/** The error_ratio kind and the alert labels/annotations that imported specs (Sloth) need. */
const CONFIG = `
slos:
  - name: wifi
    objective: 95
    alerting:
      labels: { sloth_alert_name: Wifi, severity: nope }
      annotations: { summary: Custom summary, runbook: https://r.example }
      tiers:
        page_fast: { enabled: false }
        page_slow: { enabled: false }
        ticket_fast: { labels: { slack_channel: "#a" }, annotations: { note: fast } }
    sli: { kind: error_ratio, query: 'sum(count_over_time((x < 0.75)[{{.window}}:])) / sum(count_over_time(x[{{.window}}:]))' }
`;

describe('error_ratio SLIs and imported alert fields', () => {
  const [slo] = parseConfig(CONFIG, 'c.yaml').slos;
  const model = buildSloModel(slo!);

  it('records the expression itself for each window', () => {
    expect(model.sli.errorRatio('5m')).toBe('sum(count_over_time((x < 0.75)[5m:])) / sum(count_over_time(x[5m:]))');
  });

  it('puts SLO and tier labels/annotations on the burn alerts; ours win on severity, slo, team, burn_tier', () => {
    const alerts = burnAlerts(model, nativeNaming, {
      ...DEFAULT_OPTIONS,
      runbookBaseUrl: 'https://runbooks.example',
      grafanaBaseUrl: 'https://grafana.example',
    });
    expect(alerts.map((a) => a.labels.burn_tier)).toEqual(['ticket_fast', 'ticket_slow']);
    expect(alerts[0]!.labels).toMatchObject({ sloth_alert_name: 'Wifi', severity: 'ticket', slack_channel: '#a', slo: 'wifi', burn_tier: 'ticket_fast' });
    expect(alerts[1]!.labels.slack_channel).toBeUndefined();
    expect(alerts[0]!.annotations).toMatchObject({ summary: 'Custom summary', runbook: 'https://r.example', note: 'fast' });
    expect(alerts[1]!.annotations.note).toBeUndefined();
    expect(alerts[1]!.annotations.description).toContain('wifi (95% over 30d');
  });

  it('refuses a low-traffic guard on an error_ratio SLI: there is no event count', () => {
    expect(() => parseConfig(CONFIG.replace('alerting:\n', 'alerting:\n      minEvents: 10\n'), 'c.yaml')).toThrow(ConfigError);
    expect(() => parseConfig(CONFIG.replace('alerting:\n', 'alerting:\n      minEvents: 10\n'), 'c.yaml')).toThrow(
      'slos[0].alerting.minEvents: is not supported with sli.kind error_ratio (no event count)',
    );
  });

  it('refuses an error_ratio query without {{.window}}', () => {
    expect(() => parseConfig(CONFIG.replace(/query: '.*'/, "query: 'errors:ratio'"), 'c.yaml')).toThrow(
      'slos[0].sli.query: must contain the {{.window}} placeholder',
    );
  });
});

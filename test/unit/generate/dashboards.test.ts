import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { GROUP_STATUSES } from '../../../src/core/kafka/status.js';
import { PROJECTION_STATUSES } from '../../../src/core/projection/types.js';
import { dashboardExpressions, dashboardPanels, dashboards, dashboardSpec, generateDashboards } from '../../../src/generate/dashboards/index.js';
import { DRILL_DOWN_TOPK } from '../../../src/generate/dashboards/debug.js';
import { Grid } from '../../../src/generate/dashboards/layout.js';
import { STATUS_STATES, statesOf } from '../../../src/generate/dashboards/status.js';
import { stat } from '../../../src/generate/dashboards/builders.js';
import { allMetricDefs } from '../../../src/metrics/catalog.js';
import type { RuleFormat } from '../../../src/generate/index.js';

const FULL = `
clusters: [{ name: main, brokers: ["127.0.0.1:9092"] }]
stores: [{ name: orders, preset: emmett, connection: { host: 127.0.0.1 } }]
streams: [{ name: orders, cluster: main, topics: [orders], eventId: { header: id } }]
dlqs: [{ kind: kafka, name: dlt, cluster: main, topics: [orders.DLT] }]
slos: [{ name: fresh, objective: 99, sli: { kind: freshness, store: orders, projection: P, threshold: 30s } }]
`;
const full = parseConfig(FULL, 'full.yaml');
const fullRmq = parseConfig(FULL + 'rabbitmq: [{ name: rmq, url: "http://127.0.0.1:15672", user: u, password: env:HOME }]\n', 'full-rmq.yaml');
const PROBE = `probes:
  - name: orders-view
    command: { http: { url: "http://127.0.0.1:1/orders", body: '{"id": "{{probeId}}"}' } }
    query: { http: { url: "http://127.0.0.1:1/orders/{{probeId}}" } }
`;
const fullProbe = parseConfig(FULL + PROBE, 'full-probe.yaml');
const build = (yaml: string, format: RuleFormat = 'prometheus') => dashboards(dashboardSpec(parseConfig(yaml, 't.yaml'), format));
const varNames = (d: Record<string, unknown>) => (d.templating as { list: { name: string }[] }).list.map((v) => v.name);
const exprs = (d: Record<string, unknown>, inCollapsed: boolean) => {
  const top = d.panels as { collapsed?: boolean; panels?: unknown[]; targets?: { expr: string }[] }[];
  const nested = top.filter((p) => p.collapsed).flatMap((p) => (p.panels ?? []) as typeof top);
  return (inCollapsed ? nested : top).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
};

/** Label names of every exported metric, by series name (histogram series included). */
function labelsByMetric(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const def of allMetricDefs()) {
    out.set(def.name, def.labelNames);
    if (def.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.set(def.name + s, def.labelNames);
  }
  return out;
}

/** Label filtered by each variable. */
const VAR_LABEL: Record<string, string> = { partition_topic: 'topic' };

describe('every panel filters on the variables that apply to it', () => {
  const labels = labelsByMetric();
  it.each([
    ['prometheus', full],
    ['sloth', full],
    ['prometheus, with rabbitmq', fullRmq],
    ['prometheus, with probes', fullProbe],
  ] as const)('%s format', (name, config) => {
    const format = name.startsWith('sloth') ? 'sloth' : 'prometheus';
    const missing: string[] = [];
    for (const [file, d] of Object.entries(dashboards(dashboardSpec(config, format)))) {
      const vars = varNames(d).filter((n) => n !== 'datasource');
      for (const expr of dashboardExpressions(d).filter((e) => !e.startsWith('label_values'))) {
        for (const m of expr.matchAll(/\b([a-z_]+:[a-zA-Z0-9_:]+|cqrs_[a-z0-9_]+)(\{[^}]*\})?/g)) {
          const [, metric, selector = ''] = m;
          // Exported series carry job and instance; SLO recordings carry slo.
          const has = metric!.includes(':') ? ['slo'] : [...(labels.get(metric!) ?? []), 'job', 'instance'];
          for (const v of vars) {
            const label = VAR_LABEL[v] ?? v;
            if (!has.includes(label)) continue;
            // Any variable of the label will do (the drill-down filters topic by its single-value one).
            const ok = vars.some((w) => (VAR_LABEL[w] ?? w) === label && selector.includes(`${label}=~"$${w}"`));
            if (!ok) missing.push(`${file}: ${metric}${selector} lacks ${label}=~"$${v}"`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('Kafka lag: topic level by default, partitions only in a bounded drill-down', () => {
  const PARTITION_FAMILIES = allMetricDefs()
    .filter((d) => d.labelNames.includes('partition'))
    .map((d) => d.name);
  const debug = dashboards(dashboardSpec(full))['cqrs-slo-debug.json']!;

  it('no panel outside the collapsed drill-down row names a per-partition family', () => {
    expect(PARTITION_FAMILIES.length).toBeGreaterThanOrEqual(5);
    for (const d of Object.values(dashboards(dashboardSpec(full)))) {
      for (const e of exprs(d, false)) for (const f of PARTITION_FAMILIES) expect(e, e).not.toMatch(new RegExp(`\\b${f}\\b`));
    }
  });

  it('the drill-down row is collapsed, on one topic (a single-value variable), topk-bounded', () => {
    const rowPanel = (debug.panels as { type: string; title: string; collapsed: boolean; panels: unknown[] }[]).find((p) =>
      p.title.startsWith('Partitions of'),
    )!;
    expect(rowPanel).toMatchObject({ type: 'row', collapsed: true });
    const inner = exprs(debug, true);
    expect(inner).toHaveLength(2);
    for (const e of inner) {
      expect(e.startsWith(`topk(${DRILL_DOWN_TOPK}, `)).toBe(true);
      expect(e).toContain('topic=~"$partition_topic"');
    }
    const v = (debug.templating as { list: Record<string, unknown>[] }).list.find((x) => x.name === 'partition_topic')!;
    expect(v).toMatchObject({ multi: false, includeAll: false });
    expect(v).not.toHaveProperty('allValue');
  });

  it('topic-level lag sums nothing per partition: it reads the per-topic families', () => {
    const e = exprs(debug, false).find((x) => x.includes('cqrs_kafka_group_topic_lag_messages'))!;
    expect(e).toBe(
      'max by (cluster, group, topic) (cqrs_kafka_group_topic_lag_messages{job=~"$job", instance=~"$instance", cluster=~"$cluster", group=~"$group", topic=~"$topic"})',
    );
  });

  it('granularity decides: group-level clusters get no topic variable and no drill-down', () => {
    const d = build('clusters: [{ name: main, brokers: ["k:9092"], granularity: group }]')['cqrs-slo-debug.json']!;
    expect(varNames(d)).toEqual(['datasource', 'job', 'instance', 'cluster', 'group']);
    expect(exprs(d, true)).toEqual([]);
    expect(exprs(d, false).some((e) => e.includes('cqrs_kafka_group_total_lag_messages'))).toBe(true);
    const t = build('clusters: [{ name: main, brokers: ["k:9092"], granularity: topic }]')['cqrs-slo-debug.json']!;
    expect(varNames(t)).toEqual(['datasource', 'job', 'instance', 'cluster', 'group', 'topic']);
    expect(exprs(t, true)).toEqual([]);
  });
});

describe('variables', () => {
  it('full config: on-call, debug and executive variables, chained where natural', () => {
    const all = dashboards(dashboardSpec(full));
    expect(varNames(all['cqrs-slo-oncall.json']!)).toEqual(['datasource', 'slo', 'job', 'instance', 'cluster', 'group', 'store', 'projection', 'dlq']);
    expect(varNames(all['cqrs-slo-debug.json']!)).toEqual([
      'datasource',
      'job',
      'instance',
      'cluster',
      'group',
      'topic',
      'partition_topic',
      'store',
      'projection',
      'stream',
      'dlq',
    ]);
    expect(varNames(all['cqrs-slo-executive.json']!)).toEqual(['datasource', 'slo']);
    const defs = Object.fromEntries(
      (all['cqrs-slo-debug.json']!.templating as { list: { name: string; definition?: string }[] }).list.map((v) => [v.name, v.definition]),
    );
    expect(defs.group).toBe('label_values(cqrs_kafka_group_total_lag_messages{job=~"$job", instance=~"$instance", cluster=~"$cluster"}, group)');
    expect(defs.projection).toBe('label_values(cqrs_projection_lag_events{job=~"$job", instance=~"$instance", store=~"$store"}, projection)');
  });

  it('?var-slo=<name> works on on-call and executive: a multi-value `slo` variable every SLO panel filters on', () => {
    for (const file of ['cqrs-slo-oncall.json', 'cqrs-slo-executive.json']) {
      const d = dashboards(dashboardSpec(full))[file]!;
      const slo = (d.templating as { list: Record<string, unknown>[] }).list.find((v) => v.name === 'slo')!;
      expect(slo).toMatchObject({ multi: true, includeAll: true, allValue: '.*' });
      const sloExprs = dashboardExpressions(d).filter((e) => e.includes('cqrs_slo:') && !e.startsWith('label_values'));
      expect(sloExprs.length).toBeGreaterThan(0);
      for (const e of sloExprs) for (const sel of e.match(/cqrs_slo:[a-z_:0-9]+\{[^}]*\}/g) ?? []) expect(sel).toContain('slo=~"$slo"');
    }
  });

  it('an SLO-only config: SLO panels and the monitor, no source sections', () => {
    const all = build('slos: [{ name: a, objective: 99, sli: { kind: duplicates, stream: s } }]');
    expect(varNames(all['cqrs-slo-oncall.json']!)).toEqual(['datasource', 'slo', 'job', 'instance']);
    expect(varNames(all['cqrs-slo-debug.json']!)).toEqual(['datasource', 'job', 'instance']);
    const rows = (all['cqrs-slo-oncall.json']!.panels as { type: string; title: string }[]).filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['SLOs', 'The monitor']);
  });
});

describe('SLO panels read the recording names of the rule format', () => {
  const names = (format: RuleFormat) =>
    new Set(
      Object.values(dashboards(dashboardSpec(full, format)))
        .flatMap(dashboardExpressions)
        .flatMap((e) => [...e.matchAll(/\b[a-z_]+:[a-zA-Z0-9_:]+/g)].map((m) => m[0])),
    );

  it('native: cqrs_slo:*', () => {
    expect([...names('prometheus')].sort()).toEqual([
      'cqrs_slo:error_budget:ratio',
      'cqrs_slo:error_budget_remaining:ratio',
      'cqrs_slo:objective:ratio',
      'cqrs_slo:sli_error:ratio_period',
      'cqrs_slo:sli_error:ratio_rate1h',
      'cqrs_slo:sli_error:ratio_rate6h',
    ]);
  });

  it('sloth: slo:* (Sloth names), joined on the sloth_* id labels', () => {
    expect([...names('sloth')].sort()).toEqual([
      'slo:error_budget:ratio',
      'slo:objective:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate6h',
    ]);
    const burn = dashboardExpressions(dashboards(dashboardSpec(full, 'sloth'))['cqrs-slo-oncall.json']!).find((e) => e.includes('ratio_rate1h'))!;
    expect(burn).toBe(
      'max by (slo) (slo:sli_error:ratio_rate1h{slo=~"$slo"} / on (sloth_id, sloth_service, sloth_slo) group_left () slo:error_budget:ratio{slo=~"$slo"})',
    );
  });

  it('k8s format: native names', () => {
    expect(names('k8s')).toEqual(names('prometheus'));
  });

  it('sloth dashboards golden files', async () => {
    for (const f of generateDashboards(full, { format: 'sloth' })) await expect(f.text).toMatchFileSnapshot(`golden-dashboards/sloth/${f.path}`);
  });
});

describe('status panels', () => {
  it('named, coloured states: OK green, LAGGING yellow, STALLED orange, STOPPED red, REWOUND purple, ERROR red; REBUILDING blue', () => {
    expect(Object.fromEntries(STATUS_STATES.map((s) => [s.text, s.color]))).toEqual({
      OK: 'green',
      LAGGING: 'yellow',
      STALLED: 'orange',
      STOPPED: 'red',
      REWOUND: 'purple',
      REBUILDING: 'blue',
      ERROR: 'red',
    });
    expect(new Set(STATUS_STATES.map((s) => s.value)).size).toBe(STATUS_STATES.length);
  });

  it('cover exactly the statuses the sources export', () => {
    expect(
      statesOf(GROUP_STATUSES)
        .map((s) => s.text)
        .sort(),
    ).toEqual([...GROUP_STATUSES].sort());
    expect(
      statesOf(PROJECTION_STATUSES)
        .map((s) => s.text)
        .sort(),
    ).toEqual([...PROJECTION_STATUSES].sort());
    expect(STATUS_STATES.map((s) => s.text).sort()).toEqual([...new Set([...GROUP_STATUSES, ...PROJECTION_STATUSES])].sort());
  });

  it('the status panels carry the value mappings of their metric', () => {
    const panels = dashboardPanels(dashboards(dashboardSpec(full))['cqrs-slo-oncall.json']!);
    const timeline = panels.find((p) => p.title === 'Consumer group status')!;
    const mappings = (timeline.fieldConfig as { defaults: { mappings: { options: Record<string, { text: string; color: string }> }[] } }).defaults.mappings[0]!
      .options;
    expect(Object.fromEntries(Object.entries(mappings).map(([k, v]) => [v.text, Number(k)]))).toEqual({
      OK: 0,
      LAGGING: 1,
      STALLED: 3,
      STOPPED: 4,
      REWOUND: 5,
      ERROR: 6,
    });
    const tableOverride = (
      panels.find((p) => p.title === 'Projections not OK now')!.fieldConfig as {
        overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[];
      }
    ).overrides[0]!;
    expect(tableOverride.matcher.options).toBe('status');
    const tableMappings = (tableOverride.properties.find((p) => p.id === 'mappings')!.value as { options: Record<string, { text: string }> }[])[0]!.options;
    expect(Object.values(tableMappings).map((m) => m.text)).toEqual(['OK', 'LAGGING', 'REBUILDING', 'STALLED', 'ERROR']);
  });
});

describe('Grid', () => {
  it('flows panels left to right, wraps, and keeps a collapsed row’s panels inside it', () => {
    const g = new Grid();
    const p = (title: string) => (pos: { x: number; y: number; w: number; h: number }) => stat(title, pos, []);
    g.row('a').add(12, 8, p('1')).add(12, 6, p('2')).add(8, 4, p('3'));
    g.row('b', { collapsed: true }).add(24, 5, p('4'));
    g.row('c').add(24, 3, p('5'));
    const out = g.panels();
    expect(out.map((x) => [x.title, x.gridPos.x, x.gridPos.y])).toEqual([
      ['a', 0, 0],
      ['1', 0, 1],
      ['2', 12, 1],
      ['3', 0, 9],
      ['b', 0, 13],
      ['c', 0, 14],
      ['5', 0, 15],
    ]);
    expect(out[4]!.panels!.map((x) => [x.title, x.gridPos.y])).toEqual([['4', 14]]);
  });
});

describe('RabbitMQ sections', () => {
  it('only with rabbitmq configured: queue status, oldest age and depth on call; counters in debugging; broker and queue variables', () => {
    const none = build('clusters: [{ name: main, brokers: ["127.0.0.1:9092"] }]\n');
    for (const d of Object.values(none)) expect(JSON.stringify(d)).not.toContain('cqrs_rabbitmq_');
    const d = dashboards(dashboardSpec(fullRmq));
    const oncall = dashboardExpressions(d['cqrs-slo-oncall.json']!).join('\n');
    expect(oncall).toContain('cqrs_rabbitmq_queue_oldest_message_age_seconds{job=~"$job", instance=~"$instance", broker=~"$broker", queue=~"$queue"}');
    expect(oncall).toContain('(cqrs_rabbitmq_queue_status{status="STOPPED", job=~"$job", instance=~"$instance", broker=~"$broker", queue=~"$queue"} == 1) * 4');
    const debug = dashboardExpressions(d['cqrs-slo-debug.json']!).join('\n');
    expect(debug).toContain('rate(cqrs_rabbitmq_queue_acked_messages_total{');
    expect(varNames(d['cqrs-slo-debug.json']!)).toEqual(expect.arrayContaining(['broker', 'queue', 'dlq']));
  });
});

describe('Read-after-write probe sections', () => {
  it('only with probes configured: p99 and runs without a visible result on call; quantiles, results, skipped and cleanups in debugging; a probe variable', () => {
    for (const d of Object.values(dashboards(dashboardSpec(full)))) expect(JSON.stringify(d)).not.toContain('cqrs_probe_');
    const d = dashboards(dashboardSpec(fullProbe));
    const sel = 'job=~"$job", instance=~"$instance", probe=~"$probe"';
    expect(dashboardExpressions(d['cqrs-slo-oncall.json']!).filter((e) => e.includes('cqrs_probe_'))).toEqual([
      `histogram_quantile(0.99, sum by (le, probe) (rate(cqrs_probe_visibility_seconds_bucket{${sel}}[15m])))`,
      `sum by (probe, result) (rate(cqrs_probe_runs_total{${sel}, result!="visible"}[15m])) * 60`,
      'label_values(cqrs_probe_runs_total{job=~"$job", instance=~"$instance"}, probe)',
    ]);
    expect(dashboardExpressions(d['cqrs-slo-debug.json']!).filter((e) => e.includes('cqrs_probe_'))).toEqual([
      `histogram_quantile(0.5, sum by (le, probe) (rate(cqrs_probe_visibility_seconds_bucket{${sel}}[15m])))`,
      `histogram_quantile(0.99, sum by (le, probe) (rate(cqrs_probe_visibility_seconds_bucket{${sel}}[15m])))`,
      `sum by (probe, result) (rate(cqrs_probe_runs_total{${sel}}[15m])) * 60`,
      `sum by (probe) (rate(cqrs_probe_runs_skipped_total{${sel}}[15m])) * 60`,
      `sum by (probe) (rate(cqrs_probe_cleanup_failed_total{${sel}}[15m])) * 60`,
      'label_values(cqrs_probe_runs_total{job=~"$job", instance=~"$instance"}, probe)',
    ]);
    for (const file of ['cqrs-slo-oncall.json', 'cqrs-slo-debug.json']) {
      expect(varNames(d[file]!).at(-1)).toBe('probe');
      const rows = (d[file]!.panels as { type: string; title: string }[]).filter((p) => p.type === 'row').map((p) => p.title);
      // Just before the monitor's row (debugging keeps its collapsed drill-down last).
      const at = rows.indexOf('The monitor');
      expect(rows.slice(at - 1, at + 1)).toEqual(['Read-after-write probes', 'The monitor']);
    }
    expect(JSON.stringify(d['cqrs-slo-executive.json'])).not.toContain('cqrs_probe_');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { generate, generateAlerts, GenerateError } from '../../../src/generate/index.js';
import { checkAlerting } from '../../../src/generate/check.js';
import { dashboardExpressions, dashboards, dashboardSpec } from '../../../src/generate/dashboards/index.js';
import { loadConfig } from '../../../src/config/load.js';
import type { AlertingRule, RecordingRule, RuleFile } from '../../../src/generate/rules/types.js';

const ROOT = join(import.meta.dirname, '../../..');
const LINKS = { runbookBaseUrl: 'https://runbooks.example.com/x', grafanaBaseUrl: 'https://grafana.example.com' };
const cfg = (yaml: string) => parseConfig(yaml, 'test.yaml');
const rulesOf = (text: string) => (parse(text) as RuleFile).groups.flatMap((g) => g.rules);
const alertsOf = (text: string) => rulesOf(text).filter((r): r is AlertingRule => 'alert' in r);
const recordsOf = (text: string) => rulesOf(text).filter((r): r is RecordingRule => 'record' in r);
/** Every range `[...]` of an expression, in seconds. */
const ranges = (expr: string) =>
  [...expr.matchAll(/\[(\w+)\]/g)].map((m) => {
    let s = 0;
    for (const [, n, u] of m[1]!.matchAll(/(\d+)(ms|s|m|h|d)/g)) s += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 }[u as 'ms']!;
    return s;
  });

const HOUR_SLO = `slos:
  - { name: hourly, owner: o, objective: 99, period: 1h, sli: { kind: freshness, store: a, projection: p, threshold: 10s } }
`;

describe('windows fit the scrape interval', () => {
  it('a 1h SLO at a 1m scrape interval: the tiers that cannot fit are off with a reason, ticket_slow runs on 6m / 4m', () => {
    const c = cfg(HOUR_SLO);
    const [f] = generateAlerts(c.slos, { ...LINKS, scrapeInterval: 60 });
    const burns = alertsOf(f!.text).filter((a) => a.alert === 'CqrsSloErrorBudgetBurn');
    // 3d x 1h/30d = 6m long; 6h x 1h/30d = 30s short, raised to 4 x 1m = 4m.
    expect(burns.map((a) => a.labels.burn_tier)).toEqual(['ticket_slow']);
    expect(burns[0]!.expr).toContain('cqrs_slo:sli_error:ratio_rate6m{slo="hourly"} / 0.01 > 1\n');
    expect(burns[0]!.expr).toContain('cqrs_slo:sli_error:ratio_rate4m{slo="hourly"} / 0.01 > 1\n');
    expect(checkAlerting(c, 60)).toEqual([
      'slos[0] (hourly): burn tier page_fast is off: its 5s long window (1h scaled to the 1h period) is not longer than 4 scrape intervals (4m); set alerting.tiers.page_fast.longWindow above 4m to enable it',
      'slos[0] (hourly): burn tier page_slow is off: its 30s long window (6h scaled to the 1h period) is not longer than 4 scrape intervals (4m); set alerting.tiers.page_slow.longWindow above 4m to enable it',
      'slos[0] (hourly): burn tier ticket_fast is off: its 2m long window (1d scaled to the 1h period) is not longer than 4 scrape intervals (4m); set alerting.tiers.ticket_fast.longWindow above 4m to enable it',
    ]);
  });

  it('a 1h SLO at a 15s scrape interval also keeps ticket_fast (2m / 1m)', () => {
    const [f] = generateAlerts(cfg(HOUR_SLO).slos, { ...LINKS, scrapeInterval: 15 });
    const burns = alertsOf(f!.text).filter((a) => a.alert === 'CqrsSloErrorBudgetBurn');
    expect(burns.map((a) => [a.labels.burn_tier, a.for])).toEqual([
      ['ticket_fast', '24s'],
      ['ticket_slow', '24s'],
    ]);
    expect(burns[0]!.expr).toContain('cqrs_slo:sli_error:ratio_rate2m{slo="hourly"}');
    expect(burns[0]!.expr).toContain('cqrs_slo:sli_error:ratio_rate1m{slo="hourly"}');
  });

  it('no burn alert of any example SLO reads a window under 4 scrape intervals', () => {
    const example = parseConfig(readFileSync(join(ROOT, 'config/example.yaml'), 'utf8'), 'example.yaml');
    for (const scrape of [15, 30, 60]) {
      const files = generate({ ...example, alerting: { ...example.alerting, scrapeInterval: scrape } }, 'alerts');
      const records = new Map(recordsOf(files[0]!.text).map((r) => [`${r.record}${JSON.stringify(r.labels ?? {})}`, r.expr]));
      for (const a of alertsOf(files[0]!.text).filter((x) => x.alert === 'CqrsSloErrorBudgetBurn')) {
        for (const [, name] of a.expr.matchAll(/(cqrs_slo:sli_error:ratio_rate\w+)\{/g)) {
          const expr = records.get(`${name}${JSON.stringify({ slo: a.labels.slo })}`)!;
          for (const r of ranges(expr)) expect(r, `${a.labels.slo} ${a.labels.burn_tier} ${name}`).toBeGreaterThanOrEqual(4 * scrape);
        }
      }
    }
  });

  it('refuses a window written in the config under 4 scrape intervals, naming the SLO, the tier and the fix', () => {
    const c = cfg(`slos:
  - { name: fast, objective: 99, period: 1h, alerting: { tiers: { page_fast: { longWindow: 20s, shortWindow: 5s } } }, sli: { kind: duplicates, stream: x } }
`);
    expect(() => generateAlerts(c.slos, { ...LINKS, scrapeInterval: 60 })).toThrow(GenerateError);
    expect(() => checkAlerting(c, 60)).toThrow(
      'slos[0] (fast): burn tier page_fast: longWindow 20s is under 4 scrape intervals (4 × 1m = 4m): rate() over it has too few samples, the tier could not fire; set alerting.tiers.page_fast.longWindow to at least 4m (and longer than its shortWindow), disable the tier (alerting.tiers.page_fast.enabled: false), or give the scrape interval your Prometheus really uses (alerting.scrapeInterval, --scrape-interval)',
    );
    // The same windows are fine where Prometheus scrapes every second.
    expect(checkAlerting(c, 1)).toEqual([]);
  });

  it('refuses a tier enabled explicitly that cannot fit', () => {
    const c = cfg(`slos:
  - { name: e, objective: 99, period: 1h, alerting: { tiers: { page_fast: { enabled: true } } }, sli: { kind: duplicates, stream: x } }
`);
    expect(() => checkAlerting(c, 60)).toThrow(/slos\[0\] \(e\): burn tier page_fast: longWindow 5s is under 4 scrape intervals/);
  });
});

describe('recordings and budget', () => {
  it('every window a dashboard queries is recorded for every SLO, whatever its period', () => {
    const wanted = new Set<string>();
    for (const d of Object.values(dashboards(dashboardSpec(loadConfig('config/example.yaml'), 'prometheus'))))
      for (const e of dashboardExpressions(d)) for (const m of e.matchAll(/cqrs_slo:sli_error:ratio_rate(\w+)/g)) wanted.add(m[1]!);
    expect(wanted.size).toBeGreaterThan(0);
    const c = cfg(`${HOUR_SLO}  - { name: weekly, objective: 99, period: 7d, sli: { kind: duplicates, stream: x } }\n`);
    const records = recordsOf(generateAlerts(c.slos, LINKS)[0]!.text);
    for (const slo of ['hourly', 'weekly']) {
      for (const w of wanted)
        expect(
          records.some((r) => r.record === `cqrs_slo:sli_error:ratio_rate${w}` && r.labels?.slo === slo),
          `${slo} ${w}`,
        ).toBe(true);
    }
  });

  it('budget remaining is absent without data, never a made-up 100%', () => {
    const text = generateAlerts(cfg(HOUR_SLO).slos, LINKS)[0]!.text;
    const r = recordsOf(text).find((x) => x.record === 'cqrs_slo:error_budget_remaining:ratio')!;
    expect(r.expr).toBe(
      '1 - (cqrs_slo:sli_error:ratio_rate1h{slo="hourly"} / 0.01) and cqrs_slo:sli_error:ratio_rate1h{slo="hourly"} == cqrs_slo:sli_error:ratio_rate1h{slo="hourly"}',
    );
    expect(text).not.toContain('vector(1)');
  });

  it('coverage = total / (total + unknown) over 1h and the period, for the SLOs the service measures', () => {
    const records = recordsOf(generateAlerts(cfg(HOUR_SLO).slos, LINKS)[0]!.text);
    expect(records.find((r) => r.record === 'cqrs_slo:coverage:ratio_rate1h')!.expr).toBe(
      'sum(rate(cqrs_slo_total{slo="hourly"}[1h]))\n/\n(sum(rate(cqrs_slo_total{slo="hourly"}[1h])) + sum(rate(cqrs_slo_unknown_total{slo="hourly"}[1h])))',
    );
    const ratio = recordsOf(
      generateAlerts(cfg(`slos:\n  - { name: r, objective: 99, sli: { kind: ratio, bad: a_total, total: b_total } }\n`).slos, LINKS)[0]!.text,
    );
    expect(ratio.some((r) => r.record.startsWith('cqrs_slo:coverage'))).toBe(false);
  });
});

describe('SLI absent, coverage and source labels', () => {
  const c = cfg(`
stores: [{ name: orders, preset: marten, connection: { host: h }, deadLetters: { preset: marten } }]
dlqs: [{ kind: sql, name: table-dlq, store: orders }, { kind: kafka, name: topic-dlq, cluster: main, topics: [t] }]
clusters: [{ name: main, brokers: ["h:9092"] }]
slos:
  - { name: view, objective: 99, sli: { kind: freshness, store: orders, projection: V, threshold: 30s } }
  - { name: group, objective: 99, sli: { kind: freshness, cluster: main, group: g, threshold: 30s } }
  - { name: dupes, objective: 99, sli: { kind: duplicates, stream: orders } }
  - { name: sql-dlq, objective: 99, sli: { kind: delivery, dlq: table-dlq } }
  - { name: kafka-dlq, objective: 99, sli: { kind: delivery, dlq: topic-dlq } }
  - { name: api, objective: 99, sli: { kind: ratio, bad: a_total, total: b_total } }
`);
  const alerts = alertsOf(generate(c, 'alerts', LINKS)[0]!.text);

  it('puts the cqrs_source_up source of each SLO on its burn, SLI-absent and coverage alerts', () => {
    const sourceOf = (slo: string) => [...new Set(alerts.filter((a) => a.labels.slo === slo).map((a) => a.labels.source))];
    expect(sourceOf('view')).toEqual(['store:orders']);
    expect(sourceOf('group')).toEqual(['kafka:main']);
    expect(sourceOf('dupes')).toEqual(['stream:orders']);
    expect(sourceOf('sql-dlq')).toEqual(['store:orders']);
    expect(sourceOf('kafka-dlq')).toEqual(['dlq:topic-dlq']);
    expect(sourceOf('api')).toEqual([undefined]);
  });

  it('CqrsSloSliAbsent per SLO: counters for measured SLOs, the shortest recording otherwise; to the platform team', () => {
    const absent = alerts.filter((a) => a.alert === 'CqrsSloSliAbsent');
    expect(absent.map((a) => a.expr)).toEqual([
      'absent(cqrs_slo_total{slo="view"})',
      'absent(cqrs_slo_total{slo="group"})',
      'absent(cqrs_slo_total{slo="dupes"})',
      'absent(cqrs_slo_total{slo="sql-dlq"})',
      'absent(cqrs_slo_total{slo="kafka-dlq"})',
      'absent(cqrs_slo:sli_error:ratio_rate5m{slo="api"})',
    ]);
    expect(absent[0]).toMatchObject({ for: '10m', labels: { severity: 'ticket', team: 'platform', slo: 'view', source: 'store:orders' } });
  });

  it('annotations say what is measured and show the current staleness', () => {
    const burn = alerts.find((a) => a.alert === 'CqrsSloErrorBudgetBurn' && a.labels.slo === 'group')!;
    expect(burn.annotations.description).toContain('measures staleness of consumer group g on cluster main (a tick is good at most 30s stale)');
    expect(burn.annotations.description).toContain(
      'Staleness of the group now: {{ with query `cqrs_kafka_group_max_lag_seconds{cluster="main", group="g"}` }}{{ . | first | value | humanizeDuration }}{{ else }}unknown{{ end }}.',
    );
    expect(alerts.find((a) => a.labels.slo === 'sql-dlq')!.annotations.description).toContain('messages dead-lettered to DLQ table-dlq');
  });

  it('CqrsSloCoverageLow under alerting.minCoverage', () => {
    const c2 = { ...c, alerting: { ...c.alerting, minCoverage: 75 } };
    const cov = alertsOf(generate(c2, 'alerts', LINKS)[0]!.text).filter((a) => a.alert === 'CqrsSloCoverageLow');
    expect(cov.map((a) => a.labels.slo)).toEqual(['view', 'group', 'dupes', 'sql-dlq', 'kafka-dlq']);
    expect(cov[0]!.expr).toBe('cqrs_slo:coverage:ratio_rate1h{slo="view"} < 0.75');
  });
});

describe('links', () => {
  const slos = cfg(HOUR_SLO).slos;

  it('refuses to generate rules without an absolute runbook base, saying what to set', () => {
    expect(() => generateAlerts(slos, { grafanaBaseUrl: LINKS.grafanaBaseUrl })).toThrow(/set alerting\.runbookBaseUrl in the config or --runbook-base-url/);
    expect(() => generateAlerts(slos, { ...LINKS, runbookBaseUrl: 'docs/runbooks' })).toThrow(/got "docs\/runbooks"/);
    expect(() => generateAlerts(slos, { runbookBaseUrl: LINKS.runbookBaseUrl })).toThrow(/dashboard links of hourly: set alerting\.grafanaBaseUrl/);
    expect(() => generateAlerts(cfg(`slos:\n  - { name: x, objective: 99, runbookUrl: wiki/x, sli: { kind: duplicates, stream: s } }\n`).slos, LINKS)).toThrow(
      /SLO x: runbookUrl must be an absolute http\(s\) URL, got "wiki\/x"/,
    );
    // Alertmanager alone needs no links.
    expect(generate({ slos }, 'alertmanager')).toHaveLength(1);
  });

  it('every dashboard_url of the example points at a uid that ships in dashboards/, every runbook_url at a shipped runbook', () => {
    const uids = new Set(
      readdirSync(join(ROOT, 'dashboards')).map((f) => (JSON.parse(readFileSync(join(ROOT, 'dashboards', f), 'utf8')) as { uid: string }).uid),
    );
    const example = parseConfig(readFileSync(join(ROOT, 'config/example.yaml'), 'utf8'), 'example.yaml');
    const files = generate(example, 'alerts');
    const all = files.filter((f) => f.path.endsWith('rules.yml')).flatMap((f) => alertsOf(f.text));
    const base = example.alerting.grafanaBaseUrl!;
    const dash = all.map((a) => a.annotations.dashboard_url).filter((u): u is string => u !== undefined);
    expect(dash.length).toBeGreaterThan(10);
    for (const u of dash) {
      const m = new RegExp(`^${base.replace(/[.:/]/g, '\\$&')}/d/([^/?]+)/\\?var-slo=[\\w.-]+$`).exec(u);
      expect(m, u).not.toBeNull();
      expect(uids.has(m![1]!), u).toBe(true);
    }
    const runbooks = new Set(readdirSync(join(ROOT, 'docs/runbooks')));
    for (const a of all) {
      const u = a.annotations.runbook_url!;
      expect(u.startsWith(`${example.alerting.runbookBaseUrl!}/`), u).toBe(true);
      expect(runbooks.has(u.slice(example.alerting.runbookBaseUrl!.length + 1)), u).toBe(true);
    }
  });
});

describe('rebuild objectives', () => {
  const c = cfg(`
stores:
  - { name: orders, preset: marten, connection: { host: h }, rebuildObjectives: { OrderHistory: 2h, a.b: 1h } }
  - { name: billing, preset: marten, connection: { host: h }, rebuildObjective: 45m }
`);
  const ops = alertsOf(generate({ ...c, slos: [] }, 'alerts', LINKS).find((f) => f.path === 'operational-rules.yml')!.text).filter(
    (a) => a.alert === 'CqrsProjectionRebuildTooLong',
  );

  it('one rule per store, per override and for stores not configured; every projection has one objective', () => {
    expect(ops.map((a) => [a.labels.objective_from, a.expr.split('\n')[1]!.trim()])).toEqual([
      ['stores[orders].rebuildObjective', 'cqrs_projection_rebuild_duration_seconds{store="orders", projection!~"OrderHistory|a\\\\.b"} > 1800'],
      ['stores[orders].rebuildObjectives.OrderHistory', 'cqrs_projection_rebuild_duration_seconds{store="orders", projection="OrderHistory"} > 7200'],
      ['stores[orders].rebuildObjectives.a.b', 'cqrs_projection_rebuild_duration_seconds{store="orders", projection="a.b"} > 3600'],
      ['stores[billing].rebuildObjective', 'cqrs_projection_rebuild_duration_seconds{store="billing"} > 2700'],
      ['default', 'cqrs_projection_rebuild_duration_seconds{store!~"orders|billing"} > 1800'],
    ]);
  });

  it('the annotation gives progress and ETA', () => {
    expect(ops[0]!.annotations.description).toContain(
      'Progress: {{ with printf "cqrs_projection_checkpoint_position{store=%q, projection=%q} / cqrs_projection_head_position{store=%q, projection=%q}" $labels.store $labels.projection $labels.store $labels.projection | query }}',
    );
    expect(ops[0]!.annotations.description).toContain(
      'cqrs_projection_lag_events{store=%q, projection=%q} / (deriv(cqrs_projection_checkpoint_position{store=%q, projection=%q}[10m]) > 0)',
    );
  });
});

describe('Alertmanager: the monitor receiver and the inhibitions', () => {
  const am = parse(generate({ slos: [] }, 'alertmanager', { monitorUrl: 'https://monitor.example/hook' })[0]!.text) as {
    route: { routes: { receiver: string; matchers: string[] }[] };
    receivers: { name: string; webhook_configs: { url: string }[] }[];
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[];
  };

  it("routes the monitor's own alerts to the monitor receiver, first", () => {
    expect(am.route.routes[0]).toMatchObject({
      receiver: 'monitor',
      matchers: ['alertname=~"CqrsSloMonitorAbsent|CqrsSourceDown|CqrsSloSliAbsent|CqrsSloCoverageLow"'],
    });
    expect(am.receivers.find((r) => r.name === 'monitor')!.webhook_configs[0]!.url).toBe('https://monitor.example/hook');
  });

  it('a source down mutes burn, SLI-absent and lag alerts of the same source; an absent monitor mutes SLI-absent alerts of measured SLOs', () => {
    expect(am.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="CqrsSourceDown"'],
      target_matchers: [
        'alertname=~"CqrsSloErrorBudgetBurn|CqrsSloSliAbsent|CqrsConsumerStalled|CqrsConsumerStopped|CqrsProjectionStalled|CqrsProjectionRebuildTooLong|CqrsQueueStalled|CqrsQueueStopped|CqrsQueueMessageTooOld"',
      ],
      equal: ['source'],
    });
    expect(am.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="CqrsSloMonitorAbsent"'],
      target_matchers: ['alertname="CqrsSloSliAbsent"', 'source=~".+"'],
    });
  });
});

describe('a RabbitMQ queue freshness SLO', () => {
  it('names its source and the oldest message age in the burn alert', () => {
    const c = cfg(`rabbitmq: [{name: mq, url: "http://127.0.0.1:15672", user: u, password: env:HOME}]
slos:
  - { name: q, objective: 99, sli: { kind: freshness, broker: mq, queue: orders, threshold: 30s } }
`);
    const rules = (parse(generateAlerts(c.slos, LINKS)[0]!.text) as RuleFile).groups.flatMap((g) => g.rules) as AlertingRule[];
    const burn = rules.filter((r) => r.alert === 'CqrsSloErrorBudgetBurn');
    expect(burn.length).toBeGreaterThan(0);
    for (const r of burn) {
      expect(r.labels!.source).toBe('rabbitmq:mq');
      expect(r.annotations!.description).toContain('RabbitMQ queue orders on broker mq');
      expect(r.annotations!.description).toContain('cqrs_rabbitmq_queue_oldest_message_age_seconds{broker="mq", vhost="/", queue="orders"}');
    }
  });
});

describe('delivery SLI on a RabbitMQ source queue', () => {
  const c = cfg(`
rabbitmq: [{ name: shop, url: "http://rabbit:15672", amqpUrl: "amqp://rabbit:5672", user: u, password: "env:HOME", deadLetters: { inflow: true } }]
slos:
  - { name: pay-delivery, objective: 99.5, sli: { kind: delivery, broker: shop, queue: pay.orders } }
`);
  const rules = rulesOf(generate(c, 'alerts', LINKS)[0]!.text);

  it('records its error ratio from the good/total counters and burns with source rabbitmq:<broker>', () => {
    const rec = rules.filter((r): r is RecordingRule => 'record' in r && r.record === 'cqrs_slo:sli_error:ratio_rate5m');
    expect(rec.map((r) => r.expr)).toEqual([
      '1 - (sum(rate(cqrs_slo_good_total{slo="pay-delivery"}[5m])) / sum(rate(cqrs_slo_total{slo="pay-delivery"}[5m])))',
    ]);
    const burns = rules.filter((r): r is AlertingRule => 'alert' in r && r.alert === 'CqrsSloErrorBudgetBurn');
    expect(burns.length).toBeGreaterThan(0);
    expect([...new Set(burns.map((a) => a.labels?.source))]).toEqual(['rabbitmq:shop']);
    expect(burns[0]!.annotations?.description).toContain('messages dead-lettered from RabbitMQ queue pay.orders on broker shop');
  });
});

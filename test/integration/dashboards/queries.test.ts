import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardPanels, dashboards, dashboardSpec } from '../../../src/generate/dashboards/index.js';
import { STATUS_STATES } from '../../../src/generate/dashboards/status.js';
import type { RuleFormat } from '../../../src/generate/index.js';
import { eventually, promQuery, toolsAvailable } from '../../env/prometheus.js';
import { startPipeline, type Pipeline } from './pipeline.js';

/**
 * Every query of every generated dashboard, in both rule formats, runs against a real Prometheus
 * that scrapes the service watching a real pipeline (Kafka, PostgreSQL), with the generated rules
 * loaded; the variables are substituted the way Grafana does (All = `.*`; a chosen value of a
 * multi-value variable regex-escaped; a single-value variable as is). Each query must return data,
 * except the few listed in EXPECTED_EMPTY, whose source does not exist in this pipeline.
 */
const kafkaEnv = inject('kafka');
const pgEnv = inject('postgres');
const tools = toolsAvailable(['prometheus']);
if (!tools.ok && process.env.CI === 'true') throw new Error(`Prometheus unavailable in CI: ${tools.reason}`);

/** `panel title / refId` -> why it has no series here. */
const EXPECTED_EMPTY: Record<string, string> = {
  'Forecasts: time to drain, time to breach / A': 'drain forecast: absent in the cycles where the lag is not shrinking (it wobbles around a few messages here)',
  'Forecasts: time to drain, time to breach / B': 'breach forecast: no forecastThreshold configured',
  'Members, uncommitted partitions, redeliveries (15m) / C': 'no committed offset went backwards',
  'Rebuild duration / A': 'no projection rebuild happened',
  'Consumer groups not OK now / A': 'the consumer group is OK (cross-checked below)',
  'Projections not OK now / A': 'the projection is OK or LAGGING (cross-checked below)',
  'Collection cycle p95 and errors / B': 'no collection cycle failed',
  'Skipped cycles, dropped series, clock skew (15m) / A': 'no cycle overran its interval',
  'Skipped cycles, dropped series, clock skew (15m) / B': 'no cardinality cap was reached',
  'Skipped cycles, dropped series, clock skew (15m) / C': 'no source clock ran ahead',
};

/** Grafana's regex escaping of a value of a multi-value variable inside a PromQL string. */
const regexEscape = (v: string) => v.replace(/[\\^$*+?.()|{}[\]]/g, (c) => `\\\\${c}`);

interface Variable {
  name: string;
  definition: string;
  multi: boolean;
}

/** Replaces `$name` with the variable's formatted value. */
function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$(\w+)/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

/** label_values(selector, label) through the API Grafana uses for it. */
async function labelValues(url: string, definition: string): Promise<string[]> {
  const m = /^label_values\((.*),\s*(\w+)\)$/s.exec(definition);
  if (!m) throw new Error(`not a label_values query: ${definition}`);
  const start = Math.floor(Date.now() / 1000) - 3600;
  const res = await fetch(`${url}/api/v1/label/${m[2]}/values?match[]=${encodeURIComponent(m[1]!)}&start=${start}`);
  const body = (await res.json()) as { status: string; data: string[]; error?: string };
  if (body.status !== 'success') throw new Error(`${definition}: ${body.error}`);
  return body.data;
}

/** Values of the variables: All everywhere, or the first value of each, resolved in order (chained). */
async function resolveVariables(
  url: string,
  vars: Variable[],
  mode: 'all' | 'first',
): Promise<{ values: Record<string, string>; chosen: Record<string, string> }> {
  const values: Record<string, string> = {};
  const chosen: Record<string, string> = {};
  for (const v of vars) {
    if (mode === 'all' && v.multi) {
      values[v.name] = '.*';
      continue;
    }
    const options = await labelValues(url, substitute(v.definition, values));
    expect(options.length, `variable ${v.name}: ${substitute(v.definition, values)}`).toBeGreaterThan(0);
    chosen[v.name] = options[0]!;
    values[v.name] = v.multi ? regexEscape(options[0]!) : options[0]!;
  }
  return { values, chosen };
}

interface Outcome {
  key: string;
  expr: string;
  series: number;
}

async function runAll(url: string, d: Record<string, unknown>, values: Record<string, string>): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const p of dashboardPanels(d)) {
    for (const t of (p.targets ?? []) as { refId: string; expr: string }[]) {
      const expr = substitute(t.expr, values);
      expect(expr, 'every variable is substituted').not.toMatch(/\$\w/);
      const res = await promQuery(url, expr);
      out.push({ key: `${String(p.title)} / ${t.refId}`, expr, series: res.length });
    }
  }
  return out;
}

describe.runIf(tools.ok && !kafkaEnv.unavailable && !pgEnv.unavailable)('dashboard queries against a real Prometheus', () => {
  let pipe: Pipeline;

  beforeAll(async () => {
    pipe = await startPipeline(kafkaEnv.brokers, pgEnv.connectionString);
    const ready = [
      'cqrs_kafka_group_topic_lag_messages',
      'cqrs_projection_apply_latency_seconds_count > 0',
      'cqrs_events_duplicate_total > 0',
      'cqrs_events_unparseable_total > 0',
      'cqrs_dlq_messages_total > 0',
      'cqrs_probe_visibility_seconds_count > 0',
      'cqrs_slo:error_budget_remaining:ratio',
      'slo:period_error_budget_remaining:ratio',
      'cqrs_slo:sli_error:ratio_rate6h',
    ];
    for (const q of ready) await eventually(async () => ((await promQuery(pipe.prom.url, q)).length > 0 ? true : undefined), 120_000, q);
    // rate() and increase() need two samples of every counter after it appeared.
    await new Promise((r) => setTimeout(r, 5_000));
  }, 240_000);

  afterAll(async () => {
    await pipe?.stop();
  });

  const formats: RuleFormat[] = ['prometheus', 'sloth'];
  for (const format of formats) {
    for (const mode of ['all', 'first'] as const) {
      it(`${format} format, variables ${mode === 'all' ? 'All' : 'set to one value each'}: every query runs and returns data where its source exists`, async () => {
        const all = dashboards(dashboardSpec(pipe.config, format));
        const empty: string[] = [];
        let queries = 0;
        for (const [file, d] of Object.entries(all)) {
          const vars = ((d.templating as { list: Record<string, unknown>[] }).list.slice(1) as unknown as Variable[]).map((v) => ({
            name: v.name,
            definition: v.definition,
            multi: v.multi,
          }));
          const { values, chosen } = await resolveVariables(pipe.prom.url, vars, mode);
          if (mode === 'first') {
            // The chosen values are the pipeline's own: a filter that matched nothing would show here.
            if ('group' in chosen) expect(chosen.group).toBe(pipe.group);
            if ('topic' in chosen) expect(chosen.topic).toBe(pipe.topic);
            if ('partition_topic' in chosen) expect(chosen.partition_topic).toBe(pipe.topic);
          }
          for (const o of await runAll(pipe.prom.url, d, values)) {
            queries += 1;
            if (o.series === 0 && !(o.key in EXPECTED_EMPTY)) empty.push(`${file}: ${o.key}: ${o.expr}`);
          }
        }
        expect(empty).toEqual([]);
        console.info(`[dashboards ${format} ${mode}] ${queries} queries`);
        expect(queries).toBeGreaterThan(40);
      });
    }
  }

  it('the expected-empty list names real targets', () => {
    const keys = new Set(
      Object.values(dashboards(dashboardSpec(pipe.config))).flatMap((d) =>
        dashboardPanels(d).flatMap((p) => ((p.targets ?? []) as { refId: string }[]).map((t) => `${String(p.title)} / ${t.refId}`)),
      ),
    );
    for (const k of Object.keys(EXPECTED_EMPTY)) expect(keys.has(k), k).toBe(true);
  });

  it('status panels: the state code is the one-hot status of the same entity, and a named state', async () => {
    const d = dashboards(dashboardSpec(pipe.config))['cqrs-slo-debug.json']!;
    const values = { job: '.*', instance: '.*', cluster: '.*', group: '.*', store: '.*', projection: '.*' };
    const codes = new Map(STATUS_STATES.map((s) => [s.text, s.value]));
    for (const [title, metric, keys] of [
      ['Consumer group status', 'cqrs_kafka_group_status', ['cluster', 'group']],
      ['Projection status', 'cqrs_projection_status', ['store', 'projection']],
    ] as const) {
      const panel = dashboardPanels(d).find((p) => p.title === title)!;
      const expr = substitute((panel.targets as { expr: string }[])[0]!.expr, values);
      const coded = await promQuery(pipe.prom.url, expr);
      const hot = await promQuery(pipe.prom.url, `${metric} == 1`);
      expect(coded.length).toBeGreaterThan(0);
      expect(coded.length).toBe(hot.length);
      for (const h of hot) {
        const c = coded.find((s) => keys.every((k) => s.metric[k] === h.metric[k]))!;
        expect(Number(c.value[1]), `${title} ${h.metric.status}`).toBe(codes.get(h.metric.status!));
      }
    }
  });

  it('a stopped consumer shows as STOPPED (code 4) in the status panel and in "Consumer groups not OK now"', async () => {
    await pipe.stopConsumer();
    const d = dashboards(dashboardSpec(pipe.config))['cqrs-slo-oncall.json']!;
    const values = { job: '.*', instance: '.*', cluster: '.*', group: regexEscape(pipe.group) };
    const expr = (title: string) => substitute((dashboardPanels(d).find((p) => p.title === title)!.targets as { expr: string }[])[0]!.expr, values);
    const stopped = await eventually(
      async () => {
        const r = await promQuery(pipe.prom.url, expr('Consumer groups not OK now'));
        return r.length === 1 && r[0]!.value[1] === '4' ? r : undefined;
      },
      60_000,
      'the group listed as not OK with code 4',
    );
    expect(stopped[0]!.metric).toEqual({ cluster: 'main', group: pipe.group });
    expect((await promQuery(pipe.prom.url, 'cqrs_kafka_group_status{status="STOPPED"} == 1')).length).toBe(1);
    const timeline = await promQuery(pipe.prom.url, expr('Consumer group status'));
    expect(timeline.map((s) => s.value[1])).toEqual(['4']);
    expect(STATUS_STATES.find((s) => s.value === 4)).toMatchObject({ text: 'STOPPED', color: 'red' });
  }, 90_000);
});

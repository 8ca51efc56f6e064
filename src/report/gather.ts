import type { Config } from '../config/schema/index.js';
import { buildSloModel } from '../generate/model/slo-model.js';
import { nativeNaming } from '../generate/rules/naming.js';
import { errorRatioRecord } from '../generate/rules/slo-recordings.js';
import { sloSelector } from '../generate/model/promql.js';
import { redactMessage } from '../telemetry/redact.js';
import { findIncidents, type BurnIncident, type IncidentTier } from './incidents.js';
import { queryRange, queryVector, type PrometheusQueryOptions } from './prometheus-query.js';
import { BUDGET_REMAINING, coverageQuery, PERIOD_ERROR_RATIO } from './queries.js';
import { sloReport, type PrometheusSloValues, type SloReportRow } from './slo-report.js';

/** Prometheus answers at most 11 000 points per series (`query_range` refuses more). */
const MAX_POINTS = 11_000;
/** Steps a range query may use: round numbers, so that incident times read well. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/**
 * Pure: the step of the incident range queries over a period: the smallest round step that keeps
 * the period within MAX_POINTS samples, and never shorter than the scrape interval.
 */
export function incidentStep(period: number, scrapeInterval: number): number {
  const min = period / MAX_POINTS;
  const nice = NICE_STEPS.find((s) => s >= min) ?? Math.ceil(min);
  return Math.max(nice, Math.ceil(scrapeInterval));
}

/** What a report's numbers are made of, before the comparison with the previous report. */
export interface GatheredReport {
  readonly rows: SloReportRow[];
  /** Incidents per SLO; an SLO whose burn series could not be read is absent. */
  readonly incidents: Map<string, BurnIncident[]>;
  readonly note?: string | undefined;
}

/**
 * Reads every SLO's numbers over its period ending at `at` (epoch seconds) from the recording
 * rules: attainment, budget left, coverage, and the burn incidents from range queries of the
 * error-ratio recordings each tier's alert reads. Prometheus unreadable: every SLO "no data".
 */
export async function gatherReport(config: Config, at: number): Promise<GatheredReport> {
  const prom = config.reports?.prometheus ?? config.prometheus;
  const none = new Map<string, { good: number; total: number }>();
  if (!prom) return { rows: sloReport(config.slos, undefined, none), incidents: new Map(), note: 'no prometheus configured: no data' };
  const opts: PrometheusQueryOptions = { timeoutMs: prom.timeout * 1000, bearerToken: prom.bearerToken, at };
  let ratio: Map<string, number>;
  let budget: Map<string, number>;
  try {
    [ratio, budget] = await Promise.all([queryVector(prom.url, PERIOD_ERROR_RATIO, 'slo', opts), queryVector(prom.url, BUDGET_REMAINING, 'slo', opts)]);
  } catch (err) {
    return {
      rows: sloReport(config.slos, undefined, none),
      incidents: new Map(),
      note: `Prometheus unreachable (${redactMessage((err as Error).message)}): no data`,
    };
  }
  const scrape = config.alerting.scrapeInterval;
  const coverage = new Map<number, Map<string, number>>();
  for (const period of new Set(config.slos.map((s) => s.period))) {
    // Best effort, as on /slo: without coverage the numbers still stand.
    const step = Math.max(60, Math.round(period / 60));
    coverage.set(period, await queryVector(prom.url, coverageQuery(period, step), 'slo', opts).catch(() => new Map<string, number>()));
  }
  const values = new Map<string, PrometheusSloValues>();
  for (const slo of config.slos) {
    values.set(slo.name, { errorRatio: ratio.get(slo.name), budgetRemaining: budget.get(slo.name), coverageSeconds: coverage.get(slo.period)?.get(slo.name) });
  }
  const incidents = new Map<string, BurnIncident[]>();
  for (const slo of config.slos) {
    // An SLO without recordings has no burn series either: "no data", never "no incidents".
    if (ratio.get(slo.name) === undefined && budget.get(slo.name) === undefined) continue;
    const found = await sloIncidents(config, slo, at, opts, prom.url).catch(() => undefined);
    if (found) incidents.set(slo.name, found);
  }
  return { rows: sloReport(config.slos, values, none), incidents };
}

/** Incidents of one SLO; throws when none of its burn series can be read. */
async function sloIncidents(config: Config, slo: Config['slos'][number], at: number, opts: PrometheusQueryOptions, url: string): Promise<BurnIncident[]> {
  const model = buildSloModel(slo, { scrapeInterval: config.alerting.scrapeInterval, dlqs: config.dlqs });
  const tiers: IncidentTier[] = model.tiers.filter((t) => t.enabled);
  const step = incidentStep(slo.period, config.alerting.scrapeInterval);
  const range = { start: at - Math.floor(slo.period / step) * step, end: at, step };
  const windows = [...new Set(tiers.flatMap((t) => [t.longWindow, t.shortWindow]))];
  const series = new Map<number, [number, number][]>();
  await Promise.all(
    windows.map(async (w) => {
      const got = await queryRange(url, `${errorRatioRecord(nativeNaming, w)}${sloSelector(slo.name)}`, 'slo', range, opts);
      const points = got.get(slo.name);
      if (points) series.set(w, points);
    }),
  );
  if (series.size === 0) throw new Error(`no error-ratio recordings of ${slo.name} over its period`);
  return findIncidents({ tiers, series, budget: model.budget, step, end: at });
}

import type { Config } from '../config/schema/index.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { queryVector } from './prometheus-query.js';
import { redactMessage } from '../telemetry/redact.js';
import { sloReport, type PrometheusSloValues, type SloReportRow } from './slo-report.js';

export interface SloReportResult {
  readonly rows: SloReportRow[];
  /** Why numbers are partial (Prometheus not configured or unreachable). */
  readonly note?: string | undefined;
}

async function counters(metrics: Metrics): Promise<Map<string, { good: number; total: number }>> {
  const [good, total] = await Promise.all([metrics.slo.good.get(), metrics.slo.total.get()]);
  const out = new Map<string, { good: number; total: number }>();
  for (const v of total.values) out.set(String(v.labels.slo), { good: 0, total: v.value });
  for (const v of good.values) {
    const e = out.get(String(v.labels.slo));
    if (e) e.good = v.value;
  }
  return out;
}

/** Gathers the executive report: recording rules from Prometheus when configured, else the monitor's counters. */
export function sloReportSource(config: Config, metrics: Metrics): () => Promise<SloReportResult> {
  const prom = config.prometheus;
  return async () => {
    const own = await counters(metrics);
    if (!prom) return { rows: sloReport(config.slos, undefined, own), note: 'no prometheus.url configured: attainment since the monitor started' };
    try {
      const opts = { timeoutMs: prom.timeout * 1000, bearerToken: prom.bearerToken };
      const [ratio, budget] = await Promise.all([
        queryVector(prom.url, 'cqrs_slo:sli_error:ratio_period', 'slo', opts),
        queryVector(prom.url, 'cqrs_slo:error_budget_remaining:ratio', 'slo', opts),
      ]);
      const values = new Map<string, PrometheusSloValues>();
      for (const slo of config.slos) values.set(slo.name, { errorRatio: ratio.get(slo.name), budgetRemaining: budget.get(slo.name) });
      return { rows: sloReport(config.slos, values, own) };
    } catch (err) {
      return { rows: sloReport(config.slos, undefined, own), note: `Prometheus unreachable (${redactMessage((err as Error).message)}): attainment since the monitor started` };
    }
  };
}

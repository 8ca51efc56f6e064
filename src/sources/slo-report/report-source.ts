import type { Config } from '../../config/schema/index.js';
import type { Metrics } from '../../metrics/create-metrics.js';
import { queryRange, queryVector } from '../../report/prometheus-query.js';
import { BUDGET_REMAINING, coverageQuery, PERIOD_ERROR_RATIO } from '../../report/queries.js';
import { redactMessage } from '../../telemetry/redact.js';
import type { PrometheusSloValues, SloReportInput } from '../../report/slo-report.js';

/** Points of the budget sparkline over a period. */
const HISTORY_POINTS = 60;

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

/**
 * Reads the numbers of the executive report: recording rules from Prometheus when configured (with the data
 * coverage and a budget history per SLO period), else the monitor's counters since `startedAt`.
 */
export function sloReportSource(
  config: Config,
  metrics: Metrics,
  startedAt: number = Date.now(),
  clock: () => number = Date.now,
): () => Promise<SloReportInput> {
  const prom = config.prometheus;
  return async () => {
    const own = await counters(metrics);
    const sinceStart = Math.max(0, (clock() - startedAt) / 1000);
    if (!prom) return { counters: own, monitorSeconds: sinceStart, note: 'no prometheus.url configured: numbers since the monitor started' };
    try {
      const opts = { timeoutMs: prom.timeout * 1000, bearerToken: prom.bearerToken };
      const [ratio, budget] = await Promise.all([queryVector(prom.url, PERIOD_ERROR_RATIO, 'slo', opts), queryVector(prom.url, BUDGET_REMAINING, 'slo', opts)]);
      // Coverage and history per distinct period: one pair of queries each, whatever the SLO count.
      // Rounded up: a series recorded within the current second must fall in the last step.
      const now = Math.ceil(clock() / 1000);
      const periods = [...new Set(config.slos.map((s) => s.period))];
      const perPeriod = new Map<number, { coverage: Map<string, number>; history: Map<string, [number, number][]> }>();
      await Promise.all(
        periods.map(async (period) => {
          const step = Math.max(60, Math.round(period / HISTORY_POINTS));
          // Best effort: without coverage or history the page still shows the SLO's numbers.
          const [coverage, history] = await Promise.all([
            queryVector(prom.url, coverageQuery(period, step), 'slo', opts).catch(() => new Map<string, number>()),
            // Steps counted back from now, so that the last point is the current value.
            queryRange(prom.url, BUDGET_REMAINING, 'slo', { start: now - Math.floor(period / step) * step, end: now, step }, opts).catch(
              () => new Map<string, [number, number][]>(),
            ),
          ]);
          perPeriod.set(period, { coverage, history });
        }),
      );
      const values = new Map<string, PrometheusSloValues>();
      for (const slo of config.slos) {
        const p = perPeriod.get(slo.period);
        values.set(slo.name, {
          errorRatio: ratio.get(slo.name),
          budgetRemaining: budget.get(slo.name),
          coverageSeconds: p?.coverage.get(slo.name),
          history: p?.history.get(slo.name),
        });
      }
      return { prometheus: values, counters: own };
    } catch (err) {
      return {
        counters: own,
        monitorSeconds: sinceStart,
        note: `Prometheus unreachable (${redactMessage((err as Error).message)}): numbers since the monitor started`,
      };
    }
  };
}

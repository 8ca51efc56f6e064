import { sloMetrics } from '../../metrics/defs/slo.js';
import type { SloModel } from '../model/slo-model.js';
import { promDuration, quote } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import { runbookUrl } from '../links.js';
import { num } from './format-number.js';
import type { Naming } from './naming.js';
import { errorRatioRecord } from './slo-recordings.js';
import type { AlertingRule, RecordingRule } from './types.js';

/** An SLO whose SLI series are missing: nothing can burn, nor can the budget be told. */
export const SLI_ABSENT_ALERT = 'CqrsSloSliAbsent';
/** Too many of an SLO's evaluation ticks over 1h could not be measured (unknown). */
export const COVERAGE_ALERT = 'CqrsSloCoverageLow';
/** Window of the coverage alert. */
export const COVERAGE_WINDOW = 3_600;

/** Name of the coverage recording for a window: `cqrs_slo:coverage:ratio_rate1h`. */
export const coverageRecord = (window: number | 'period') => `cqrs_slo:coverage:ratio_${window === 'period' ? 'period' : `rate${promDuration(window)}`}`;

/** The unknown-tick counter of the service (branch metric; see src/metrics/defs/slo.ts). */
const UNKNOWN = 'cqrs_slo_unknown_total';

/**
 * Coverage of a measured SLO: the share of its evaluation ticks that were measured,
 * `total / (total + unknown)`. Unknown ticks (source unreadable, projection rebuilding) count
 * neither good nor bad; this shows how much of the window the SLO really saw. Absent when the
 * counters are (never a made-up 100%); NaN (no alert) without any tick.
 */
export function coverageRecordings(slo: SloModel): RecordingRule[] {
  if (!slo.measured) return [];
  const sel = `{slo=${quote(slo.name)}}`;
  const cov = (w: string) => {
    const total = `sum(rate(${sloMetrics.total.name}${sel}[${w}]))`;
    return `${total}\n/\n(${total} + sum(rate(${UNKNOWN}${sel}[${w}])))`;
  };
  return [
    { record: coverageRecord(COVERAGE_WINDOW), expr: cov(promDuration(COVERAGE_WINDOW)), labels: { slo: slo.name } },
    { record: coverageRecord('period'), expr: cov(promDuration(slo.period)), labels: { slo: slo.name } },
  ];
}

/** Labels of the monitor's alerts about one SLO: to the monitor's owners, with the SLO's source. */
function monitorLabels(slo: SloModel, opts: GenerateOptions): Record<string, string> {
  return { severity: 'ticket', team: opts.platformTeam, slo: slo.name, ...(slo.origin.source !== undefined ? { source: slo.origin.source } : {}) };
}

/**
 * CqrsSloSliAbsent: the SLO's own counters (measured kinds: born at 0, so absence means the
 * monitor does not export the SLO) or its shortest error-ratio recording (application metrics:
 * the recording exists, NaN, whenever the series do) are absent for `sliAbsentFor`.
 */
export function sliAbsentAlert(slo: SloModel, naming: Naming, opts: GenerateOptions): AlertingRule {
  const series = slo.measured ? `${sloMetrics.total.name}{slo=${quote(slo.name)}}` : `${errorRatioRecord(naming, slo.windows[0]!)}${naming.selector(slo)}`;
  const forS = opts.thresholds.sliAbsentFor;
  return {
    alert: SLI_ABSENT_ALERT,
    expr: `absent(${series})`,
    for: promDuration(forS),
    labels: monitorLabels(slo, opts),
    annotations: {
      summary: `SLO ${slo.name} has no SLI data`,
      description:
        `${series} has been absent for ${promDuration(forS)}: SLO ${slo.name}, which measures ${slo.origin.measures}, cannot burn and its error budget is unknown, not 100%. ` +
        (slo.measured
          ? 'The monitor does not export this SLO: is it running with this SLO in its config?'
          : 'The application series of the SLI are not scraped, or the SLI selector matches nothing.'),
      runbook_url: runbookUrl(opts, SLI_ABSENT_ALERT),
    },
  };
}

/** CqrsSloCoverageLow: under `minCoverage`% of the SLO's ticks over 1h were measured. */
export function coverageAlert(slo: SloModel, opts: GenerateOptions): AlertingRule[] {
  if (!slo.measured) return [];
  const min = opts.thresholds.minCoverage;
  return [
    {
      alert: COVERAGE_ALERT,
      expr: `${coverageRecord(COVERAGE_WINDOW)}{slo=${quote(slo.name)}} < ${num(min / 100)}`,
      labels: monitorLabels(slo, opts),
      annotations: {
        summary: `SLO ${slo.name} measured only {{ $value | humanizePercentage }} of the last hour`,
        description:
          `Only {{ $value | humanizePercentage }} of the evaluation ticks of ${slo.name}, which measures ${slo.origin.measures}, in the last ${promDuration(COVERAGE_WINDOW)} were measured (objective ${num(min)}%); ` +
          `the rest were unknown (${UNKNOWN} by reason: unreadable source, rebuilding projection) and count neither good nor bad, so a real outage in that time is not counted against team ${slo.team}.`,
        runbook_url: runbookUrl(opts, COVERAGE_ALERT),
      },
    },
  ];
}

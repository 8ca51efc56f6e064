/**
 * PromQL shared by the /slo page and the scheduled reports: both read the generated recording
 * rules (src/generate/rules/slo-recordings.ts), never the raw counters.
 */

/** Error ratio over the SLO period: attainment = 1 - this. */
export const PERIOD_ERROR_RATIO = 'cqrs_slo:sli_error:ratio_period';

/** Share of the period's error budget left (1 untouched, <= 0 exhausted). */
export const BUDGET_REMAINING = 'cqrs_slo:error_budget_remaining:ratio';

/**
 * Seconds since each SLO's first sample within the period (`time()` is the evaluation time),
 * sampled every `step` seconds: the data coverage of the period.
 */
export const coverageQuery = (period: number, step: number): string => `time() - min by (slo) (min_over_time(timestamp(cqrs_slo_total)[${period}s:${step}s]))`;

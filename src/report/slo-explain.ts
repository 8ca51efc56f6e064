import type { SloConfig } from '../config/schema/slos.js';

type Sli = SloConfig['sli'];

/** Number and unit never break apart on the page. */
const NBSP = '\u00a0';

/** Pure: what the SLO watches, in words (`projection order_summary in store demo`). */
export function sloTarget(sli: Sli): string {
  switch (sli.kind) {
    case 'freshness':
    case 'apply_latency':
      if (sli.broker !== undefined) return `RabbitMQ queue ${sli.queue} on broker ${sli.broker}`;
      return sli.store !== undefined ? `projection ${sli.projection} in store ${sli.store}` : `consumer group ${sli.group} on cluster ${sli.cluster}`;
    case 'duplicates':
    case 'completeness':
      return `event stream ${sli.stream}`;
    case 'delivery':
      if (sli.broker !== undefined) return `RabbitMQ queue ${sli.queue} on broker ${sli.broker}`;
      return sli.source ? `dead-letter queue ${sli.dlq} (source ${sli.source})` : `dead-letter queue ${sli.dlq}`;
    case 'read_after_write':
      return `read-after-write probe ${sli.probe}`;
    case 'ratio':
    case 'latency':
    case 'error_ratio':
      return 'metrics of the monitored application (Prometheus)';
  }
}

/** Pure: what one unit of the SLI is, and what makes it good or bad, in plain words. */
export function sloMeasure(slo: SloConfig): { unit: string; good: string; bad: string } {
  const sli = slo.sli;
  switch (sli.kind) {
    case 'freshness':
      return {
        unit: 'checks',
        good: `checks (every ${humanDuration(slo.evaluationInterval)}) where the read model was at most ${humanDuration(sli.threshold)} behind`,
        bad: `read model more than ${humanDuration(sli.threshold)} behind`,
      };
    case 'apply_latency':
      return {
        unit: 'events',
        good: `events applied within ${humanDuration(sli.threshold)} of being written`,
        bad: `applied later than ${humanDuration(sli.threshold)}`,
      };
    case 'read_after_write':
      return {
        unit: 'probes',
        good: `probe writes readable within ${humanDuration(sli.threshold)}`,
        bad: `readable later than ${humanDuration(sli.threshold)} or not at all`,
      };
    case 'duplicates':
      return { unit: 'events', good: 'events delivered once', bad: 'an event id seen again' };
    case 'completeness':
      return { unit: 'events', good: 'events without a missing version before them', bad: 'after a version gap' };
    case 'delivery':
      if (sli.broker !== undefined) return { unit: 'messages', good: 'messages acked by a consumer', bad: 'dead-lettered' };
      return { unit: 'events', good: 'processed events that were not dead-lettered', bad: 'dead-lettered' };
    case 'ratio':
      return { unit: 'events', good: 'good events of the custom ratio', bad: 'bad events of the custom ratio' };
    case 'latency':
      return { unit: 'requests', good: `requests faster than ${humanDuration(sli.threshold)}`, bad: `slower than ${humanDuration(sli.threshold)}` };
    case 'error_ratio':
      return { unit: 'events', good: 'events outside the error ratio', bad: 'counted by the error ratio' };
  }
}

const percent = (v: number): string => `${Number(v.toPrecision(3))}${NBSP}%`;

/**
 * Pure: one sentence saying why the SLO is in its state, from the bad share measured and the
 * share the objective allows. `badShare` is in [0, 1]; undefined when nothing was measured.
 */
export function sloWhy(slo: SloConfig, m: { badShare?: number | undefined; total?: number | undefined; coverage?: string | undefined }): string {
  const what = sloMeasure(slo);
  const allowed = 100 - slo.objective;
  if (m.badShare === undefined || !Number.isFinite(m.badShare)) {
    return `Nothing measured yet: no ${what.unit} counted (a source not read yet, or no traffic).`;
  }
  const bad = 100 * m.badShare;
  const of = m.total !== undefined ? ` of ${Math.round(m.total)} ${what.unit}` : ` of ${what.unit}`;
  const over = m.coverage ? ` in the ${m.coverage} measured` : '';
  const verdict = bad > allowed ? 'more than the' : 'within the';
  return `${percent(bad)}${of} were bad (${what.bad})${over}: ${verdict} ${percent(allowed)} the objective allows.`;
}

/** Pure: a duration for people, rounded to one unit: `45 s`, `12 min`, `5 h`, `28 d` (a no-break space between). */
export function humanDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))}${NBSP}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}${NBSP}min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)}${NBSP}h`;
  return `${Math.round(seconds / 86_400)}${NBSP}d`;
}

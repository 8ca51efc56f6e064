import { promDuration } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import { runbookUrl } from '../links.js';
import { rebuildRules, type StoreRebuildObjectives } from './rebuild.js';
import type { AlertingRule, RecordingRule, Rule, RuleGroup } from './types.js';

/** Names of the operational (non-SLO) alerts; each has docs/runbooks/<name>.md. */
export const OPERATIONAL_ALERTS = [
  'CqrsSloMonitorAbsent',
  'CqrsSourceDown',
  'CqrsConsumerStalled',
  'CqrsConsumerStopped',
  'CqrsProjectionStalled',
  'CqrsEventGaps',
  'CqrsDlqMessageTooOld',
  'CqrsProjectionRebuildTooLong',
  'CqrsQueueStalled',
  'CqrsQueueStopped',
  'CqrsQueueMessageTooOld',
] as const;
export type OperationalAlert = (typeof OPERATIONAL_ALERTS)[number];

/** Alerts that Alertmanager mutes while the source reading their data is down (same `source` label). */
export const LAG_ALERTS: readonly OperationalAlert[] = [
  'CqrsConsumerStalled',
  'CqrsConsumerStopped',
  'CqrsProjectionStalled',
  'CqrsProjectionRebuildTooLong',
  'CqrsQueueStalled',
  'CqrsQueueStopped',
  'CqrsQueueMessageTooOld',
];

// Source names follow src/sources/source.ts: `kafka:<cluster>`, `store:<store>`, `rabbitmq:<broker>`.
const kafkaSource = (expr: string) => `label_replace(${expr}, "source", "kafka:$1", "cluster", "(.*)")`;
const storeSource = (expr: string) => `label_replace(${expr}, "source", "store:$1", "store", "(.*)")`;
const rabbitSource = (expr: string) => `label_replace(${expr}, "source", "rabbitmq:$1", "broker", "(.*)")`;

/**
 * Alerts on the pipeline and the monitor that are not SLOs. Thresholds come from the options
 * (defaults and their reasons in options.ts and docs/alerting.md).
 */
export function operationalGroup(opts: GenerateOptions, stores: readonly StoreRebuildObjectives[] = []): RuleGroup {
  const t = opts.thresholds;
  const rule = (alert: OperationalAlert, expr: string, forS: number, severity: 'page' | 'ticket', summary: string, description: string): AlertingRule => {
    return {
      alert,
      expr,
      ...(forS > 0 ? { for: promDuration(forS) } : {}),
      labels: { severity, team: opts.platformTeam },
      annotations: { summary, description, runbook_url: runbookUrl(opts, alert) },
    };
  };
  // DLQ ratio per source = dead-lettered / produced on the source topic (docs/streams.md).
  const dlqRatio: RecordingRule = {
    record: 'cqrs_dlq:ratio_rate5m',
    expr: 'sum by (dlq, source) (rate(cqrs_dlq_messages_total[5m]))\n/\nsum by (dlq, source) (rate(cqrs_dlq_source_produced_messages_total[5m]))',
  };
  const rules: Rule[] = [
    dlqRatio,
    rule(
      'CqrsSloMonitorAbsent',
      'absent(cqrs_build_info)',
      t.monitorAbsentFor,
      'page',
      'The cqrs-slo monitor is not scraped',
      `No cqrs_build_info series for ${promDuration(t.monitorAbsentFor)}: the monitor is down or not scraped, so no SLO alert can fire.`,
    ),
    rule(
      'CqrsSourceDown',
      'cqrs_source_up == 0',
      t.sourceDownFor,
      'ticket',
      'cqrs-slo cannot read source {{ $labels.source }}',
      `Collection cycles of {{ $labels.source }} have failed for ${promDuration(t.sourceDownFor)}; its series are gone and the SLOs read from it count their ticks as unknown (cqrs_slo_unknown_total), neither good nor bad. ` +
        'Their burn and SLI-absent alerts are muted while this fires: the monitor, not the pipeline, needs fixing.',
    ),
    rule(
      'CqrsConsumerStalled',
      kafkaSource('cqrs_kafka_group_status{status="STALLED"} == 1'),
      t.stalledFor,
      'ticket',
      'Consumer group {{ $labels.group }} is stalled',
      'Consumer group {{ $labels.group }} on cluster {{ $labels.cluster }} has lag but its committed offsets do not advance.',
    ),
    rule(
      'CqrsConsumerStopped',
      kafkaSource('cqrs_kafka_group_status{status="STOPPED"} == 1'),
      t.stalledFor,
      'ticket',
      'Consumer group {{ $labels.group }} is stopped',
      'Consumer group {{ $labels.group }} on cluster {{ $labels.cluster }} has no members and unconsumed messages.',
    ),
    rule(
      'CqrsProjectionStalled',
      storeSource('cqrs_projection_status{status="STALLED"} == 1'),
      t.stalledFor,
      'ticket',
      'Projection {{ $labels.projection }} is stalled',
      'Projection {{ $labels.projection }} in store {{ $labels.store }} has unapplied events but its checkpoint does not move.',
    ),
    rule(
      'CqrsEventGaps',
      `increase(cqrs_events_gap_total[${promDuration(t.gapWindow)}]) > 0`,
      0,
      'ticket',
      'Missing events on stream {{ $labels.stream }}',
      `Aggregate versions skipped ahead on stream {{ $labels.stream }} in the last ${promDuration(t.gapWindow)} ({{ $value | humanize }} missing): possible data loss.`,
    ),
    rule(
      'CqrsDlqMessageTooOld',
      `cqrs_dlq_oldest_message_age_seconds > ${t.dlqMaxAge}`,
      0,
      'ticket',
      `Dead letters on {{ $labels.dlq }} wait for more than ${promDuration(t.dlqMaxAge)}`,
      'The oldest unresolved message on {{ $labels.dlq }} is {{ $value | humanizeDuration }} old.',
    ),
    rule(
      'CqrsQueueStalled',
      rabbitSource('cqrs_rabbitmq_queue_status{status="STALLED"} == 1'),
      t.stalledFor,
      'ticket',
      'Queue {{ $labels.queue }} is stalled',
      'Queue {{ $labels.queue }} (vhost {{ $labels.vhost }}, broker {{ $labels.broker }}) has messages waiting and consumers attached, but nothing is delivered or acknowledged.',
    ),
    rule(
      'CqrsQueueStopped',
      rabbitSource('cqrs_rabbitmq_queue_status{status="STOPPED"} == 1'),
      t.stalledFor,
      'ticket',
      'Queue {{ $labels.queue }} has no consumer',
      'Queue {{ $labels.queue }} (vhost {{ $labels.vhost }}, broker {{ $labels.broker }}) has messages waiting and no consumer attached.',
    ),
    rule(
      'CqrsQueueMessageTooOld',
      rabbitSource(`cqrs_rabbitmq_queue_oldest_message_age_seconds > ${t.queueMaxAge}`),
      0,
      'ticket',
      'Messages on queue {{ $labels.queue }} wait for more than ' + promDuration(t.queueMaxAge),
      'The oldest message on queue {{ $labels.queue }} (vhost {{ $labels.vhost }}, broker {{ $labels.broker }}) is {{ $value | humanizeDuration }} old.',
    ),
    ...rebuildRules(opts, stores),
  ];
  const group: RuleGroup = { name: 'cqrs-slo-operational', rules };
  if (opts.evaluationInterval) group.interval = promDuration(opts.evaluationInterval);
  return group;
}

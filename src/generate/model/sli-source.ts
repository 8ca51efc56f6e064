import type { DlqConfig } from '../../config/schema/dlqs.js';
import type { SliConfig } from '../../config/schema/slos.js';
import { durationText } from '../../core/slo/duration-text.js';
import { quote } from './promql.js';

/** Where an SLI comes from: the monitor's source, a sentence for annotations, a gauge to show now. */
export interface SliOrigin {
  /**
   * `cqrs_source_up{source}` value of the source the SLI is read from (src/sources/**: `store:<store>`,
   * `kafka:<cluster>`, `stream:<stream>`, `dlq:<dlq>`, `probe:<probe>`, `rabbitmq:<broker>`); undefined for the application's own metrics.
   */
  readonly source?: string;
  /** What is measured, for annotations: "staleness of projection OrderView in store orders (good: at most 30s)". */
  readonly measures: string;
  /** A gauge showing the SLI's current state (staleness), for the annotation; with its Go template formatter. */
  readonly current?: { readonly what: string; readonly query: string; readonly format: 'humanizeDuration' };
}

/**
 * Resolves the origin of an SLI. A `delivery` SLI on a DLQ of kind sql is read by the store's
 * source (`store:<store>`), so the config's dlqs are needed to tell; without them `dlq:<name>`.
 */
export function sliOrigin(sli: SliConfig, dlqs: readonly DlqConfig[] = []): SliOrigin {
  switch (sli.kind) {
    case 'freshness':
    case 'apply_latency': {
      const what = sli.kind === 'freshness' ? `staleness` : 'apply latency';
      const good =
        sli.kind === 'freshness'
          ? `a tick is good at most ${durationText(sli.threshold)} stale`
          : `an event is good when applied within ${durationText(sli.threshold)}`;
      if (sli.broker !== undefined) {
        const sel = `{broker=${quote(sli.broker)}, vhost=${quote(sli.vhost ?? '/')}, queue=${quote(sli.queue!)}}`;
        return {
          source: `rabbitmq:${sli.broker}`,
          measures: `age of the oldest message in RabbitMQ queue ${sli.queue} on broker ${sli.broker} (${good.replace(' stale', ' old')})`,
          current: { what: 'Age of the oldest message now', query: `cqrs_rabbitmq_queue_oldest_message_age_seconds${sel}`, format: 'humanizeDuration' },
        };
      }
      if (sli.store !== undefined) {
        const sel = `{store=${quote(sli.store)}, projection=${quote(sli.projection!)}}`;
        return {
          source: `store:${sli.store}`,
          measures: `${what} of projection ${sli.projection} in store ${sli.store} (${good})`,
          current: { what: 'Staleness of the projection now', query: `cqrs_projection_lag_seconds${sel}`, format: 'humanizeDuration' },
        };
      }
      const sel = `{cluster=${quote(sli.cluster!)}, group=${quote(sli.group!)}}`;
      return {
        source: `kafka:${sli.cluster}`,
        measures: `${what} of consumer group ${sli.group} on cluster ${sli.cluster} (${good})`,
        current: { what: 'Staleness of the group now', query: `cqrs_kafka_group_max_lag_seconds${sel}`, format: 'humanizeDuration' },
      };
    }
    case 'duplicates':
      return { source: `stream:${sli.stream}`, measures: `duplicate event ids on stream ${sli.stream}` };
    case 'completeness':
      return { source: `stream:${sli.stream}`, measures: `missing aggregate versions (gaps) on stream ${sli.stream}` };
    case 'delivery': {
      if (sli.broker !== undefined)
        return {
          source: `rabbitmq:${sli.broker}`,
          measures: `messages dead-lettered from RabbitMQ queue ${sli.queue} on broker ${sli.broker} (good: acked on it)`,
        };
      const dlq = dlqs.find((d) => d.name === sli.dlq);
      const source = dlq?.kind === 'sql' ? `store:${dlq.store}` : `dlq:${sli.dlq}`;
      return { source, measures: `messages dead-lettered to DLQ ${sli.dlq}` };
    }
    case 'read_after_write':
      return {
        source: `probe:${sli.probe}`,
        measures: `read-after-write visibility of probe ${sli.probe} (a probe run is good when its write is readable within ${durationText(sli.threshold)})`,
      };
    case 'ratio':
      return { measures: 'a ratio of the application’s own metrics' };
    case 'latency':
      return { measures: `${sli.histogram}${sli.selector ? `{${sli.selector}}` : ''} within ${durationText(sli.threshold)}` };
    case 'error_ratio':
      return { measures: 'an error ratio of the application’s own metrics' };
  }
}

import type { Config } from '../../config/schema/index.js';
import type { RuleFormat } from '../options.js';
import { namingFor } from '../rules/slo-groups.js';
import type { Naming } from '../rules/naming.js';

/** What of a config the dashboards depend on. */
export type DashboardConfig = Pick<Config, 'slos'> & Partial<Pick<Config, 'clusters' | 'stores' | 'streams' | 'dlqs' | 'rabbitmq' | 'probes'>>;

/** The dashboards' model: which sections exist and which recording names the SLO panels read. */
export interface DashboardSpec {
  /** Names of the SLO recordings: the same as the rule files of the chosen format. */
  readonly naming: Naming;
  /** Kafka sections, with the finest lag level any cluster exports (clusters[].granularity). */
  readonly kafka?: { readonly topicLevel: boolean; readonly partitionLevel: boolean };
  readonly stores: boolean;
  /** RabbitMQ queue sections (rabbitmq[] configured). */
  readonly rabbitmq: boolean;
  readonly streams: boolean;
  readonly dlqs: boolean;
  /** Read-after-write probe sections (probes[] configured). */
  readonly probes: boolean;
  readonly slos: boolean;
}

/** A section appears when the config has that kind of source; the monitor's own section always. */
export function dashboardSpec(config: DashboardConfig, format: RuleFormat = 'prometheus'): DashboardSpec {
  const clusters = config.clusters ?? [];
  const levels = new Set(clusters.map((c) => c.granularity));
  return {
    naming: namingFor(format),
    ...(clusters.length > 0 ? { kafka: { topicLevel: levels.has('topic') || levels.has('partition'), partitionLevel: levels.has('partition') } } : {}),
    stores: (config.stores ?? []).length > 0,
    rabbitmq: (config.rabbitmq ?? []).length > 0,
    streams: (config.streams ?? []).length > 0,
    // RabbitMQ dead-letter queues go to the same cqrs_dlq_* families.
    dlqs: (config.dlqs ?? []).length > 0 || (config.rabbitmq ?? []).length > 0,
    probes: (config.probes ?? []).length > 0,
    slos: config.slos.length > 0,
  };
}

import type { SliConfig } from '../config/schema/slos.js';
import { targetKey, type SliTarget } from '../core/sli-board.js';

/** The SLI board target an SLO of a measured kind reads; undefined for kinds that live in PromQL only. */
export function sliTarget(sli: SliConfig): SliTarget | undefined {
  switch (sli.kind) {
    case 'freshness':
    case 'apply_latency':
      if (sli.store && sli.projection) return targetKey.projection(sli.store, sli.projection);
      if (sli.cluster && sli.group) return targetKey.group(sli.cluster, sli.group);
      if (sli.broker && sli.queue) return targetKey.queue(sli.broker, sli.vhost ?? '/', sli.queue);
      return undefined;
    case 'duplicates':
    case 'completeness':
      return targetKey.stream(sli.stream);
    case 'read_after_write':
      return targetKey.probe(sli.probe);
    case 'delivery':
      // A RabbitMQ source queue: its source feeds acks and dead letters under the queue's key.
      if (sli.broker && sli.queue) return targetKey.queue(sli.broker, sli.vhost ?? '/', sli.queue);
      if (sli.dlq === undefined) return undefined;
      // With `source`, only the messages of that source topic (the DLQ source feeds both keys).
      return sli.source ? `${targetKey.dlq(sli.dlq)}/${sli.source}` : targetKey.dlq(sli.dlq);
    default:
      return undefined;
  }
}

import type { MetricGroup } from '../metric-def.js';
import { SECONDS_BUCKETS } from '../metric-def.js';

/** Event stream tail. */
export const eventMetrics = {
  observed: { name: 'cqrs_events_observed_total', help: 'Events read from the stream.', type: 'counter', labelNames: ['stream'] },
  duplicate: { name: 'cqrs_events_duplicate_total', help: 'Events whose id was already seen within the dedupe window.', type: 'counter', labelNames: ['stream'] },
  gap: { name: 'cqrs_events_gap_total', help: 'Missing aggregate versions (a version skipped ahead).', type: 'counter', labelNames: ['stream'] },
  outOfOrder: { name: 'cqrs_events_out_of_order_total', help: 'Events whose aggregate version went back.', type: 'counter', labelNames: ['stream'] },
  unparseable: { name: 'cqrs_events_unparseable_total', help: 'Events skipped because they could not be parsed.', type: 'counter', labelNames: ['stream', 'reason'] },
  publishDelay: { name: 'cqrs_event_publish_delay_seconds', help: 'Broker timestamp minus the event occurred-at time.', type: 'histogram', labelNames: ['stream'], buckets: SECONDS_BUCKETS },
} as const satisfies MetricGroup;

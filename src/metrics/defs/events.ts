import type { MetricGroup } from '../metric-def.js';
import { SECONDS_BUCKETS } from '../metric-def.js';

/** Event stream tail. */
export const eventMetrics = {
  observed: { name: 'cqrs_events_observed_total', help: 'Events read from the stream.', type: 'counter', labelNames: ['stream'] },
  duplicate: {
    name: 'cqrs_events_duplicate_total',
    help: 'Events whose id was already seen within the dedupe window.',
    type: 'counter',
    labelNames: ['stream'],
  },
  gap: { name: 'cqrs_events_gap_total', help: 'Missing aggregate versions (a version skipped ahead).', type: 'counter', labelNames: ['stream'] },
  outOfOrder: { name: 'cqrs_events_out_of_order_total', help: 'Events whose aggregate version went back.', type: 'counter', labelNames: ['stream'] },
  unparseable: {
    name: 'cqrs_events_unparseable_total',
    help: 'Events skipped because they could not be parsed.',
    type: 'counter',
    labelNames: ['stream', 'reason'],
  },
  redelivered: {
    name: 'cqrs_events_tail_redelivered_total',
    help: 'Records the tail received again after handing them over once (skipped, not counted twice).',
    type: 'counter',
    labelNames: ['stream'],
  },
  aggregateEvictions: {
    name: 'cqrs_events_aggregate_evictions_total',
    help: 'Aggregates dropped from the bounded version tracker (a gap in an evicted aggregate goes unseen).',
    type: 'counter',
    labelNames: ['stream'],
  },
  positionsSkipped: {
    name: 'cqrs_events_positions_skipped_total',
    help: 'SQL streams: positions given up as holes after the settle time (rolled back, or committed too late to be read).',
    type: 'counter',
    labelNames: ['stream'],
  },
  aggregates: { name: 'cqrs_events_tracked_aggregates', help: 'Aggregates whose last version the tail remembers.', type: 'gauge', labelNames: ['stream'] },
  dedupeIds: {
    name: 'cqrs_events_dedupe_window_ids',
    help: 'Event id fingerprints in the live part of the dedupe window.',
    type: 'gauge',
    labelNames: ['stream'],
  },
  dedupeFill: {
    name: 'cqrs_events_dedupe_window_fill_ratio',
    help: 'Dedupe window ids divided by its configured maxIds (1 means the count limit binds).',
    type: 'gauge',
    labelNames: ['stream'],
  },
  dedupeBytes: { name: 'cqrs_events_dedupe_window_bytes', help: 'Memory of the dedupe window (allocated up front).', type: 'gauge', labelNames: ['stream'] },
  dedupeSpan: {
    name: 'cqrs_events_dedupe_window_span_seconds',
    help: 'History the dedupe window covers, by broker time (below the configured window when the count limit binds).',
    type: 'gauge',
    labelNames: ['stream'],
  },
  tailPartitions: {
    name: 'cqrs_events_tail_partitions',
    help: 'Partitions assigned to this monitor instance for the stream.',
    type: 'gauge',
    labelNames: ['stream'],
  },
  publishDelay: {
    name: 'cqrs_event_publish_delay_seconds',
    help: 'Broker timestamp minus the event occurred-at time.',
    type: 'histogram',
    labelNames: ['stream'],
    buckets: SECONDS_BUCKETS,
    perEvent: true,
  },
} as const satisfies MetricGroup;

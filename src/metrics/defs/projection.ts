import type { MetricGroup } from '../metric-def.js';
import { APPLY_LATENCY_BUCKETS } from '../metric-def.js';

const L = ['store', 'projection'] as const;

/** Projection checkpoints read from SQL stores. */
export const projectionMetrics = {
  headPosition: { name: 'cqrs_projection_head_position', help: 'Position of the newest event in the store.', type: 'gauge', labelNames: L },
  checkpointPosition: { name: 'cqrs_projection_checkpoint_position', help: 'Last position the projection has applied.', type: 'gauge', labelNames: L },
  lagEvents: { name: 'cqrs_projection_lag_events', help: 'max(0, head - checkpoint).', type: 'gauge', labelNames: L },
  lagSeconds: {
    name: 'cqrs_projection_lag_seconds',
    help: 'Age of the oldest event the projection has not applied; 0 when caught up.',
    type: 'gauge',
    labelNames: L,
  },
  checkpointAge: {
    name: 'cqrs_projection_checkpoint_age_seconds',
    help: 'Seconds since the checkpoint last changed (informational: rises on quiet streams).',
    type: 'gauge',
    labelNames: L,
  },
  applyLatency: {
    name: 'cqrs_projection_apply_latency_seconds',
    help: 'Seconds from event time to the first observed checkpoint write covering the event (an upper bound; docs/stores.md gives the error per preset).',
    type: 'histogram',
    labelNames: L,
    buckets: APPLY_LATENCY_BUCKETS,
  },
  status: {
    name: 'cqrs_projection_status',
    help: '1 for the current status of the projection (OK, LAGGING, STALLED, REBUILDING, ERROR), 0 for the others.',
    type: 'gauge',
    labelNames: ['store', 'projection', 'status'],
  },
  rebuildDuration: {
    name: 'cqrs_projection_rebuild_duration_seconds',
    help: 'Duration of the running rebuild so far, or of the last finished one (checkpoint reset until caught up).',
    type: 'gauge',
    labelNames: L,
  },
  rebuildProgress: {
    name: 'cqrs_projection_rebuild_progress_ratio',
    help: 'Running rebuild only: (checkpoint - checkpoint at its start) / (head seen at the reset - checkpoint at its start), 0..1; absent when no rebuild is running.',
    type: 'gauge',
    labelNames: L,
  },
} as const satisfies MetricGroup;

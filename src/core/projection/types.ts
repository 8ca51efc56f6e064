import type { EpochMillis, Position, Ratio, Seconds } from '../units.js';

/** The statuses a projection can be in; see docs/stores.md for the rules. */
export const PROJECTION_STATUSES = ['OK', 'LAGGING', 'STALLED', 'REBUILDING', 'ERROR'] as const;
export type ProjectionStatus = (typeof PROJECTION_STATUSES)[number];

/**
 * One reading of a projection, as a source turns it into plain data. Positions are the
 * store's global sequence numbers; a checkpoint of 0 means nothing applied yet.
 */
export interface ProjectionObservation {
  /** Monitor clock when the store was read. */
  readonly at: EpochMillis;
  /** Position of the newest event (the head). */
  readonly head: Position;
  /** Last position the projection has applied. */
  readonly checkpoint: Position;
  /** The store's own time of the last checkpoint write, when it keeps one (Marten, Emmett). */
  readonly checkpointUpdatedAt?: EpochMillis | undefined;
  /** Timestamp of the first event after the checkpoint; undefined when none was found. */
  readonly firstUnappliedTime?: EpochMillis | undefined;
  /** The store itself says a replay is running (Axon ReplayToken). */
  readonly replaying?: boolean | undefined;
  /** The store reports this projection as failed, or its checkpoint could not be decoded. */
  readonly failure?: string | undefined;
  /**
   * Checkpoint writes seen by probes (light checkpoint-only readings) since the previous
   * reading, in the order they were seen: earlier covering writes than this reading's.
   */
  readonly probedWrites?: readonly CheckpointWrite[] | undefined;
}

/**
 * The checkpoint seen at `position`, written by `at`: the store's own write time where the
 * layout records one, else the time the monitor saw it. Every event up to `position` was
 * applied at `at` or earlier.
 */
export interface CheckpointWrite {
  readonly position: Position;
  readonly at: EpochMillis;
}

/** Tunables of the evaluation, all in seconds. */
export interface ProjectionRules {
  /** Lag > 0 and no checkpoint movement for this long -> STALLED. */
  readonly stallAfter: Seconds;
  /** Span of recent readings over which "lag is growing" is judged for LAGGING. */
  readonly window: Seconds;
}

/** A reading kept in the sliding window. */
export interface WindowSample {
  readonly at: EpochMillis;
  readonly lag: number;
  readonly checkpoint: Position;
}

/** A rebuild (checkpoint reset) in progress or finished. */
export interface RebuildState {
  /** Monitor time the reset was first seen. */
  readonly startedAt: EpochMillis;
  /** Checkpoint the rebuild starts from (the lowest seen since it started): 0 for a full reset. */
  readonly from: Position;
  /** Head position when the reset was seen: the rebuild is over once the checkpoint is back here. */
  readonly target: Position;
  /** Set once caught up. */
  readonly endedAt?: EpochMillis | undefined;
}

/** What the tracker remembers between readings of one projection. */
export interface ProjectionTrackState {
  readonly last: ProjectionObservation;
  /** Monitor time the checkpoint was first seen at its current value. */
  readonly checkpointChangedAt: EpochMillis;
  /** Start of the current run of readings with lag > 0; undefined when caught up. */
  readonly lagSince?: EpochMillis | undefined;
  readonly window: readonly WindowSample[];
  readonly rebuild?: RebuildState | undefined;
}

/** A checkpoint advance that is ordinary processing (not a rebuild): events (from, to] were applied. */
export interface CheckpointAdvance {
  readonly from: Position;
  readonly to: Position;
  /** Best known time the events were applied: the store's checkpoint time, else the reading time. */
  readonly appliedAt: EpochMillis;
  /**
   * The observed writes covering the advance, by increasing position, the last at `to`: each
   * event is charged the first of them that covers it (`applyLatencies`).
   */
  readonly writes: readonly CheckpointWrite[];
}

/** The SLIs of one projection after a reading. */
export interface ProjectionSli {
  readonly lagEvents: number;
  /** Undefined when lag > 0 but the first unapplied event could not be found. */
  readonly stalenessSeconds: Seconds | undefined;
  readonly checkpointAgeSeconds: Seconds;
  readonly status: ProjectionStatus;
  /** Running rebuild: seconds so far; finished: its duration; never rebuilt: undefined. */
  readonly rebuildDurationSeconds: Seconds | undefined;
  /** Running rebuild only: share of its positions applied, (checkpoint - from) / (target - from). */
  readonly rebuildProgress: Ratio | undefined;
  /** Set when the checkpoint moved forward by ordinary processing since the previous reading. */
  readonly advance: CheckpointAdvance | undefined;
  /** Timestamps that were ahead of the monitor clock in this reading (ages clamped to 0). */
  readonly skewed: number;
}

import type { EventTime, ProjectionObservation } from '../../core/projection/index.js';
import type { EpochMillis, Position } from '../../core/units.js';
import type { Query } from './db.js';

/** One projection as read in a cycle, before any SLI is derived (the reading time is added by the source). */
export interface RawReading extends Omit<ProjectionObservation, 'at'> {
  readonly projection: string;
}

/** A projection's checkpoint as a probe reads it. */
export interface CheckpointReading {
  readonly projection: string;
  readonly position: Position;
  /** The store's time of the last checkpoint write, where the layout records one. */
  readonly updatedAt?: EpochMillis | undefined;
}

/** A checkpoint advance to sample event times from: (from, to], every `stride`-th position. */
export interface AdvanceRange {
  readonly projection: string;
  readonly from: Position;
  readonly to: Position;
  readonly stride: number;
  /** At most this many event times. */
  readonly limit: number;
}

/** How a store's layout is read; one implementation for framework presets, one for user SQL. */
export interface StoreReader {
  readonly preset: string;
  /** Startup check (and after every failed cycle): tables exist, user SQL returns the right columns. */
  validate(q: Query, projections: readonly string[]): Promise<void>;
  /** Every projection the store knows (discovery). */
  listProjections(q: Query): Promise<string[]>;
  /** Head, checkpoint and first unapplied event time of each projection. */
  read(q: Query, projections: readonly string[]): Promise<RawReading[]>;
  /** Checkpoints alone (position and the store's write time, if any): what a probe reads. */
  checkpoints(q: Query, projections: readonly string[]): Promise<CheckpointReading[]>;
  /** Event times for each advance, same order as `ranges`. */
  eventTimes(q: Query, ranges: readonly AdvanceRange[]): Promise<EventTime[][]>;
}

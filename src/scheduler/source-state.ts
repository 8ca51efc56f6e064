import type { SourceErrorReason } from '../sources/source-error.js';
import type { CycleReport } from '../sources/source.js';
import type { EpochMillis, Seconds } from '../core/units.js';

/** What the scheduler knows of one source; served by /api/status and /readyz. */
export interface SourceState {
  name: string;
  interval: Seconds;
  up: boolean;
  running: boolean;
  /** A cycle finished (successfully or not) at least once. */
  completedOnce: boolean;
  /** A cycle succeeded at least once. */
  succeededOnce: boolean;
  cycles: number;
  errors: number;
  skipped: number;
  lastStart?: EpochMillis;
  lastEnd?: EpochMillis;
  lastDuration?: Seconds;
  lastSuccess?: EpochMillis;
  lastError?: { reason: SourceErrorReason; message: string; at: EpochMillis };
  lastReport?: CycleReport;
}

import type { Logger } from 'pino';
import type { Metrics } from '../metrics/create-metrics.js';
import type { SliBoard } from '../core/sli-board.js';
import type { Clock } from '../core/units.js';

/** What every source factory receives (dependency injection; no globals). */
export interface SourceDeps {
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly board: SliBoard;
}

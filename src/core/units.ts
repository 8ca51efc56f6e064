/**
 * Domain units. Plain numbers at runtime; the aliases document intent at every boundary.
 */

/** A duration or age in seconds (base unit of every exported metric). */
export type Seconds = number;
/** A wall-clock instant in milliseconds since the Unix epoch. */
export type EpochMillis = number;
/** A Kafka offset or a store sequence number (global position). */
export type Position = number;
/** A count of messages / events. */
export type Count = number;
/** A ratio in [0, 1]. */
export type Ratio = number;

/** The monitor's clock, injected so that the core stays pure and testable. */
export type Clock = () => EpochMillis;
export const systemClock: Clock = () => Date.now();

/**
 * What the workload does, as pure functions of a counter or the wall clock, so that every SLI
 * the monitor exports moves and the choices are unit-tested.
 */

/** A Kafka projector of the workload: its consumer group is also its Emmett processor id. */
export interface WorkloadProjector {
  /** Consumer group and `emt_processors.processor_id` (the `projection` label). */
  readonly name: string;
  /** Events applied per second at most. */
  readonly eventsPerSecond: number;
  /** Seconds of each `cycleSeconds` (wall clock, at its end) during which it applies nothing. */
  readonly stallSecondsPerCycle: number;
  readonly cycleSeconds: number;
  /** Where its poison events go: the dead-letter topic or the dead-letter table. */
  readonly deadLetterTo: 'topic' | 'table';
}

export const WORKLOAD_PROJECTORS: readonly WorkloadProjector[] = [
  // Keeps up: fresh, low apply latency; its poison events go to the dead-letter topic.
  { name: 'order-view', eventsPerSecond: 500, stallSecondsPerCycle: 0, cycleSeconds: 300, deadLetterTo: 'topic' },
  // Slower than the bursts and stuck 60 s every 5 minutes: LAGGING, STALLED, stale; its poison
  // events go to the dead-letter table.
  { name: 'customer-stats', eventsPerSecond: 15, stallSecondsPerCycle: 60, cycleSeconds: 300, deadLetterTo: 'table' },
];

/** Events the writer appends per second: a steady base, four times that for 60 s every 5 minutes. */
export function writeRateAt(baseRate: number, epochMs: number): number {
  const phase = Math.floor(epochMs / 1000) % 300;
  return phase >= 240 ? baseRate * 4 : baseRate;
}

/** True while the projector is in the stalled part of its cycle. */
export function isStalled(p: WorkloadProjector, epochMs: number): boolean {
  if (p.stallSecondsPerCycle <= 0) return false;
  return Math.floor(epochMs / 1000) % p.cycleSeconds >= p.cycleSeconds - p.stallSecondsPerCycle;
}

/** The relay publishes every `every`-th event twice (an at-least-once publisher retrying). */
export function isDuplicatedDelivery(globalPosition: number, every = 25): boolean {
  return globalPosition % every === 0;
}

/** A projector fails on events whose amount is a multiple of 37 (37 and 74: 2 in 90 of the writer's amounts). */
export function isPoison(amount: number): boolean {
  return amount % 37 === 0;
}

/** Dead letters in the table older than this are marked resolved (a replay job), so depth falls too. */
export const DEAD_LETTER_RESOLVE_AFTER_SECONDS = 120;

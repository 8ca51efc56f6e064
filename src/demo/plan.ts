/**
 * Pure: what the demo's command side does with its i-th event. Chosen so that within the first
 * minute a newcomer sees every failure family the monitor knows about, at a rate that keeps the
 * demo's SLOs where they are meant to be (see config/default.yaml).
 */
export interface EventPlan {
  /** The order_summary projector rejects it: it lands in the dead-letter table. */
  readonly poison: boolean;
  /** Appended a second time right after itself, with the same message id (a retried append). */
  readonly duplicate: boolean;
  /** Its stream position skips one: a version gap in the aggregate. */
  readonly gap: boolean;
}

/** One event in this many is poison (1 %: about one every 20 s at the steady 5 events/s). */
export const POISON_EVERY = 100;
/** One event in this many is appended twice. */
export const DUPLICATE_EVERY = 50;
/** One event in this many comes after a version gap. */
export const GAP_EVERY = 70;

export function eventPlan(i: number): EventPlan {
  return { poison: i % POISON_EVERY === 37, duplicate: i % DUPLICATE_EVERY === 23, gap: i % GAP_EVERY === 41 };
}

/** Pure: the replayer resolves dead letters every this many seconds after the demo starts. */
export const REPLAY_EVERY_S = 30;
/** Dead letters younger than this are left for the next replay: depth and age stay visible. */
export const REPLAY_MIN_AGE_S = 10;
/** Every this many seconds old events, orders and resolved dead letters are pruned. */
export const PRUNE_EVERY_S = 60;
/** Events kept in the event table (about 16 minutes at the steady rate). */
export const KEEP_EVENTS = 5000;

/** Pure: whether the second `elapsedS` of the demo runs a replay. */
export const replayDue = (elapsedS: number): boolean => elapsedS > 0 && elapsedS % REPLAY_EVERY_S === REPLAY_EVERY_S - 10;
/** Pure: whether the second `elapsedS` of the demo prunes. */
export const pruneDue = (elapsedS: number): boolean => elapsedS > 0 && elapsedS % PRUNE_EVERY_S === PRUNE_EVERY_S / 2;

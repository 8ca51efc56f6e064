import type { EpochMillis } from '../../../core/units.js';
import { shardOf } from './fnv1a.js';

/**
 * What a replica knows of its place in the coordination group, as plain data: no clock, no
 * I/O. Every change comes from an event of the coordination consumer (`stepShard`); what it owns
 * at a time is read with `assignedAt`.
 */
export interface ShardState {
  /** Partitions of the coordination topic; 0 until known (then nothing is owned). */
  readonly partitions: number;
  /** Coordination partitions assigned at the last join; empty before it and after a revocation. */
  readonly assigned: ReadonlySet<number>;
  /**
   * Ownership ends here unless a heartbeat renews it: the broker evicts a member one session
   * timeout after its last heartbeat and gives its partitions to others, so a replica that can no
   * longer heartbeat (network cut, frozen process) must stop claiming them by then.
   */
  readonly leaseUntil: EpochMillis;
  /**
   * Claims start here, a delay after the join: the previous owner of a partition cleared its
   * series when the rebalance began, but its /metrics page may show them for a moment longer.
   */
  readonly claimFrom: EpochMillis;
}

export type ShardEvent =
  /** The topic's partition count, read from its metadata before joining. */
  | { readonly kind: 'partitions'; readonly count: number }
  /** Join and sync completed (kafkajs GROUP_JOIN) with this member's partitions. */
  | { readonly kind: 'joined'; readonly partitions: readonly number[]; readonly at: EpochMillis }
  /** A heartbeat was answered: the generation, and so the assignment, is still valid. */
  | { readonly kind: 'heartbeat'; readonly at: EpochMillis }
  /** A rebalance started, the consumer crashed or stopped: the assignment is void (eager protocol). */
  | { readonly kind: 'revoked' };

export const INITIAL_SHARD_STATE: ShardState = { partitions: 0, assigned: new Set(), leaseUntil: 0, claimFrom: 0 };

/**
 * The state after `event`; `sessionTimeoutMs` is the coordination group's session timeout,
 * `claimDelayMs` the wait between a join and the first claim.
 */
export function stepShard(state: ShardState, event: ShardEvent, sessionTimeoutMs: number, claimDelayMs = 0): ShardState {
  switch (event.kind) {
    case 'partitions':
      return event.count === state.partitions ? state : { ...state, partitions: event.count };
    case 'joined':
      return { ...state, assigned: new Set(event.partitions), leaseUntil: event.at + sessionTimeoutMs, claimFrom: event.at + claimDelayMs };
    case 'heartbeat':
      return state.assigned.size === 0 ? state : { ...state, leaseUntil: Math.max(state.leaseUntil, event.at + sessionTimeoutMs) };
    case 'revoked':
      return state.assigned.size === 0 ? state : { ...state, assigned: new Set() };
  }
}

const NOTHING: ReadonlySet<number> = new Set();

/** The coordination partitions owned at `now`: none before the partition count is known, before the claim delay or after the lease. */
export function assignedAt(state: ShardState, now: EpochMillis): ReadonlySet<number> {
  return state.partitions > 0 && now >= state.claimFrom && now < state.leaseUntil ? state.assigned : NOTHING;
}

/** Whether this replica owns consumer group `groupId` at `now`. */
export function ownsGroup(state: ShardState, groupId: string, now: EpochMillis): boolean {
  const assigned = assignedAt(state, now);
  return assigned.size > 0 && assigned.has(shardOf(groupId, state.partitions));
}

/**
 * Whether this replica publishes the cluster's topic-level series (watermarks, produced counters):
 * the owner of coordination partition 0, so exactly one replica does once the group is stable.
 */
export function publishesTopics(state: ShardState, now: EpochMillis): boolean {
  return assignedAt(state, now).has(0);
}

/** Partitions owned at `before` and not in `after`: a loss whose series must go at once. */
export function lostPartitions(before: ReadonlySet<number>, after: ReadonlySet<number>): number[] {
  return [...before].filter((p) => !after.has(p)).sort((a, b) => a - b);
}

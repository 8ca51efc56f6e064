import { aggregateLag, type LagAggregate } from '../../core/kafka/aggregate.js';
import { breachSeconds, drainForecast, rates, type Rates } from '../../core/kafka/forecast.js';
import { offsetLag, type OffsetLag } from '../../core/kafka/offset-lag.js';
import { redelivered } from '../../core/kafka/redelivery.js';
import { allowedLag, groupStatus, type AllowedLagSpec, type GroupStatus, type StatusOptions } from '../../core/kafka/status.js';
import { timeLag, type TimeLag } from '../../core/kafka/time-lag.js';
import type { ReadWanted } from '../../core/kafka/timestamp-cache.js';
import type { EpochMillis, Seconds } from '../../core/units.js';
import type { GroupCommits, PartitionWatermarks } from './client.js';
import { pushWindow, type ClusterState, type GroupMemory } from './cluster-state.js';

const NO_TOPICS: ReadonlyMap<string, LagAggregate> = new Map();

/** A partition of a group as the first pass saw it (the second pass reuses its lookups). */
export interface ObservedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number | undefined;
  readonly watermarks: PartitionWatermarks;
  /** Its slot in the group's GroupPartitions. */
  readonly slot: number;
}

/** One partition of a group after a cycle. */
export interface PartitionRow {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number | undefined;
  readonly lag: OffsetLag;
  readonly time: TimeLag;
  /**
   * Where the label text of the row's series is kept between cycles: `labelTexts[slot]` (the
   * group's GroupPartitions column).
   */
  readonly labelTexts?: (string | undefined)[];
  readonly slot?: number;
}

/** Everything published about a group after a cycle. */
export interface GroupEvaluation {
  readonly groupId: string;
  readonly status: GroupStatus;
  readonly readable: boolean;
  readonly rows: PartitionRow[];
  readonly byTopic: Map<string, LagAggregate>;
  /**
   * Partitions of topics the group no longer has (deleted topics), at their last values until
   * inactiveRetention passes; not part of the group's totals or status.
   */
  readonly retained: PartitionRow[];
  readonly retainedByTopic: ReadonlyMap<string, LagAggregate>;
  readonly total: LagAggregate | undefined;
  /** Messages re-delivered per topic because commits moved back this cycle. */
  readonly redelivered: Map<string, number>;
  readonly commitAge: Seconds;
  readonly rates: Rates | undefined;
  readonly drain: Seconds | undefined;
  readonly breach: Seconds | undefined;
}

export interface EvaluateOptions {
  readonly statusWindow: number;
  readonly status: StatusOptions;
  readonly forecastThreshold: Seconds | undefined;
  readonly topicFilter: (topic: string) => boolean;
  /** How long partitions that disappeared keep their series, in ms. */
  readonly retentionMs: number;
  /** The allowed lag of a group (its override, the cluster's default, or one interval of production). */
  readonly allowedLag: (groupId: string) => AllowedLagSpec;
}

/**
 * A group's commits of one topic by partition, for a lookup per watermark without a key per
 * partition (a `topic\0partition` map entry per group-partition was 500 000 entries a cycle at
 * 5 000 groups x 100 partitions). Reused from topic to topic and group to group: entries are
 * written for the topic's watermark partitions before they are read.
 */
let byPartition = new Float64Array(1024);

/** Loads the commits of `runs` (start, end pairs in `c`) into `byPartition` for these partitions; NaN where none. */
function loadTopic(c: GroupCommits, runs: readonly number[], watermarks: readonly PartitionWatermarks[]): void {
  let max = 0;
  for (const w of watermarks) if (w.partition > max) max = w.partition;
  if (max >= byPartition.length) byPartition = new Float64Array(Math.max(max + 1, 2 * byPartition.length));
  for (const w of watermarks) byPartition[w.partition] = Number.NaN;
  // In answer order: of two commits of one partition the later wins, as map writes did.
  for (let k = 0; k < runs.length; k += 2)
    for (let i = runs[k]!; i < runs[k + 1]!; i++) {
      const p = c.partitions[i]!;
      if (p >= 0 && p <= max) byPartition[p] = c.offsets[i]!;
    }
}

/**
 * First pass over a readable group: records this cycle's commits in the group's windows and
 * lists the record timestamps it would like read. No I/O.
 */
export function observeGroup(
  state: ClusterState,
  g: GroupMemory,
  commits: GroupCommits,
  topicsByName: ReadonlyMap<string, PartitionWatermarks[]>,
  now: EpochMillis,
  opts: EvaluateOptions,
): { at: EpochMillis; wants: ReadWanted[]; redelivered: Map<string, number>; partitions: ObservedPartition[] } {
  // Topic -> its runs as (start, end) pairs, in the order topics first appear.
  const runsOf = new Map<string, number[]>();
  let start = 0;
  for (let r = 0; r < commits.topics.length; r++) {
    const t = commits.topics[r]!;
    const end = start + commits.runs[r]!;
    if (opts.topicFilter(t)) {
      const l = runsOf.get(t);
      if (l) l.push(start, end);
      else runsOf.set(t, [start, end]);
    }
    start = end;
  }
  const partitions: ObservedPartition[] = [];
  const wants: ReadWanted[] = [];
  const redeliveredByTopic = new Map<string, number>();
  let moved = false;
  const ps = g.partitions;
  const { windows } = ps;
  let count = 0;
  for (const t of runsOf.keys()) count += topicsByName.get(t)?.length ?? 0;
  ps.reserve(count);
  // Every partition of a consumed topic counts, committed or not (new partitions start uncommitted).
  for (const [t, runs] of runsOf) {
    const ws = topicsByName.get(t);
    if (ws === undefined) continue;
    loadTopic(commits, runs, ws);
    for (const w of ws) {
      const key = state.key(t, w.partition);
      const slot = ps.slot(key, t, w.partition);
      ps.setLastSeen(slot, now);
      const o = byPartition[w.partition]!;
      const p: ObservedPartition = { topic: t, partition: w.partition, committed: Number.isNaN(o) ? undefined : o, watermarks: w, slot };
      partitions.push(p);
      const lag = offsetLag(p.committed, w);
      // The window holds positions: a -2/-1 sentinel counts as the low/high watermark it stands
      // for, so a reset to earliest after a real commit is a rewind like any other.
      const position = lag.uncommitted ? undefined : lag.position;
      const n = windows.length(slot);
      const prevPosition = n > 0 ? windows.committed(slot, n - 1) : undefined;
      if (n > 0 && prevPosition !== position) moved = true;
      const back = redelivered(prevPosition, position, w.low);
      if (back > 0) redeliveredByTopic.set(p.topic, (redeliveredByTopic.get(p.topic) ?? 0) + back);
      windows.push(slot, position, w.low, w.high);
      if (lag.lag > 0) wants.push({ topic: p.topic, partition: p.partition, offset: lag.firstUnconsumed, lag: lag.lag });
    }
  }
  // Partitions the group no longer has (topic deleted, or filtered out) stay for the retention.
  if (ps.size > partitions.length) {
    for (const [key, slot] of ps.entries()) {
      const seen = ps.lastSeen(slot);
      if (seen !== now && now - seen > opts.retentionMs) ps.delete(key);
    }
  }
  if (moved) g.lastCommitMove = now;
  return { at: now, wants, redelivered: redeliveredByTopic, partitions };
}

/** `topic:partitions` per topic, sorted: which partitions the group's totals sum. */
function shapeOf(partitions: readonly ObservedPartition[]): string {
  const counts = new Map<string, number>();
  for (const p of partitions) counts.set(p.topic, (counts.get(p.topic) ?? 0) + 1);
  return [...counts]
    .map(([t, n]) => `${t}:${n}`)
    .sort()
    .join(',');
}

/**
 * Second pass: time lags (exact reads from the cache, else interpolation), aggregates, status,
 * rates and forecasts. No I/O.
 */
export function evaluateGroup(
  state: ClusterState,
  groupId: string,
  g: GroupMemory,
  observed: ReturnType<typeof observeGroup>,
  now: EpochMillis,
  opts: EvaluateOptions,
): GroupEvaluation {
  const rows: PartitionRow[] = [];
  const ps = g.partitions;
  let sumLag = 0;
  let sumCommitted = 0;
  let sumHigh = 0;
  for (const p of observed.partitions) {
    const w = p.watermarks;
    const lag = offsetLag(p.committed, w);
    const exact = lag.lag > 0 ? state.timestamps.get(p.topic, p.partition, lag.firstUnconsumed) : undefined;
    const interpolated = lag.lag > 0 ? state.partitions.get(state.key(p.topic, p.partition))?.history.appendTime(lag.firstUnconsumed) : undefined;
    const time = timeLag({ lag, now, exact, interpolated });
    rows.push({ topic: p.topic, partition: p.partition, committed: p.committed, lag, time, labelTexts: ps.labelTexts, slot: p.slot });
    ps.setSeconds(p.slot, time.seconds);
    sumLag += lag.lag;
    sumCommitted += lag.position;
    sumHigh += w.high;
  }
  pushWindow(g.totals, { t: now, lag: sumLag, committed: sumCommitted, high: sumHigh, shape: shapeOf(observed.partitions) }, opts.statusWindow);
  const agg = aggregateLag(rows.map((r) => ({ topic: r.topic, lag: r.lag.lag, seconds: r.time.seconds })));
  const retained: PartitionRow[] = [];
  const { windows } = ps;
  if (ps.size > observed.partitions.length) {
    for (const slot of ps.slots()) {
      if (ps.lastSeen(slot) === observed.at) continue;
      const last = windows.length(slot) - 1;
      const committed = windows.committed(slot, last);
      const lag = offsetLag(committed, { low: windows.low(slot, last), high: windows.high(slot, last) });
      const seconds = ps.seconds(slot);
      const time: TimeLag = seconds === undefined ? { seconds: undefined, reason: 'no_history' } : { seconds, method: 'retained', clamped: false };
      retained.push({ topic: ps.topic(slot), partition: ps.partition(slot), committed, lag, time, labelTexts: ps.labelTexts, slot });
    }
  }
  // The live partitions are this cycle's observed ones (each slot once: one key per partition).
  const live = windows.windows(observed.partitions.map((p) => p.slot));
  const members = g.info?.members;
  const status = groupStatus(
    { readable: true, members, partitions: live, totals: g.totals, allowedLag: allowedLag(opts.allowedLag(groupId), g.totals) },
    opts.status,
  );
  const r = rates(g.totals);
  const drain = drainForecast({ status, members, lag: sumLag, rates: r });
  const breach = r && opts.forecastThreshold !== undefined ? breachSeconds(agg.group.seconds, opts.forecastThreshold, r, sumLag) : undefined;
  return {
    groupId,
    status,
    readable: true,
    rows,
    byTopic: agg.byTopic,
    retained,
    retainedByTopic: retained.length ? aggregateLag(retained.map((r) => ({ topic: r.topic, lag: r.lag.lag, seconds: r.time.seconds }))).byTopic : NO_TOPICS,
    total: agg.group,
    redelivered: observed.redelivered,
    commitAge: (now - (g.lastCommitMove ?? g.firstSeen)) / 1000,
    rates: r,
    drain,
    breach,
  };
}

/** A group whose offsets (or topics) could not be read this cycle: ERROR, nothing else. */
export function unreadableGroup(groupId: string, g: GroupMemory, now: EpochMillis): GroupEvaluation {
  return {
    groupId,
    status: 'ERROR',
    readable: false,
    rows: [],
    byTopic: new Map(),
    retained: [],
    retainedByTopic: NO_TOPICS,
    total: undefined,
    redelivered: new Map(),
    commitAge: (now - (g.lastCommitMove ?? g.firstSeen)) / 1000,
    rates: undefined,
    drain: undefined,
    breach: undefined,
  };
}

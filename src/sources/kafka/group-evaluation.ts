import { LagSum, type LagAggregate } from '../../core/kafka/aggregate.js';
import { breachSeconds, drainForecast, rates, rebaseLag, type Rates } from '../../core/kafka/forecast.js';
import { resumePosition, uncommittedPosition } from '../../core/kafka/offset-lag.js';
import { redelivered } from '../../core/kafka/redelivery.js';
import { allowedLag, groupStatus, type AllowedLagSpec, type GroupStatus, type StatusOptions } from '../../core/kafka/status.js';
import { TIME_LAG_CLAMPED, TIME_LAG_NO_HISTORY, TIME_LAG_NO_TIMESTAMP, timeLagSeconds, timeLagValue } from '../../core/kafka/time-lag.js';
import type { EpochMillis, Seconds } from '../../core/units.js';
import type { GroupCommits, PartitionWatermarks } from './client.js';
import { pushWindow, ROW_UNCOMMITTED, type ClusterState, type GroupMemory, type GroupPartitions } from './cluster-state.js';
const NO_TOPICS: ReadonlyMap<string, LagAggregate> = new Map();
const NO_SLOTS: readonly number[] = [];

/**
 * A group's partition rows after a cycle: slots of its GroupPartitions, whose columns hold each
 * row's values (committed offset, lag, time lag, label text) until the next cycle. No object per
 * row: at 5 000 groups x 100 partitions a cycle made several per group-partition, kept until
 * publish (docs/performance.md, "Rows as columns").
 */
export interface PartitionRows {
  readonly partitions: GroupPartitions;
  readonly slots: Int32Array | readonly number[];
}

/** What the first pass hands the second: this cycle's live slots are on the group (GroupPartitions.live). */
export interface ObservedGroup {
  readonly at: EpochMillis;
  readonly redelivered: Map<string, number>;
  /** Totals over the live partitions: offset lag, positions (low watermark when uncommitted), high watermarks. */
  readonly sumLag: number;
  readonly sumCommitted: number;
  readonly sumHigh: number;
  /**
   * Lag the earlier totals of the window did not count: partitions whose first commit this cycle
   * is below where their uncommitted lag counted from (see `rebaseLag`).
   */
  readonly rebase: number;
}

/** Everything published about a group after a cycle. */
export interface GroupEvaluation {
  readonly groupId: string;
  readonly status: GroupStatus;
  readonly readable: boolean;
  readonly rows: PartitionRows;
  readonly byTopic: Map<string, LagAggregate>;
  /**
   * Partitions of topics the group no longer has (deleted topics), at their last values until
   * inactiveRetention passes; not part of the group's totals or status.
   */
  readonly retained: PartitionRows;
  readonly retainedByTopic: ReadonlyMap<string, LagAggregate>;
  readonly total: LagAggregate | undefined;
  /** Live rows without a commit, and without a time lag by reason, and with a clamped one (clock skew). */
  readonly uncommitted: number;
  readonly noHistory: number;
  readonly noTimestamp: number;
  readonly clamped: number;
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
 * First pass over a readable group: records this cycle's commits in the group's windows and its
 * rows' offset columns, sums its totals, and tells the timestamp cache which record timestamps it
 * would like read (`TimestampCache.want`, between the cycle's `begin` and `chosen`). No I/O.
 */
export function observeGroup(
  state: ClusterState,
  g: GroupMemory,
  commits: GroupCommits,
  topicsByName: ReadonlyMap<string, PartitionWatermarks[]>,
  now: EpochMillis,
  opts: EvaluateOptions,
): ObservedGroup {
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
  const { timestamps } = state;
  const redeliveredByTopic = new Map<string, number>();
  let moved = false;
  let sumLag = 0;
  let sumCommitted = 0;
  let sumHigh = 0;
  let rebase = 0;
  const ps = g.partitions;
  const { windows } = ps;
  let count = 0;
  for (const t of runsOf.keys()) count += topicsByName.get(t)?.length ?? 0;
  ps.reserve(count);
  ps.clearLive();
  // Every partition of a consumed topic counts, committed or not (new partitions start uncommitted).
  for (const [t, runs] of runsOf) {
    const ws = topicsByName.get(t);
    if (ws === undefined) continue;
    loadTopic(commits, runs, ws);
    for (const w of ws) {
      const slot = ps.slot(state.key(t, w.partition), t, w.partition);
      ps.setLastSeen(slot, now);
      const committed = byPartition[w.partition]!;
      const n = windows.length(slot);
      const prevPosition = n > 0 ? windows.committed(slot, n - 1) : undefined;
      // offsetLag in numbers: NaN is "nothing committed", counted from where it was first seen so,
      // which the window's last sample keeps in its low column (uncommittedPosition).
      const resume = resumePosition(committed, w.low, w.high);
      const uncommitted = Number.isNaN(resume);
      const kept = n > 0 && prevPosition === undefined ? windows.low(slot, n - 1) : undefined;
      const position = uncommitted ? uncommittedPosition(kept, w.low, w.high) : resume;
      if (!uncommitted && kept !== undefined && position < kept) rebase += kept - position;
      const lag = Math.max(0, w.high - position);
      const first = Math.max(position, w.low);
      // A -1/-2 sentinel is not an offset: no committed-offset series (its lag still counts).
      ps.addLive(slot, committed >= 0 ? committed : Number.NaN, lag, first, uncommitted ? ROW_UNCOMMITTED : 0);
      sumLag += lag;
      // The rates read the position sums, which must not fall when a partition gets its first
      // commit below where its uncommitted lag counted from (a consumer reading from the
      // beginning): that drop would cut the comparable window and hide a drain. So an uncommitted
      // partition stands at its low watermark there, where any first commit is at or above.
      sumCommitted += uncommitted ? w.low : position;
      sumHigh += w.high;
      // The window holds positions: a -2/-1 sentinel counts as the low/high watermark it stands
      // for, so a reset to earliest after a real commit is a rewind like any other. Without a
      // commit it holds none, and its low column the uncommitted position (what status reads).
      const windowed = uncommitted ? undefined : position;
      if (n > 0 && prevPosition !== windowed) moved = true;
      const back = redelivered(prevPosition, windowed, w.low);
      if (back > 0) redeliveredByTopic.set(t, (redeliveredByTopic.get(t) ?? 0) + back);
      windows.push(slot, windowed, uncommitted ? position : w.low, w.high);
      if (lag > 0) timestamps.want(t, w.partition, first, lag);
    }
  }
  // Partitions the group no longer has (topic deleted, or filtered out) stay for the retention.
  if (ps.size > ps.liveCount) {
    for (const [key, slot] of ps.entries()) {
      const seen = ps.lastSeen(slot);
      if (seen !== now && now - seen > opts.retentionMs) ps.delete(key);
    }
  }
  if (moved) g.lastCommitMove = now;
  return { at: now, redelivered: redeliveredByTopic, sumLag, sumCommitted, sumHigh, rebase };
}

/** `topic:partitions` per topic, sorted: which partitions the group's totals sum. */
function shapeOf(byTopic: ReadonlyMap<string, LagAggregate>): string {
  return [...byTopic]
    .map(([t, a]) => `${t}:${a.partitions}`)
    .sort()
    .join(',');
}

/** Per topic sums, in the order topics first appear. */
function topicResults(sums: ReadonlyMap<string, LagSum>): Map<string, LagAggregate> {
  const out = new Map<string, LagAggregate>();
  for (const [t, s] of sums) out.set(t, s.result());
  return out;
}

/**
 * Second pass: time lags (exact reads from the cache, else interpolation) into the rows'
 * columns, aggregates summed in the same loop, status, rates and forecasts. No I/O.
 */
export function evaluateGroup(
  state: ClusterState,
  groupId: string,
  g: GroupMemory,
  observed: ObservedGroup,
  now: EpochMillis,
  opts: EvaluateOptions,
): GroupEvaluation {
  const ps = g.partitions;
  const live = ps.live();
  const topicSums = new Map<string, LagSum>();
  const all = new LagSum();
  let sum: LagSum | undefined;
  let sumTopic: string | undefined;
  let uncommitted = 0;
  let noHistory = 0;
  let noTimestamp = 0;
  let clamped = 0;
  for (let i = 0; i < live.length; i++) {
    const slot = live[i]!;
    const topic = ps.topic(slot);
    const lag = ps.lag(slot);
    let value = 0;
    if (lag > 0) {
      const partition = ps.partition(slot);
      const first = ps.firstUnconsumed(slot);
      const exact = state.timestamps.get(topic, partition, first);
      // The history is asked only without an exact timestamp (the answer would not be used).
      value = timeLagValue(lag, first, now, exact, typeof exact === 'number' ? undefined : state.partitions.get(state.key(topic, partition))?.history);
    }
    const seconds = timeLagSeconds(value);
    // Kept as the slot's seconds: publish reads them, and a retained partition keeps reporting them.
    ps.setSeconds(slot, seconds);
    if (value === TIME_LAG_NO_HISTORY) noHistory++;
    else if (value === TIME_LAG_NO_TIMESTAMP) noTimestamp++;
    else if (value === TIME_LAG_CLAMPED) clamped++;
    if ((ps.flags(slot) & ROW_UNCOMMITTED) !== 0) uncommitted++;
    // A group's rows come topic by topic: the map is asked once per topic, not per row.
    if (topic !== sumTopic) {
      sumTopic = topic;
      sum = topicSums.get(topic);
      if (!sum) topicSums.set(topic, (sum = new LagSum()));
    }
    sum!.add(lag, seconds);
    all.add(lag, seconds);
  }
  const byTopic = topicResults(topicSums);
  if (observed.rebase > 0) g.totals = rebaseLag(g.totals, observed.rebase);
  pushWindow(g.totals, { t: now, lag: observed.sumLag, committed: observed.sumCommitted, high: observed.sumHigh, shape: shapeOf(byTopic) }, opts.statusWindow);
  const agg = all.result();
  const retained: number[] = [];
  let retainedByTopic = NO_TOPICS;
  const { windows } = ps;
  if (ps.size > live.length) {
    const retainedSums = new Map<string, LagSum>();
    for (const slot of ps.slots()) {
      if (ps.lastSeen(slot) === observed.at) continue;
      const last = windows.length(slot) - 1;
      const committed = windows.committed(slot, last);
      const low = windows.low(slot, last);
      const high = windows.high(slot, last);
      // The window keeps positions (a sentinel resolved): the last one is published as the offset.
      const lag = Math.max(0, high - (committed ?? low));
      ps.setRetained(slot, committed ?? Number.NaN, lag);
      retained.push(slot);
      const topic = ps.topic(slot);
      let s = retainedSums.get(topic);
      if (!s) retainedSums.set(topic, (s = new LagSum()));
      s.add(lag, ps.seconds(slot));
    }
    retainedByTopic = topicResults(retainedSums);
  }
  const members = g.info?.members;
  const status = groupStatus(
    { readable: true, members, partitions: windows.windows(live), totals: g.totals, allowedLag: allowedLag(opts.allowedLag(groupId), g.totals) },
    opts.status,
  );
  const r = rates(g.totals);
  const drain = drainForecast({ status, members, lag: observed.sumLag, rates: r });
  const breach = r && opts.forecastThreshold !== undefined ? breachSeconds(agg.seconds, opts.forecastThreshold, r, observed.sumLag) : undefined;
  return {
    groupId,
    status,
    readable: true,
    rows: { partitions: ps, slots: live },
    byTopic,
    retained: { partitions: ps, slots: retained },
    retainedByTopic,
    total: agg,
    uncommitted,
    noHistory,
    noTimestamp,
    clamped,
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
    rows: { partitions: g.partitions, slots: NO_SLOTS },
    byTopic: new Map(),
    retained: { partitions: g.partitions, slots: NO_SLOTS },
    retainedByTopic: NO_TOPICS,
    total: undefined,
    uncommitted: 0,
    noHistory: 0,
    noTimestamp: 0,
    clamped: 0,
    redelivered: new Map(),
    commitAge: (now - (g.lastCommitMove ?? g.firstSeen)) / 1000,
    rates: undefined,
    drain: undefined,
    breach: undefined,
  };
}

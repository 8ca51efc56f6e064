import type { ClusterConfig } from '../../config/schema/kafka.js';
import { passes } from '../../config/schema/common.js';
import { targetKey } from '../../core/sli-board.js';
import { producedSince } from '../../core/kafka/produced.js';
import type { AllowedLagSpec } from '../../core/kafka/status.js';
import { TIME_LAG_UNAVAILABLE_REASONS, type TimeLagUnavailable } from '../../core/kafka/time-lag.js';
import type { SourceDeps } from '../deps.js';
import { reasonOf, SourceError } from '../source-error.js';
import { withTlsProblem } from '../tls-error.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import type { GroupCommits, GroupInfo, KafkaClient, PartitionWatermarks, WatermarkResult } from './client.js';
import { ClusterState, type PartitionMemory } from './cluster-state.js';
import { isMissingTopic } from './kafka-errors.js';
import { evaluateGroup, observeGroup, unreadableGroup, type EvaluateOptions, type GroupEvaluation, type ObservedGroup } from './group-evaluation.js';
import { GROUP_SERIES_MAX, GroupByGroupPublisher, PARTITION_ROW_SERIES, publish, TOPIC_ROW_SERIES, WATERMARK_SERIES } from './publish.js';
import { SeriesBook } from './series-book.js';
import { TimeSlice } from './time-slice.js';
import type { GroupShard, ShardSelection } from './shard/group-shard.js';

/**
 * The allowed lag of each group: the first matching `groupOverrides` entry that sets one, else
 * the cluster's `allowedLag`, else what its topics produce in one interval.
 */
function allowedLagOf(cfg: ClusterConfig): (groupId: string) => AllowedLagSpec {
  const fallback: AllowedLagSpec = cfg.allowedLag ?? { productionSeconds: cfg.interval };
  const overrides = cfg.groupOverrides.filter((o) => o.allowedLag !== undefined);
  return (groupId) => overrides.find((o) => o.group.test(groupId))?.allowedLag ?? fallback;
}

/** Requests whose failure leaves a cycle incomplete without failing it (`request` label). */
const PARTIAL_REQUESTS = ['describe_groups', 'fetch_offsets', 'fetch_watermarks', 'read_timestamps'] as const;
type PartialRequest = (typeof PARTIAL_REQUESTS)[number];

/** Step 1's result: groups listed this cycle, and groups gone but still within the retention. */
interface SelectedGroups {
  readonly watched: readonly string[];
  readonly retained: readonly string[];
  /** With sharding: this cycle's ownership, and the listed groups other replicas own. */
  readonly shard?: ShardSelection | undefined;
  readonly others: readonly string[];
}

/** Step 3's result: this cycle's watermarks, by topic too, and when they were read. */
interface CycleWatermarks extends WatermarkResult {
  readonly byTopic: ReadonlyMap<string, PartitionWatermarks[]>;
  readonly now: number;
  /** The collector's memory of each partition in `partitions`, in the same order (they carry the published values and label text). */
  readonly memories: PartitionMemory[];
}

/** Step 4's result. */
interface ObservedGroups {
  readonly observed: ReadonlyMap<string, ObservedGroup>;
  /** Groups already evaluated as unreadable (ERROR). */
  readonly unreadable: readonly GroupEvaluation[];
}

/** What a cycle counts while it accounts for its evaluations (CycleReport). */
interface Tally {
  groups: number;
  errors: number;
  partitions: number;
  unavailable: number;
  /**
   * Rows without a time lag by reason, added to the counter once per reason at the end of the
   * cycle: a labelled counter's inc() per row hashes its labels each time (500 000 rows without
   * time lag per cycle at 5 000 groups x 100 partitions).
   */
  unavailableBy: Map<string, number>;
  skew: number;
}
const newTally = (): Tally => ({ groups: 0, errors: 0, partitions: 0, unavailable: 0, unavailableBy: new Map(), skew: 0 });

/** Group protocol types the collector watches: consumer groups, and groups that only commit (`""`). */
const CONSUMER_PROTOCOL_TYPES = new Set(['consumer', '']);

/**
 * One Kafka cluster as a Source: each cycle lists the selected groups, reads their commits,
 * the watermarks of the topics they consume and a bounded number of record timestamps, then
 * publishes lag, time lag, status, redelivery, production and forecasts. A group that cannot be
 * read is ERROR and loses its series; the cycle only fails when the cluster itself cannot be
 * read (listing groups, or every watermark request).
 */
export class KafkaClusterSource implements Source {
  readonly name: string;
  readonly interval: number;
  readonly timeout: number;
  readonly #cfg: ClusterConfig;
  readonly #deps: SourceDeps;
  readonly #client: KafkaClient;
  readonly #state: ClusterState;
  readonly #book = new SeriesBook();
  readonly #opts: EvaluateOptions;
  readonly #shard: GroupShard | undefined;
  /** Listed groups another replica owns, marked on the SLI board last cycle (sharding). */
  #elsewhere = new Set<string>();
  #requestsSeen = 0;
  #overflowLogged = false;

  /** `shard`: with sharding, only the groups (and topic-level series) this replica owns. */
  constructor(cfg: ClusterConfig, deps: SourceDeps, client: KafkaClient, shard?: GroupShard) {
    this.#cfg = cfg;
    this.#shard = shard;
    shard?.onLoss(() => this.clear());
    this.#deps = deps;
    this.#client = client;
    this.name = `kafka:${cfg.name}`;
    this.interval = cfg.interval;
    this.timeout = cfg.timeout ?? cfg.interval;
    this.#state = new ClusterState(cfg.timeLag.historyPoints, cfg.statusWindow);
    this.#opts = {
      statusWindow: cfg.statusWindow,
      status: { stallSamples: cfg.stallSamples, trendSamples: 3 },
      forecastThreshold: cfg.forecastThreshold,
      topicFilter: (t) => passes(cfg.topics, t),
      retentionMs: cfg.inactiveRetention * 1000,
      allowedLag: allowedLagOf(cfg),
    };
    // Counters are born at 0 as soon as their labels are known, so that increase() and rate()
    // see the first event (a counter born at its first value hides that value from them).
    const cluster = { cluster: cfg.name };
    const m = deps.metrics.kafka;
    m.requests.inc(cluster, 0);
    m.timestampReads.inc(cluster, 0);
    for (const request of PARTIAL_REQUESTS) m.partialErrors.inc({ ...cluster, request }, 0);
    for (const reason of TIME_LAG_UNAVAILABLE_REASONS) m.timeLagUnavailable.inc({ ...cluster, reason }, 0);
    deps.metrics.monitor.clockSkew.inc({ source: this.name }, 0);
    deps.metrics.monitor.seriesDropped.inc({ source: this.name }, 0);
  }

  /**
   * One cycle: the steps below, in order. Each step is a method a reader (and a test through
   * `collect`) can follow on its own; what a step hands the next is named in its return type.
   */
  async collect(ctx: CycleContext): Promise<CycleReport> {
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    // One slice clock for the whole cycle: steps run back to back in one task (the end of one
    // and the start of the next), so a clock per step let a task hold the loop for several
    // slices (docs/performance.md, "Pauses as shipped"). After an await on I/O it is stale and
    // yields once at the next check, which costs a loop turn.
    const slice = new TimeSlice();
    try {
      const groups = await this.#selectGroups(ctx);
      const commits = await this.#fetchCommits(groups, ctx);
      const watermarks = await this.#fetchWatermarks(commits, ctx, slice, groups.shard);
      const observed = await this.#observeGroups(groups, commits, watermarks, slice);
      const reads = await this.#readTimestamps(ctx);
      const now = ctx.clock();
      const published = this.#publishedWatermarks(watermarks);
      const { shard } = groups;
      // A replica that does not publish the topic-level series publishes no watermarks.
      const ownWatermarks = shard && !shard.topics() ? [] : published;
      const rowTopics = await this.#fitsUnderCap(observed, ownWatermarks, slice);
      if (rowTopics) return await this.#evaluateAndPublish(observed, now, ownWatermarks, rowTopics, reads, ctx.signal, slice, shard);
      const evaluations = await this.#evaluateGroups(observed, now, slice);
      ctx.signal.throwIfAborted();
      // Ownership may have changed during the cycle: publish only what is owned now.
      const owned = shard ? evaluations.filter((e) => shard.owns(e.groupId)) : evaluations;
      return await this.#publish(owned, ownWatermarks, reads, ctx.signal);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(`kafka cluster ${cluster}: ${withTlsProblem(err, (err as Error).message)}`, {
        reason: reasonOf(err),
        cause: err,
        context: { cluster },
      });
    } finally {
      const n = this.#client.requestCount();
      m.requests.inc({ cluster }, n - this.#requestsSeen);
      this.#requestsSeen = n;
    }
  }

  /**
   * Step 1. The consumer groups to watch (listed, passing the group filter and the state filter),
   * remembered with their description; and the groups that went away but keep reporting from
   * their last commits for `inactiveRetention`. Groups gone for longer are forgotten.
   */
  async #selectGroups(ctx: CycleContext): Promise<SelectedGroups> {
    const listed = await ctx.span('kafka.list_groups', () => this.#client.listGroups());
    const listedIds = listed.filter((g) => CONSUMER_PROTOCOL_TYPES.has(g.protocolType) && passes(this.#cfg.groups, g.groupId)).map((g) => g.groupId);
    const shard = this.#shard?.select(listedIds);
    const groupIds = shard ? listedIds.filter((id) => shard.owns(id)) : listedIds;
    ctx.signal.throwIfAborted();
    const infos = await ctx
      .span('kafka.describe_groups', () => this.#client.describeGroups(groupIds), { groups: groupIds.length })
      .catch((err: unknown) => {
        this.#partial('describe_groups', err, ctx);
        return new Map<string, GroupInfo | Error>();
      });
    const now = ctx.clock();
    const watched: string[] = [];
    for (const id of groupIds) {
      const info = infos.get(id);
      const known = info instanceof Error || info === undefined ? undefined : info;
      if (this.#cfg.groupStates.length > 0 && known?.state !== undefined && !this.#cfg.groupStates.includes(known.state)) continue;
      const g = this.#state.group(id, now);
      g.lastListed = now;
      g.info = known;
      if (info instanceof Error) this.#partial('describe_groups', info, ctx);
      watched.push(id);
    }
    const retained: string[] = [];
    const watchedSet = new Set(watched);
    for (const [id, g] of this.#state.groups) {
      if (watchedSet.has(id)) continue;
      if (now - g.lastListed <= this.#cfg.inactiveRetention * 1000 && (shard?.owns(id) ?? true)) {
        g.info = { state: 'Gone', members: 0, protocol: g.info?.protocol ?? 'unknown' };
        retained.push(id);
      } else this.#forget(id);
    }
    ctx.signal.throwIfAborted();
    // Groups another replica owns: their SLO ticks are that replica's (none counted here). Marks
    // of groups no longer listed are dropped, so the board holds at most the listed groups.
    if (shard) this.#markElsewhere(listedIds.filter((id) => !shard.owns(id)));
    // The topic-level publisher also reads the others' commits, to know every consumed topic.
    const others = shard?.topics() ? listedIds.filter((id) => !shard.owns(id)) : [];
    return { watched, retained, shard, others };
  }

  /**
   * Step 2. Commits of the watched groups, batched per coordinator, failures isolated per group
   * (an Error in the map); retained groups keep their last commits.
   */
  async #fetchCommits({ watched, retained, others }: SelectedGroups, ctx: CycleContext): Promise<Map<string, GroupCommits | Error>> {
    const commits = await ctx
      .span('kafka.fetch_offsets', () => this.#client.fetchCommittedOffsets(others.length > 0 ? [...watched, ...others] : watched), { groups: watched.length })
      .catch((err: unknown) => new Map<string, GroupCommits | Error>(watched.map((id) => [id, err as Error])));
    for (const id of watched) {
      let c = commits.get(id);
      if (c === undefined) commits.set(id, (c = new Error(`no committed offsets returned for group ${id}`)));
      if (c instanceof Error) this.#partial('fetch_offsets', c, ctx);
    }
    for (const id of retained) commits.set(id, this.#state.groups.get(id)!.commits.commits);
    ctx.signal.throwIfAborted();
    return commits;
  }

  /**
   * Step 3. Watermarks of every consumed topic (passing the topic filter), recorded in the
   * partitions' offset history. Fails the cycle only when no topic at all could be read.
   */
  async #fetchWatermarks(
    commits: ReadonlyMap<string, GroupCommits | Error>,
    ctx: CycleContext,
    slice: TimeSlice,
    shard?: ShardSelection,
  ): Promise<CycleWatermarks> {
    const topics = new Set<string>();
    for (const c of commits.values()) if (!(c instanceof Error)) for (const t of c.topics) if (this.#opts.topicFilter(t)) topics.add(t);
    const result = await ctx.span('kafka.fetch_watermarks', () => this.#client.fetchWatermarks([...topics]), { topics: topics.size });
    const now = ctx.clock();
    if (topics.size > 0 && result.partitions.length === 0 && result.failed.size > 0) {
      const first = [...result.failed.values()][0];
      throw new SourceError(`no watermarks could be read: ${first?.message ?? ''}`, { reason: reasonOf(first), cause: first });
    }
    for (const [, err] of result.failed) this.#partial('fetch_watermarks', err, ctx);
    const byTopic = new Map<string, PartitionWatermarks[]>();
    for (const p of result.partitions) {
      const list = byTopic.get(p.topic);
      if (list) list.push(p);
      else byTopic.set(p.topic, [p]);
    }
    const memories = await this.#recordWatermarks(result.partitions, now, shard?.topics() ?? true, slice);
    return { ...result, byTopic, now, memories };
  }

  /**
   * Step 4. First pass over each group: a readable one has its commits recorded in its windows
   * and tells the timestamp cache the record timestamps worth reading; a group whose commits, or one of whose topics,
   * could not be read is evaluated at once as unreadable (ERROR). A topic that does not exist is
   * no reason: the group's other topics still count.
   */
  async #observeGroups(
    groups: SelectedGroups,
    commits: ReadonlyMap<string, GroupCommits | Error>,
    wm: CycleWatermarks,
    slice: TimeSlice,
  ): Promise<ObservedGroups> {
    const observed = new Map<string, ObservedGroup>();
    const unreadable: GroupEvaluation[] = [];
    this.#state.timestamps.begin();
    const unreadableTopic = (topic: string): boolean => {
      if (!this.#opts.topicFilter(topic)) return false;
      const err = wm.failed.get(topic);
      return err !== undefined && !isMissingTopic(err);
    };
    const retainedIds = new Set(groups.retained);
    for (const id of [...groups.watched, ...groups.retained]) {
      const g = this.#state.groups.get(id)!;
      const c = commits.get(id);
      if (c === undefined || c instanceof Error || (wm.failed.size > 0 && c.topics.some(unreadableTopic))) {
        unreadable.push(unreadableGroup(id, g, wm.now));
        continue;
      }
      // A retained group's commits are what was kept.
      if (!retainedIds.has(id)) g.commits.keep(c);
      const o = observeGroup(this.#state, g, c, wm.byTopic, wm.now, this.#opts);
      observed.set(id, o);
      if (slice.due()) await slice.pause();
    }
    return { observed, unreadable };
  }

  /** Step 5. Exact record timestamps: most lagging first, bounded, cached until the commit moves. Returns the reads planned. */
  async #readTimestamps(ctx: CycleContext): Promise<number> {
    const plan = this.#state.timestamps.chosen(this.#cfg.timeLag.maxReadsPerCycle);
    if (plan.length === 0) return 0;
    const read = await ctx
      .span('kafka.read_timestamps', () => this.#client.readTimestamps(plan), { reads: plan.length })
      .catch((err: unknown) => {
        this.#partial('read_timestamps', err, ctx);
        return [];
      });
    for (const r of read) this.#state.timestamps.set(r.topic, r.partition, r.offset, r.timestamp);
    this.#deps.metrics.kafka.timestampReads.inc({ cluster: this.#cfg.name }, read.length);
    return plan.length;
  }

  /** Step 6. Second pass: time lag, aggregates, status and forecasts, yielding between slices of groups. */
  async #evaluateGroups({ observed, unreadable }: ObservedGroups, now: number, slice: TimeSlice): Promise<GroupEvaluation[]> {
    const evaluations = [...unreadable];
    for (const [id, o] of observed) {
      evaluations.push(evaluateGroup(this.#state, id, this.#state.groups.get(id)!, o, now, this.#opts));
      if (slice.due()) await slice.pause();
    }
    return evaluations;
  }

  /**
   * Whether this cycle's series surely fit under `maxSeries`, counted before evaluation: the
   * rows `rowBudget` would count (from each observed group's window entries: live ones are its
   * partition rows, the others its retained rows) plus GROUP_SERIES_MAX per group. Returns the
   * topics whose watermarks go out, or undefined when the cycle may not fit. In time slices: a
   * pass over every group's partitions (25 000 at 500 groups) in one task was one of the event
   * loop's pauses over 50 ms (docs/performance.md, "Pauses").
   */
  async #fitsUnderCap(
    { observed, unreadable }: ObservedGroups,
    watermarks: readonly PartitionWatermarks[],
    slice: TimeSlice,
  ): Promise<Set<string> | undefined> {
    const granularity = this.#cfg.granularity;
    let needed = (observed.size + unreadable.length) * GROUP_SERIES_MAX;
    const rowTopics = new Set<string>();
    let topicRows = 0;
    let partitionRows = 0;
    const live = new Set<string>();
    const retained = new Set<string>();
    for (const [id, o] of observed) {
      if (slice.due()) await slice.pause();
      const g = this.#state.groups.get(id)!;
      live.clear();
      retained.clear();
      const ps = g.partitions;
      for (const slot of ps.slots()) (ps.lastSeen(slot) === o.at ? live : retained).add(ps.topic(slot));
      partitionRows += ps.size;
      topicRows += live.size + retained.size;
      if (granularity === 'partition') {
        for (const t of live) rowTopics.add(t);
        for (const t of retained) rowTopics.add(t);
      }
    }
    // With sharding the topic publisher's watermarks go out whether or not its groups consume them.
    if (granularity === 'partition' && this.#shard !== undefined) for (const w of watermarks) rowTopics.add(w.topic);
    if (granularity !== 'group') needed += topicRows * TOPIC_ROW_SERIES;
    if (granularity === 'partition') {
      needed += partitionRows * PARTITION_ROW_SERIES;
      for (const w of watermarks) if (rowTopics.has(w.topic)) needed += WATERMARK_SERIES;
    }
    return needed <= this.#cfg.maxSeries ? rowTopics : undefined;
  }

  /**
   * Steps 6 and 7 together, for a cycle that fits under the cap: each group is evaluated and
   * published at once, then dropped (its rows die young; see GroupByGroupPublisher). The series
   * are those of `#evaluateGroups` + `#publish`.
   */
  async #evaluateAndPublish(
    { observed, unreadable }: ObservedGroups,
    now: number,
    watermarks: readonly PartitionWatermarks[],
    rowTopics: ReadonlySet<string>,
    reads: number,
    signal: AbortSignal,
    slice: TimeSlice,
    shard?: ShardSelection,
  ): Promise<CycleReport> {
    const tally = newTally();
    this.#book.begin();
    const out = new GroupByGroupPublisher(this.#deps.metrics.kafka, this.#book, { cluster: this.#cfg.name, granularity: this.#cfg.granularity, signal });
    // Ownership may change during the cycle: publish only what is owned at that moment.
    const owned = (id: string): boolean => shard?.owns(id) ?? true;
    for (const e of unreadable) {
      if (!owned(e.groupId)) continue;
      this.#account(e, tally);
      await out.group(e, this.#state.groups.get(e.groupId)?.info);
    }
    for (const [id, o] of observed) {
      if (slice.due()) await slice.pause();
      const g = this.#state.groups.get(id)!;
      const e = evaluateGroup(this.#state, id, g, o, now, this.#opts);
      if (!owned(id)) continue;
      this.#account(e, tally);
      await out.group(e, g.info);
    }
    await out.watermarks(watermarks, rowTopics);
    this.#countUnavailable(tally);
    if (tally.skew > 0) this.#deps.metrics.monitor.clockSkew.inc({ source: this.name }, tally.skew);
    await this.#book.commitInSlices();
    return this.#report(tally, watermarks, reads, out.series, 0);
  }

  /** This cycle's watermarks, and those of partitions that disappeared (deleted topics) kept for the retention. */
  #publishedWatermarks(wm: CycleWatermarks): PartitionMemory[] {
    const published = wm.memories;
    for (const p of this.#state.partitions.values()) if (p.lastSeen !== wm.now) published.push(p);
    return published;
  }

  /**
   * Records this cycle's watermarks in the partitions' memory and the produced counters; returns
   * the memories in order. In time slices: 10 000 partitions in one go held the event loop for
   * 20-40 ms under the profiler (bench/pause-probe.mjs, bench/long-tasks.mjs).
   */
  async #recordWatermarks(partitions: readonly PartitionWatermarks[], now: number, topicSeries: boolean, slice: TimeSlice): Promise<PartitionMemory[]> {
    const m = this.#deps.metrics.kafka;
    const produced = new Map<string, number>();
    const topicsBefore = new Set(this.#state.knownTopics);
    const memories: PartitionMemory[] = [];
    for (const p of partitions) {
      if (slice.due()) await slice.pause();
      const { memory, previousHigh } = this.#state.partition(this.#state.key(p.topic, p.partition), p, now);
      memories.push(memory);
      memory.history.add(now, p.high);
      const n = producedSince(previousHigh, p.high, topicsBefore.has(p.topic));
      produced.set(p.topic, (produced.get(p.topic) ?? 0) + n);
      this.#state.knownTopics.add(p.topic);
    }
    if (slice.due()) await slice.pause();
    this.#state.prunePartitions(now - this.#cfg.inactiveRetention * 1000);
    if (slice.due()) await slice.pause();
    // Topics with no partition left (deleted, or no longer consumed, for longer than the
    // retention) lose their counters: topic churn must not grow the series without bound.
    const live = new Set<string>();
    for (const p of this.#state.partitions.values()) live.add(p.topic);
    for (const topic of this.#state.knownTopics) {
      if (live.has(topic)) continue;
      this.#state.knownTopics.delete(topic);
      m.produced.remove({ cluster: this.#cfg.name, topic });
      for (const [group, g] of this.#state.groups) {
        m.redelivered.remove({ cluster: this.#cfg.name, group, topic });
        g.redeliveryTopics.delete(topic);
      }
    }
    // inc(0) creates the series at once, so rate() works from the first cycle.
    if (topicSeries) for (const [topic, n] of produced) m.produced.inc({ cluster: this.#cfg.name, topic }, n);
    else for (const topic of this.#state.knownTopics) m.produced.remove({ cluster: this.#cfg.name, topic });
    return memories;
  }

  /** One evaluation's counters (redelivery, unavailable time lag) and SLI board entry; adds it to the cycle's tally. */
  #account(e: GroupEvaluation, tally: Tally): void {
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    const g = this.#state.groups.get(e.groupId);
    if (g) {
      // Born at 0 with the group's topic, so that increase() sees the first rewind.
      for (const topic of e.byTopic.keys()) {
        if (g.redeliveryTopics.has(topic)) continue;
        g.redeliveryTopics.add(topic);
        m.redelivered.inc({ cluster, group: e.groupId, topic }, 0);
      }
    }
    for (const [topic, n] of e.redelivered) m.redelivered.inc({ cluster, group: e.groupId, topic }, n);
    const unavailable: [TimeLagUnavailable, number][] = [
      ['no_history', e.noHistory],
      ['no_timestamp', e.noTimestamp],
    ];
    for (const [reason, n] of unavailable) {
      if (n === 0) continue;
      tally.unavailableBy.set(reason, (tally.unavailableBy.get(reason) ?? 0) + n);
      tally.unavailable += n;
    }
    tally.skew += e.clamped;
    this.#deps.board.setStaleness(targetKey.group(cluster, e.groupId), e.readable ? e.total?.seconds : undefined);
    tally.groups++;
    if (!e.readable) tally.errors++;
    tally.partitions += e.rows.slots.length;
  }

  /** The rows without time lag of the cycle, into the counter once per reason. */
  #countUnavailable(tally: Tally): void {
    for (const [reason, n] of tally.unavailableBy) this.#deps.metrics.kafka.timeLagUnavailable.inc({ cluster: this.#cfg.name, reason }, n);
  }

  /** Step 7 for a cycle that may not fit under the cap: every evaluation at once, ranked past the cap. */
  async #publish(evaluations: GroupEvaluation[], watermarks: PartitionWatermarks[], reads: number, signal: AbortSignal): Promise<CycleReport> {
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    const tally = newTally();
    for (const e of evaluations) this.#account(e, tally);
    this.#countUnavailable(tally);
    if (tally.skew > 0) this.#deps.metrics.monitor.clockSkew.inc({ source: this.name }, tally.skew);
    this.#book.begin();
    const { series, dropped } = await publish(m, this.#book, {
      cluster,
      granularity: this.#cfg.granularity,
      maxSeries: this.#cfg.maxSeries,
      groups: evaluations.map((e) => ({ evaluation: e, info: this.#state.groups.get(e.groupId)?.info })),
      watermarks,
      allWatermarks: this.#shard !== undefined,
      signal,
    });
    await this.#book.commitInSlices();
    return this.#report(tally, watermarks, reads, series, dropped);
  }

  /** The series gauge, the overflow warning, and the cycle's report. */
  #report(tally: Tally, watermarks: readonly PartitionWatermarks[], reads: number, series: number, dropped: number): CycleReport {
    this.#deps.metrics.kafka.series.set({ cluster: this.#cfg.name }, series);
    if (dropped > 0) {
      this.#deps.metrics.monitor.seriesDropped.inc({ source: this.name }, dropped);
      if (!this.#overflowLogged)
        this.#deps.logger.warn({ source: this.name, maxSeries: this.#cfg.maxSeries, dropped }, 'kafka series cap reached; least lagging series dropped');
      this.#overflowLogged = true;
    } else this.#overflowLogged = false;
    return {
      groups: tally.groups,
      groups_error: tally.errors,
      partitions: tally.partitions,
      topics: new Set(watermarks.map((w) => w.topic)).size,
      timestamp_reads: reads,
      time_lag_unavailable: tally.unavailable,
      series,
      series_dropped: dropped,
    };
  }

  #partial(request: PartialRequest, err: unknown, ctx: CycleContext): void {
    this.#deps.metrics.kafka.partialErrors.inc({ cluster: this.#cfg.name, request });
    ctx.logger.debug({ source: this.name, request, err }, 'kafka request failed; affected groups or topics skipped this cycle');
  }

  #markElsewhere(ids: readonly string[]): void {
    const next = new Set(ids);
    for (const id of this.#elsewhere) if (!next.has(id)) this.#deps.board.clearElsewhere(targetKey.group(this.#cfg.name, id));
    for (const id of next) this.#deps.board.setElsewhere(targetKey.group(this.#cfg.name, id));
    this.#elsewhere = next;
  }

  /** Drops a group that has been gone for longer than the retention, with its counters. */
  #forget(groupId: string): void {
    this.#state.groups.delete(groupId);
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    for (const topic of this.#state.knownTopics) m.redelivered.remove({ cluster, group: groupId, topic });
    this.#deps.board.setStaleness(targetKey.group(cluster, groupId), undefined);
  }

  clear(): void {
    this.#book.clear();
    this.#deps.metrics.kafka.series.remove({ cluster: this.#cfg.name });
    for (const id of this.#state.groups.keys()) this.#deps.board.setStaleness(targetKey.group(this.#cfg.name, id), undefined);
  }

  async close(): Promise<void> {
    this.clear();
    await this.#shard?.close();
    await this.#client.close();
  }
}

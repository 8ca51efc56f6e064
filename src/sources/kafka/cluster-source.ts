import type { ClusterConfig } from '../../config/schema/kafka.js';
import { passes } from '../../config/schema/common.js';
import { targetKey } from '../../core/sli-board.js';
import { producedSince } from '../../core/kafka/produced.js';
import type { AllowedLagSpec } from '../../core/kafka/status.js';
import { TIME_LAG_UNAVAILABLE_REASONS } from '../../core/kafka/time-lag.js';
import type { SourceDeps } from '../deps.js';
import { reasonOf, SourceError } from '../source-error.js';
import { withTlsProblem } from '../tls-error.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import type { CommittedOffset, GroupInfo, KafkaClient, PartitionWatermarks } from './client.js';
import { ClusterState } from './cluster-state.js';
import { evaluateGroup, observeGroup, unreadableGroup, type EvaluateOptions, type GroupEvaluation } from './group-evaluation.js';
import { publish } from './publish.js';
import { SeriesBook } from './series-book.js';
import { TimeSlice } from './time-slice.js';
import type { GroupShard } from './shard/group-shard.js';

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
    this.#state = new ClusterState(cfg.timeLag.historyPoints);
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

  async collect(ctx: CycleContext): Promise<CycleReport> {
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    const clock = ctx.clock;
    try {
      // 1. Groups.
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
      const now0 = clock();
      const watched: string[] = [];
      for (const id of groupIds) {
        const info = infos.get(id);
        const known = info instanceof Error || info === undefined ? undefined : info;
        if (this.#cfg.groupStates.length > 0 && known?.state !== undefined && !this.#cfg.groupStates.includes(known.state)) continue;
        const g = this.#state.group(id, now0);
        g.lastListed = now0;
        g.info = known;
        if (info instanceof Error) this.#partial('describe_groups', info, ctx);
        watched.push(id);
      }
      // Groups that went away keep reporting (from their last commits) for inactiveRetention.
      const retained: string[] = [];
      const watchedSet = new Set(watched);
      for (const [id, g] of this.#state.groups) {
        if (watchedSet.has(id)) continue;
        if (now0 - g.lastListed <= this.#cfg.inactiveRetention * 1000 && (shard?.owns(id) ?? true)) {
          g.info = { state: 'Gone', members: 0, protocol: g.info?.protocol ?? 'unknown' };
          retained.push(id);
        } else this.#forget(id);
      }
      ctx.signal.throwIfAborted();

      // 2. Commits, batched per coordinator, failures isolated per group.
      const commits = await ctx
        // The topic-level publisher also reads the others' commits, to know every consumed topic.
        .span('kafka.fetch_offsets', () => this.#client.fetchCommittedOffsets(shard?.topics() ? [...watched, ...listedIds.filter((id) => !shard.owns(id))] : watched), { groups: watched.length })
        .catch((err: unknown) => new Map<string, CommittedOffset[] | Error>(watched.map((id) => [id, err as Error])));
      for (const id of watched) {
        let c = commits.get(id);
        if (c === undefined) commits.set(id, (c = new Error(`no committed offsets returned for group ${id}`)));
        if (c instanceof Error) this.#partial('fetch_offsets', c, ctx);
      }
      for (const id of retained) commits.set(id, this.#state.groups.get(id)!.commits);
      ctx.signal.throwIfAborted();

      // 3. Watermarks of every consumed topic.
      const topics = new Set<string>();
      for (const c of commits.values()) if (!(c instanceof Error)) for (const o of c) if (this.#opts.topicFilter(o.topic)) topics.add(o.topic);
      const wmResult = await ctx.span('kafka.fetch_watermarks', () => this.#client.fetchWatermarks([...topics]), { topics: topics.size });
      const now = clock();
      if (topics.size > 0 && wmResult.partitions.length === 0 && wmResult.failed.size > 0) {
        const first = [...wmResult.failed.values()][0];
        throw new SourceError(`no watermarks could be read: ${first?.message ?? ''}`, { reason: reasonOf(first), cause: first });
      }
      for (const [, err] of wmResult.failed) this.#partial('fetch_watermarks', err, ctx);
      const byTopic = new Map<string, PartitionWatermarks[]>();
      for (const p of wmResult.partitions) {
        const list = byTopic.get(p.topic);
        if (list) list.push(p);
        else byTopic.set(p.topic, [p]);
      }
      this.#recordWatermarks(wmResult.partitions, now, shard?.topics() ?? true);

      // 4. Observe each readable group; collect the record timestamps worth reading.
      const observed = new Map<string, ReturnType<typeof observeGroup>>();
      const slice = new TimeSlice();
      const evaluations: GroupEvaluation[] = [];
      const wants = [];
      for (const id of [...watched, ...retained]) {
        const g = this.#state.groups.get(id)!;
        const c = commits.get(id);
        const missingTopic = c instanceof Error ? undefined : c?.find((o) => this.#opts.topicFilter(o.topic) && wmResult.failed.has(o.topic) && !/does not exist/.test(wmResult.failed.get(o.topic)!.message));
        if (c === undefined || c instanceof Error || missingTopic) {
          evaluations.push(unreadableGroup(id, g, now));
          continue;
        }
        g.commits = c;
        const o = observeGroup(this.#state, g, c, byTopic, now, this.#opts);
        observed.set(id, o);
        for (const w of o.wants) wants.push(w);
        if (slice.due()) await slice.pause();
      }

      // 5. Exact timestamps: most lagging first, bounded, cached until the commit moves.
      const plan = this.#state.timestamps.plan(wants, this.#cfg.timeLag.maxReadsPerCycle);
      if (plan.length > 0) {
        const read = await ctx
          .span('kafka.read_timestamps', () => this.#client.readTimestamps(plan), { reads: plan.length })
          .catch((err: unknown) => {
            this.#partial('read_timestamps', err, ctx);
            return [];
          });
        for (const r of read) this.#state.timestamps.set(r.topic, r.partition, r.offset, r.timestamp);
        m.timestampReads.inc({ cluster }, read.length);
      }
      const evalNow = clock();

      // 6. Evaluate and publish, yielding to the event loop between slices of groups.
      for (const [id, o] of observed) {
        evaluations.push(evaluateGroup(this.#state, id, this.#state.groups.get(id)!, o, evalNow, this.#opts));
        if (slice.due()) await slice.pause();
      }
      ctx.signal.throwIfAborted();
      // Partitions that disappeared (deleted topics) keep their watermarks for the retention too.
      const published: PartitionWatermarks[] = wmResult.partitions;
      for (const p of this.#state.partitions.values()) if (p.lastSeen !== now) published.push(p);
      // Ownership may have changed during the cycle: publish only what is owned now.
      const owned = shard ? evaluations.filter((e) => shard.owns(e.groupId)) : evaluations;
      return await this.#publish(owned, shard && !shard.topics() ? [] : published, plan.length, ctx.signal);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(`kafka cluster ${cluster}: ${withTlsProblem(err, (err as Error).message)}`, { reason: reasonOf(err), cause: err, context: { cluster } });
    } finally {
      const n = this.#client.requestCount();
      m.requests.inc({ cluster }, n - this.#requestsSeen);
      this.#requestsSeen = n;
    }
  }

  #recordWatermarks(partitions: readonly PartitionWatermarks[], now: number, topicSeries: boolean): void {
    const m = this.#deps.metrics.kafka;
    const produced = new Map<string, number>();
    const topicsBefore = new Set(this.#state.knownTopics);
    for (const p of partitions) {
      const { memory, previousHigh } = this.#state.partition(this.#state.key(p.topic, p.partition), p, now);
      memory.history.add(now, p.high);
      const n = producedSince(previousHigh, p.high, topicsBefore.has(p.topic));
      produced.set(p.topic, (produced.get(p.topic) ?? 0) + n);
      this.#state.knownTopics.add(p.topic);
    }
    this.#state.prunePartitions(now - this.#cfg.inactiveRetention * 1000);
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
  }

  async #publish(evaluations: GroupEvaluation[], watermarks: PartitionWatermarks[], reads: number, signal: AbortSignal): Promise<CycleReport> {
    const m = this.#deps.metrics.kafka;
    const cluster = this.#cfg.name;
    let unavailable = 0;
    let skew = 0;
    // Counted here, added once per reason: a labelled counter's inc() per row hashes its labels
    // each time (500 000 rows without time lag per cycle at 5 000 groups x 100 partitions).
    const unavailableBy = new Map<string, number>();
    for (const e of evaluations) {
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
      for (const r of e.rows) {
        if (r.time.seconds === undefined) {
          unavailableBy.set(r.time.reason, (unavailableBy.get(r.time.reason) ?? 0) + 1);
          unavailable++;
        } else if (r.time.clamped) skew++;
      }
      this.#deps.board.setStaleness(targetKey.group(cluster, e.groupId), e.readable ? e.total?.seconds : undefined);
    }
    for (const [reason, n] of unavailableBy) m.timeLagUnavailable.inc({ cluster, reason }, n);
    if (skew > 0) this.#deps.metrics.monitor.clockSkew.inc({ source: this.name }, skew);
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
    this.#book.commit();
    m.series.set({ cluster }, series);
    if (dropped > 0) {
      this.#deps.metrics.monitor.seriesDropped.inc({ source: this.name }, dropped);
      if (!this.#overflowLogged) this.#deps.logger.warn({ source: this.name, maxSeries: this.#cfg.maxSeries, dropped }, 'kafka series cap reached; least lagging series dropped');
      this.#overflowLogged = true;
    } else this.#overflowLogged = false;
    return {
      groups: evaluations.length,
      groups_error: evaluations.filter((e) => !e.readable).length,
      partitions: evaluations.reduce((s, e) => s + e.rows.length, 0),
      topics: new Set(watermarks.map((w) => w.topic)).size,
      timestamp_reads: reads,
      time_lag_unavailable: unavailable,
      series,
      series_dropped: dropped,
    };
  }

  #partial(request: PartialRequest, err: unknown, ctx: CycleContext): void {
    this.#deps.metrics.kafka.partialErrors.inc({ cluster: this.#cfg.name, request });
    ctx.logger.debug({ source: this.name, request, err }, 'kafka request failed; affected groups or topics skipped this cycle');
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

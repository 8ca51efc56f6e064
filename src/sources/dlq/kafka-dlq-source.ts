import type { Admin, Kafka } from 'kafkajs';
import type { ClusterConfig } from '../../config/schema/kafka.js';
import type { KafkaDlqConfig } from '../../config/schema/dlqs.js';
import { targetKey } from '../../core/sli-board.js';
import { ReasonCap } from '../../core/events/reason-cap.js';
import { sourceTopicFromName } from '../../core/events/dlt-headers.js';
import { selectTopics } from '../../core/events/topic-pattern.js';
import type { Seconds } from '../../core/units.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import { SourceError, reasonOf } from '../source-error.js';
import type { SourceDeps } from '../deps.js';
import { DlqReader, newInflowPositions, partitionKey, type DeadLetter } from './dlq-reader.js';
import { marksOf, readDepths, type PartitionDepth } from './handled-marks.js';
import { ProducedDeltas } from './produced-deltas.js';

export interface KafkaDlqSourceOptions {
  dlq: KafkaDlqConfig;
  cluster: ClusterConfig;
  kafka: Kafka;
  deps: SourceDeps;
}

/** The consumer group the monitor reads a DLQ with (it never commits; see DlqReader). */
export function dlqReaderGroupId(dlq: KafkaDlqConfig): string {
  return dlq.readerGroup ?? `cqrs-slo-dlq.${dlq.name}`;
}

/**
 * One Kafka DLQ (explicit topics and/or a name pattern such as `*.DLT`). Per cycle: resolves
 * the topics, reads depth and the oldest unhandled age, and counts what the source topics
 * produced so that the DLQ ratio (dead-lettered / produced) can be computed in PromQL and fed
 * to the `delivery` SLI. Inflow is counted continuously by the reader.
 */
export class KafkaDlqSource implements Source {
  readonly name: string;
  readonly interval: Seconds;
  readonly timeout: Seconds;
  readonly #opts: KafkaDlqSourceOptions;
  readonly #admin: Admin;
  #adminConnected = false;
  #reader: DlqReader | undefined;
  /** Where inflow counting stands, kept across readers. */
  readonly #inflow = newInflowPositions();
  readonly #reasons: ReasonCap;
  readonly #sources: ReasonCap;
  readonly #produced = new ProducedDeltas();
  /** Source topics seen in headers or derived from DLQ names, by label value. */
  readonly #sourceTopics = new Set<string>();
  /** Inflow since the last cycle, per source label (for the SLI board). */
  #inflowSinceCycle = new Map<string, number>();
  #lastDepths: PartitionDepth[] = [];
  readonly #dlqLabel: { dlq: string };

  constructor(opts: KafkaDlqSourceOptions) {
    this.#opts = opts;
    const { dlq, kafka } = opts;
    this.name = `dlq:${dlq.name}`;
    this.interval = dlq.interval;
    this.timeout = Math.max(dlq.interval, 30);
    this.#admin = kafka.admin();
    this.#reasons = new ReasonCap(dlq.maxReasons);
    this.#sources = new ReasonCap(dlq.maxSources);
    this.#dlqLabel = { dlq: dlq.name };
  }

  get reader(): DlqReader | undefined {
    return this.#reader;
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    const { dlq, deps } = this.#opts;
    try {
      if (!this.#adminConnected) {
        await this.#admin.connect();
        this.#adminConnected = true;
      }
      const all = await ctx.span('kafka.listTopics', () => this.#admin.listTopics());
      const topics = selectTopics(all, dlq.topics, dlq.pattern);
      await this.#ensureReader(topics);
      const conflict = this.#reader?.conflict;
      if (conflict) throw new SourceError(conflict, { reason: 'config', context: { dlq: dlq.name, group: dlqReaderGroupId(dlq) } });
      const depths = await ctx.span('kafka.dlqDepth', () => readDepths(this.#admin, topics, dlq.reprocessGroup), { topics: topics.length });
      this.#lastDepths = depths;

      const m = deps.metrics.dlq;
      const depth = depths.reduce((n, d) => n + d.depth, 0);
      m.messages.set(this.#dlqLabel, depth);
      const age = this.#oldestAge(depths);
      if (age === undefined) m.oldestAge.remove(this.#dlqLabel);
      else m.oldestAge.set(this.#dlqLabel, age);

      // Source topics: those named in headers, plus those the DLQ names imply.
      for (const t of topics) {
        const s = sourceTopicFromName(t);
        if (s !== undefined && all.includes(s)) this.#sourceTopics.add(this.#sources.label(s));
      }
      let producedTotal = 0;
      const producedBySource = new Map<string, number>();
      for (const source of this.#sourceTopics) {
        if (!all.includes(source)) continue;
        const offsets = await this.#admin.fetchTopicOffsets(source);
        const delta = this.#produced.update(
          source,
          offsets.reduce((n, p) => n + Number(p.high), 0),
        );
        producedBySource.set(source, delta);
        producedTotal += delta;
        m.sourceProduced.inc({ ...this.#dlqLabel, source }, delta);
      }
      // The delivery SLI: produced on the source topics, of which dead-lettered are bad.
      const inflow = this.#inflowSinceCycle;
      this.#inflowSinceCycle = new Map();
      const inflowTotal = [...inflow.values()].reduce((a, b) => a + b, 0);
      const target = targetKey.dlq(dlq.name);
      deps.board.addEvents('delivery', target, Math.max(producedTotal, inflowTotal), inflowTotal);
      for (const source of new Set([...producedBySource.keys(), ...inflow.keys()])) {
        const bad = inflow.get(source) ?? 0;
        deps.board.addEvents('delivery', `${target}/${source}`, Math.max(producedBySource.get(source) ?? 0, bad), bad);
      }
      return { topics: topics.length, depth, inflow: inflowTotal, produced: producedTotal, ageKnown: age === undefined ? 0 : 1 };
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(`could not read DLQ ${dlq.name}: ${(err as Error).message}`, {
        reason: reasonOf(err),
        cause: err,
        context: { dlq: dlq.name, cluster: dlq.cluster },
      });
    }
  }

  /**
   * Removes the gauges (depth and age are current values the monitor no longer knows); the
   * inflow and produced counters are history and stay, so the first dead letter after an outage
   * is not lost to rate().
   */
  clear(): void {
    const m = this.#opts.deps.metrics.dlq;
    m.messages.remove(this.#dlqLabel);
    m.oldestAge.remove(this.#dlqLabel);
  }

  async close(): Promise<void> {
    await this.#reader?.stop();
    this.#reader = undefined;
    if (this.#adminConnected) await this.#admin.disconnect();
    this.#adminConnected = false;
  }

  /**
   * (Re)starts the reader when the topic set changed (a new topic matched the pattern). A reader
   * that failed to start is dropped, so the next cycle tries again: a freshly created topic
   * without a leader yet must not leave the DLQ without inflow for good.
   */
  async #ensureReader(topics: string[]): Promise<void> {
    const r = this.#reader;
    if (r?.failure) {
      const err = r.failure;
      await r.stop().catch(() => undefined);
      this.#reader = undefined;
      throw new SourceError(`DLQ reader of ${this.#opts.dlq.name} stopped: ${err.message}`, { reason: reasonOf(err), cause: err });
    }
    if (r && r.topics.join('\n') === topics.join('\n')) return;
    if (r) await r.stop();
    const { dlq, kafka, deps } = this.#opts;
    const reader = new DlqReader({
      kafka,
      admin: this.#admin,
      groupId: dlqReaderGroupId(dlq),
      topics,
      headers: dlq.headers,
      marks: async () => marksOf(await readDepths(this.#admin, topics, dlq.reprocessGroup)),
      inflow: this.#inflow,
      onDeadLetter: (d) => this.#onDeadLetter(d),
      logger: deps.logger.child({ source: this.name }),
    });
    this.#reader = reader;
    try {
      await reader.start();
    } catch (err) {
      // (A start that outlived its cycle's timeout may fail after a newer reader took over.)
      if (this.#reader === reader) this.#reader = undefined;
      await reader.stop().catch(() => undefined);
      throw new SourceError(`could not start the reader of DLQ ${dlq.name}: ${(err as Error).message}`, {
        reason: reasonOf(err),
        cause: err,
        context: { dlq: dlq.name, group: dlqReaderGroupId(dlq) },
      });
    }
  }

  #onDeadLetter(d: DeadLetter): void {
    const source = this.#sources.label(d.source);
    if (d.source !== 'unknown') this.#sourceTopics.add(source);
    const labels = { ...this.#dlqLabel, source, reason: this.#reasons.label(d.reason) };
    this.#opts.deps.metrics.dlq.inflow.inc(labels, 1);
    this.#inflowSinceCycle.set(source, (this.#inflowSinceCycle.get(source) ?? 0) + 1);
  }

  /**
   * Seconds since the oldest unhandled record was dead-lettered, over the partitions with
   * depth > 0 that this reader reads; 0 when none of them holds anything unhandled; undefined
   * while the reader has not joined or not read an unhandled range yet (never a made-up value).
   * Alone, the reader reads every partition. Replicas sharing the group each publish the age
   * over their own partitions, and the oldest is the maximum over replicas (as the dashboards
   * take it; the age alert fires on any replica's series).
   */
  #oldestAge(depths: readonly PartitionDepth[]): Seconds | undefined {
    const now = this.#opts.deps.clock();
    const reader = this.#reader;
    let oldest = Infinity;
    for (const d of depths) {
      if (d.depth === 0) continue;
      const k = partitionKey(d.topic, d.partition);
      if (reader?.assigned === undefined) return undefined;
      if (!reader.assigned.has(k)) continue;
      const t = reader.indexes.get(k)?.timeAt(d.mark);
      if (t === undefined) return undefined;
      oldest = Math.min(oldest, t);
    }
    if (oldest === Infinity) return 0;
    return Math.max(0, (now - oldest) / 1000);
  }

  /** Depths read in the last cycle (for status and tests). */
  get depths(): readonly PartitionDepth[] {
    return this.#lastDepths;
  }
}

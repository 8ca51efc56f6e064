import type { Kafka, KafkaMessage } from 'kafkajs';
import type { ClusterConfig } from '../../config/schema/kafka.js';
import type { StreamConfig } from '../../config/schema/streams.js';
import { SampledLog } from '../../core/events/sampled-log.js';
import { StreamProcessor, type StreamCounts, type StreamProcessorOptions } from '../../core/events/stream-processor.js';
import * as time from '../../core/events/timestamp.js';
import type { RawRecord } from '../../core/events/field-ref.js';
import type { Seconds } from '../../core/units.js';
import type { HistogramSeries } from '../../metrics/series-histogram.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import { SourceError, reasonOf } from '../source-error.js';
import type { SourceDeps } from '../deps.js';
import { TailConsumer } from './tail-consumer.js';
import { initStreamCounters, publishProcessorGauges, publishStreamCounts } from './publish-counts.js';

export interface StreamSourceOptions {
  stream: StreamConfig;
  cluster: ClusterConfig;
  kafka: Kafka;
  deps: SourceDeps;
  /** Seconds between cycles; default the cluster's interval. */
  interval?: Seconds;
}

/** The consumer group a stream is tailed by: its own unless configured. */
export function tailGroupId(stream: StreamConfig): string {
  return stream.groupId ?? `cqrs-slo-tail.${stream.name}`;
}

// Used per record, as a module constant: a module runner (vite-node, which runs the benchmarks
// and tests) turns every use of an imported name into a getter call.
const millisFromText = time.millisFromText;

/** The core's options for a configured stream. */
export function processorOptions(stream: StreamConfig): StreamProcessorOptions {
  return {
    eventId: stream.eventId,
    aggregateId: stream.aggregateId,
    version: stream.version,
    occurredAt: stream.occurredAt,
    maxMessageBytes: stream.maxMessageBytes,
    jsonCheck: stream.jsonCheck,
    dedupe: { maxIds: stream.dedupe.maxIds, windowMs: stream.dedupe.window * 1000 },
    maxAggregates: stream.maxAggregates,
  };
}

/** A kafkajs message as the core's record (written into one reused object: nothing allocated per record). */
function toRecord(msg: KafkaMessage, rec: RawRecord): void {
  rec.key = msg.key;
  rec.value = msg.value;
  rec.headers = msg.headers as RawRecord['headers'];
  rec.timestamp = millisFromText(msg.timestamp);
}

/**
 * Tails one stream. Consuming runs continuously in the background (a kafkajs consumer in the
 * monitor's own group); each batch updates the event counters at once, so counts are as fresh
 * as the consumer. `collect()` starts the consumer on the first cycle, restarts it after a
 * fatal crash, publishes the window gauges, feeds the SLI board and surfaces failures.
 */
export class StreamSource implements Source {
  readonly name: string;
  readonly interval: Seconds;
  readonly timeout: Seconds;
  readonly #opts: StreamSourceOptions;
  readonly #processor: StreamProcessor;
  readonly #tail: TailConsumer;
  readonly #badLog = new SampledLog(60_000);
  readonly #labels: { stream: string };
  /** The publish-delay histogram's series of this stream (observed once per event). */
  readonly #delays: HistogramSeries;
  #evictionsPublished = 0;
  #redeliveredPublished = 0;
  #deliveredAtLastCycle = 0;

  constructor(opts: StreamSourceOptions) {
    const { stream, cluster, kafka, deps } = opts;
    this.#opts = opts;
    this.name = `stream:${stream.name}`;
    this.interval = opts.interval ?? stream.interval ?? cluster.interval;
    // Starting the consumer (group join, offset init) can take a few seconds.
    this.timeout = Math.max(cluster.timeout ?? this.interval, 30);
    this.#labels = { stream: stream.name };
    this.#delays = deps.metrics.events.publishDelay.series(this.#labels);
    this.#processor = new StreamProcessor(processorOptions(stream));
    this.#tail = new TailConsumer({
      kafka,
      groupId: tailGroupId(stream),
      topics: stream.topics,
      startFrom: stream.startFrom,
      logger: deps.logger.child({ source: this.name }),
      onRecords: (topic, partition, messages) => this.#onRecords(topic, partition, messages),
    });
    initStreamCounters(deps, stream.name, ['redelivered']);
  }

  /** The underlying consumer, for tests and status. */
  get tail(): TailConsumer {
    return this.#tail;
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    if (this.#tail.failure) {
      const err = this.#tail.failure;
      await this.#tail.stop().catch(() => undefined);
      throw new SourceError(`tail consumer of stream ${this.#labels.stream} stopped: ${err.message}`, {
        reason: reasonOf(err),
        cause: err,
        context: { stream: this.#labels.stream, group: tailGroupId(this.#opts.stream) },
      });
    }
    if (!this.#tail.running) {
      try {
        await ctx.span('tail.start', () => this.#tail.start(), { stream: this.#labels.stream });
      } catch (err) {
        await this.#tail.stop().catch(() => undefined);
        throw new SourceError(`could not start the tail of stream ${this.#labels.stream}: ${(err as Error).message}`, {
          reason: reasonOf(err),
          cause: err,
          context: { stream: this.#labels.stream },
        });
      }
    }
    const conflict = this.#tail.conflict;
    if (conflict) throw new SourceError(conflict, { reason: 'config', context: { stream: this.#labels.stream, group: tailGroupId(this.#opts.stream) } });
    const m = this.#opts.deps.metrics.events;
    const s = publishProcessorGauges(this.#opts.deps, this.#labels.stream, this.#processor);
    m.tailPartitions.set(this.#labels, this.#tail.assigned);
    const delivered = this.#tail.delivered - this.#deliveredAtLastCycle;
    this.#deliveredAtLastCycle = this.#tail.delivered;
    return { records: delivered, dedupeIds: s.ids, aggregates: s.aggregates, partitions: this.#tail.assigned, redelivered: this.#tail.redelivered };
  }

  /** Removes the gauges (a gauge left behind would be a made-up current value); counters and the publish-delay histogram are history and stay. */
  clear(): void {
    const m = this.#opts.deps.metrics.events;
    for (const g of [m.aggregates, m.dedupeIds, m.dedupeFill, m.dedupeBytes, m.dedupeSpan, m.tailPartitions]) g.remove(this.#labels);
  }

  async close(): Promise<void> {
    await this.#tail.stop();
  }

  #onRecords(topic: string, partition: number, messages: readonly KafkaMessage[]): void {
    this.#processor.processBatch(messages, toRecord, (i, reason) => this.#logBad(reason, topic, partition, messages[i]!.offset));
    this.#publish(this.#processor.take());
  }

  /** Adds one batch's counts to the counters and to the SLI board. */
  #publish(c: StreamCounts): void {
    const m = this.#opts.deps.metrics.events;
    const l = this.#labels;
    publishStreamCounts(this.#opts.deps, this.name, l.stream, this.#delays, c);
    const ev = this.#processor.aggregates.evictions;
    if (ev > this.#evictionsPublished) m.aggregateEvictions.inc(l, ev - this.#evictionsPublished);
    this.#evictionsPublished = ev;
    const rd = this.#tail.redelivered;
    if (rd > this.#redeliveredPublished) m.redelivered.inc(l, rd - this.#redeliveredPublished);
    this.#redeliveredPublished = rd;
  }

  #logBad(reason: string, topic: string, partition: number, offset: string): void {
    const suppressed = this.#badLog.admit(reason, this.#opts.deps.clock());
    if (suppressed === undefined) return;
    this.#opts.deps.logger.warn(
      { source: this.name, stream: this.#labels.stream, reason, topic, partition, offset, suppressedSinceLast: suppressed },
      'skipped an unparseable event (one line per reason per minute)',
    );
  }
}

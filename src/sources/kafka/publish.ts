import type { Metrics } from '../../metrics/create-metrics.js';
import { GROUP_STATUSES } from '../../core/kafka/status.js';
import type { GroupInfo, PartitionWatermarks } from './client.js';
import type { LagAggregate } from '../../core/kafka/aggregate.js';
import { partitionKey } from '../../core/kafka/types.js';
import type { GroupEvaluation, PartitionRow } from './group-evaluation.js';
import type { SeriesBook } from './series-book.js';

export type Granularity = 'partition' | 'topic' | 'group';

export interface PublishInput {
  readonly cluster: string;
  readonly granularity: Granularity;
  readonly maxSeries: number;
  readonly groups: readonly { evaluation: GroupEvaluation; info: GroupInfo | undefined }[];
  /** Watermarks of the partitions the watched groups consume. */
  readonly watermarks: readonly PartitionWatermarks[];
  /**
   * Publish every watermark given, not only those of topics with a published row: the sharding
   * topic publisher's groups do not consume every topic it publishes (docs/kafka.md).
   */
  readonly allWatermarks?: boolean;
  /** Aborted when the cycle timed out: stop writing (the scheduler clears the series). */
  readonly signal?: AbortSignal;
}

/** A group's topic rows: live ones, then retained ones of topics it no longer has. */
function* topicsOf(e: GroupEvaluation): Generator<[string, LagAggregate]> {
  yield* e.byTopic;
  for (const [topic, a] of e.retainedByTopic) if (!e.byTopic.has(topic)) yield [topic, a];
}

/** A group's partition rows: live, then retained. */
function* rowsOf(e: GroupEvaluation): Generator<PartitionRow> {
  yield* e.rows;
  yield* e.retained;
}

/** Rows (group, topic or partition) written between two yields to the event loop. */
const YIELD_EVERY = 500;

/** Series a partition row costs at `partition` granularity: committed offset, lag messages, lag seconds. */
const PARTITION_ROW_SERIES = 3;
/** High and low watermark of a partition, published with its first partition row. */
const WATERMARK_SERIES = 2;
/** Per topic row: sum, max, seconds. */
const TOPIC_ROW_SERIES = 3;

/**
 * Writes one cycle's evaluations into the gauges. Group-level series always go out (their number
 * is bounded by the group filter); topic and partition rows are added most-lagging first while
 * the total stays within `maxSeries`; what does not fit is returned as `dropped` (series).
 */
export async function publish(m: Metrics['kafka'], book: SeriesBook, input: PublishInput): Promise<{ series: number; dropped: number }> {
  const { cluster } = input;
  let series = 0;
  /** `labels`: values, or a label text shared by gauges with the same label names. */
  const set = (g: Parameters<SeriesBook['set']>[0], labels: readonly string[] | string, v: number | undefined): void => {
    if (v === undefined || !Number.isFinite(v)) return;
    if (typeof labels === 'string') book.setText(g, labels, v);
    else book.set(g, labels, v);
    series++;
  };
  // Large clusters set 100k+ series: hand the event loop back regularly so that scrapes and
  // other sources are not held up (the budget: event-loop delay p99 under 50 ms).
  // (`if (due()) await pause()`: an `await` per row would cost a promise and a microtask each.)
  let sinceYield = 0;
  const due = (): boolean => {
    if (++sinceYield < YIELD_EVERY) return false;
    sinceYield = 0;
    return true;
  };
  const pause = async (): Promise<void> => {
    await new Promise<void>((r) => setImmediate(r));
    input.signal?.throwIfAborted();
  };

  for (const { evaluation: e, info } of input.groups) {
    if (due()) await pause();
    const gl = m.members.labelText([cluster, e.groupId]);
    for (const s of GROUP_STATUSES) set(m.status, [cluster, e.groupId, s], s === e.status ? 1 : 0);
    if (info) {
      set(m.members, gl, info.members);
      set(m.groupInfo, [cluster, e.groupId, info.protocol, info.state ?? 'unknown'], 1);
    }
    if (!e.readable) continue;
    set(m.commitAge, gl, e.commitAge);
    if (e.total) {
      set(m.groupLagMessages, gl, e.total.sum);
      set(m.groupMaxLagMessages, gl, e.total.max);
      set(m.groupLagSeconds, gl, e.total.seconds);
    }
    let uncommitted = 0;
    for (const r of e.rows) if (r.lag.uncommitted) uncommitted++;
    set(m.uncommitted, gl, uncommitted);
    if (e.rates) {
      set(m.consumeRate, gl, e.rates.consume);
      set(m.produceRate, gl, e.rates.produce);
    }
    set(m.drainSeconds, gl, e.drain);
    set(m.breachSeconds, gl, e.breach);
  }

  const writeTopic = (group: string, topic: string, a: LagAggregate): void => {
    const tl = m.topicLagMessages.labelText([cluster, group, topic]);
    set(m.topicLagMessages, tl, a.sum);
    set(m.topicMaxLagMessages, tl, a.max);
    set(m.topicLagSeconds, tl, a.seconds);
  };
  const writePartition = (group: string, r: PartitionRow): void => {
    const pl = m.lagMessages.labelText([cluster, group, r.topic, String(r.partition)]);
    // A -1/-2 sentinel is not an offset: no committed-offset series (its lag still counts).
    set(m.committedOffset, pl, r.lag.kind === 'offset' ? r.committed : undefined);
    set(m.lagMessages, pl, r.lag.lag);
    set(m.lagSeconds, pl, r.time.seconds);
  };
  const writeWatermarks = (w: PartitionWatermarks): void => {
    const wl = m.highWatermark.labelText([cluster, w.topic, String(w.partition)]);
    set(m.highWatermark, wl, w.high);
    set(m.lowWatermark, wl, w.low);
  };

  let dropped = 0;
  const topicLevel = input.granularity !== 'group';
  const partitionLevel = input.granularity === 'partition';
  // What the topic and partition rows would cost in all. Under the cap (the usual case) they are
  // written as they come; only past it are they ranked, most lagging first, to choose the drops.
  let topicRowCount = 0;
  let partitionRowCount = 0;
  const rowTopics = new Set<string>();
  for (const { evaluation: e } of input.groups) {
    topicRowCount += e.byTopic.size + e.retainedByTopic.size;
    partitionRowCount += e.rows.length + e.retained.length;
    if (partitionLevel) {
      for (const t of e.byTopic.keys()) rowTopics.add(t);
      for (const t of e.retainedByTopic.keys()) rowTopics.add(t);
    }
  }
  let watermarkCount = 0;
  const wanted = (w: PartitionWatermarks): boolean => input.allWatermarks === true || rowTopics.has(w.topic);
  if (partitionLevel) for (const w of input.watermarks) if (wanted(w)) watermarkCount++;
  const needed = (topicLevel ? topicRowCount * TOPIC_ROW_SERIES : 0) + (partitionLevel ? partitionRowCount * PARTITION_ROW_SERIES + watermarkCount * WATERMARK_SERIES : 0);

  if (series + needed <= input.maxSeries) {
    for (const { evaluation: e } of input.groups) {
      if (topicLevel) {
        for (const [topic, a] of topicsOf(e)) {
          if (due()) await pause();
          writeTopic(e.groupId, topic, a);
        }
      }
      if (partitionLevel) {
        for (const r of rowsOf(e)) {
          if (due()) await pause();
          writePartition(e.groupId, r);
        }
      }
    }
    if (partitionLevel) {
      for (const w of input.watermarks) {
        if (!wanted(w)) continue;
        if (due()) await pause();
        writeWatermarks(w);
      }
    }
    return { series, dropped };
  }

  if (topicLevel) {
    const topicRows = input.groups.flatMap(({ evaluation: e }) => [...topicsOf(e)].map(([topic, a]) => ({ group: e.groupId, topic, a })));
    topicRows.sort((x, y) => y.a.sum - x.a.sum);
    for (const r of topicRows) {
      if (due()) await pause();
      if (series + TOPIC_ROW_SERIES > input.maxSeries) {
        dropped += TOPIC_ROW_SERIES;
        continue;
      }
      writeTopic(r.group, r.topic, r.a);
    }
  }

  if (partitionLevel) {
    const rows = input.groups.flatMap(({ evaluation: e }) => [...rowsOf(e)].map((r) => ({ group: e.groupId, r })));
    rows.sort((x, y) => y.r.lag.lag - x.r.lag.lag);
    const watermarks = new Map(input.watermarks.map((w) => [partitionKey(w.topic, w.partition), w]));
    const watermarksSet = new Set<string>();
    for (const { group, r } of rows) {
      if (due()) await pause();
      const wkey = partitionKey(r.topic, r.partition);
      const w = watermarksSet.has(wkey) ? undefined : watermarks.get(wkey);
      const cost = PARTITION_ROW_SERIES + (w ? WATERMARK_SERIES : 0);
      if (series + cost > input.maxSeries) {
        dropped += cost;
        continue;
      }
      writePartition(group, r);
      if (w) {
        watermarksSet.add(wkey);
        writeWatermarks(w);
      }
    }
    if (input.allWatermarks === true) {
      for (const w of input.watermarks) {
        if (watermarksSet.has(partitionKey(w.topic, w.partition))) continue;
        if (series + WATERMARK_SERIES > input.maxSeries) {
          dropped += WATERMARK_SERIES;
          continue;
        }
        writeWatermarks(w);
      }
    }
  }
  return { series, dropped };
}

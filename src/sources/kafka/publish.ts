import type { Metrics } from '../../metrics/create-metrics.js';
import { GROUP_STATUSES } from '../../core/kafka/status.js';
import type { GroupInfo, PartitionWatermarks } from './client.js';
import type { LabelCache } from './cluster-state.js';
import type { LagAggregate } from '../../core/kafka/aggregate.js';
import { partitionKey } from '../../core/kafka/types.js';
import type { GroupEvaluation, PartitionRows } from './group-evaluation.js';
import type { GroupPartitions } from './cluster-state.js';
import type { SeriesBook } from './series-book.js';
import type { TableGauge } from '../../metrics/table-gauge.js';

export type Granularity = 'partition' | 'topic' | 'group';

export interface PublishInput {
  readonly cluster: string;
  readonly granularity: Granularity;
  readonly maxSeries: number;
  readonly groups: readonly { evaluation: GroupEvaluation; info: GroupInfo | undefined }[];
  /** Watermarks of the partitions the watched groups consume (their label text is kept on them). */
  readonly watermarks: readonly (PartitionWatermarks & LabelCache)[];
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

/** A group's partition rows (live, then retained) as slots of its GroupPartitions. */
function rowSlots(e: GroupEvaluation): PartitionRows[] {
  return [e.rows, e.retained];
}

/** Rows (group, topic or partition) written between two yields to the event loop. */
const YIELD_EVERY = 500;

/** Series a partition row costs at `partition` granularity: committed offset, lag messages, lag seconds. */
export const PARTITION_ROW_SERIES = 3;
/** High and low watermark of a partition, published with its first partition row. */
export const WATERMARK_SERIES = 2;
/** Per topic row: sum, max, seconds. */
export const TOPIC_ROW_SERIES = 3;

/**
 * Writes series through a SeriesBook, counts them, and hands the event loop back every
 * YIELD_EVERY rows. Large clusters set 100k+ series: scrapes and other sources must not be held
 * up (issue budget: no single event-loop pause over 50 ms). `if (w.due()) await w.pause()` keeps
 * the hot loops free of an `await` per row (a promise and a microtask each).
 */
class SeriesWriter {
  series = 0;
  #sinceYield = 0;
  readonly #book: SeriesBook;
  readonly #signal: AbortSignal | undefined;

  constructor(book: SeriesBook, signal: AbortSignal | undefined) {
    this.#book = book;
    this.#signal = signal;
  }

  /** `labels`: values, or a label text shared by gauges with the same label names. Skips undefined and non-finite values. */
  set(g: TableGauge, labels: readonly string[] | string, v: number | undefined): void {
    if (v === undefined || !Number.isFinite(v)) return;
    if (typeof labels === 'string') this.#book.setText(g, labels, v);
    else this.#book.set(g, labels, v);
    this.series++;
  }

  due(): boolean {
    if (++this.#sinceYield < YIELD_EVERY) return false;
    this.#sinceYield = 0;
    return true;
  }

  async pause(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.#signal?.throwIfAborted();
  }
}

/** Group-level series of one group: status, members, info, and for a readable group its totals and forecasts. */
function writeGroup(m: Metrics['kafka'], w: SeriesWriter, cluster: string, e: GroupEvaluation, info: GroupInfo | undefined): void {
  const gl = m.members.labelText([cluster, e.groupId]);
  for (const s of GROUP_STATUSES) w.set(m.status, [cluster, e.groupId, s], s === e.status ? 1 : 0);
  if (info) {
    w.set(m.members, gl, info.members);
    w.set(m.groupInfo, [cluster, e.groupId, info.protocol, info.state ?? 'unknown'], 1);
  }
  if (!e.readable) return;
  w.set(m.commitAge, gl, e.commitAge);
  if (e.total) {
    w.set(m.groupLagMessages, gl, e.total.sum);
    w.set(m.groupMaxLagMessages, gl, e.total.max);
    w.set(m.groupLagSeconds, gl, e.total.seconds);
  }
  w.set(m.uncommitted, gl, e.uncommitted);
  if (e.rates) {
    w.set(m.consumeRate, gl, e.rates.consume);
    w.set(m.produceRate, gl, e.rates.produce);
  }
  w.set(m.drainSeconds, gl, e.drain);
  w.set(m.breachSeconds, gl, e.breach);
}

function writeTopic(m: Metrics['kafka'], w: SeriesWriter, cluster: string, group: string, topic: string, a: LagAggregate): void {
  const tl = m.topicLagMessages.labelText([cluster, group, topic]);
  w.set(m.topicLagMessages, tl, a.sum);
  w.set(m.topicMaxLagMessages, tl, a.max);
  w.set(m.topicLagSeconds, tl, a.seconds);
}

/** One partition row: the columns of `slot` (a committed offset of NaN, a -1/-2 sentinel or none, is not written). */
function writePartition(m: Metrics['kafka'], w: SeriesWriter, cluster: string, group: string, ps: GroupPartitions, slot: number): void {
  const pl = (ps.labelTexts[slot] ??= m.lagMessages.labelText([cluster, group, ps.topic(slot), String(ps.partition(slot))]));
  w.set(m.committedOffset, pl, ps.committed(slot));
  w.set(m.lagMessages, pl, ps.lag(slot));
  w.set(m.lagSeconds, pl, ps.seconds(slot));
}

function writeWatermarks(m: Metrics['kafka'], w: SeriesWriter, cluster: string, p: PartitionWatermarks & LabelCache): void {
  const wl = (p.labelText ??= m.highWatermark.labelText([cluster, p.topic, String(p.partition)]));
  w.set(m.highWatermark, wl, p.high);
  w.set(m.lowWatermark, wl, p.low);
}

/** What the topic and partition rows of a cycle would cost, and the topics whose watermarks go out. */
export interface RowBudget {
  readonly needed: number;
  /** Topics with partition rows (`partition` granularity only): their watermarks are published. */
  readonly rowTopics: ReadonlySet<string>;
}

/** Series the topic and partition rows would take in all at this granularity. */
export function rowBudget(input: Pick<PublishInput, 'granularity' | 'groups' | 'watermarks' | 'allWatermarks'>): RowBudget {
  const topicLevel = input.granularity !== 'group';
  const partitionLevel = input.granularity === 'partition';
  let topicRowCount = 0;
  let partitionRowCount = 0;
  const rowTopics = new Set<string>();
  for (const { evaluation: e } of input.groups) {
    topicRowCount += e.byTopic.size + e.retainedByTopic.size;
    partitionRowCount += e.rows.slots.length + e.retained.slots.length;
    if (partitionLevel) {
      for (const t of e.byTopic.keys()) rowTopics.add(t);
      for (const t of e.retainedByTopic.keys()) rowTopics.add(t);
    }
  }
  // With allWatermarks every watermark's topic counts as a row topic: its watermarks go out.
  if (partitionLevel && input.allWatermarks === true) for (const w of input.watermarks) rowTopics.add(w.topic);
  let watermarkCount = 0;
  if (partitionLevel) for (const w of input.watermarks) if (rowTopics.has(w.topic)) watermarkCount++;
  const needed =
    (topicLevel ? topicRowCount * TOPIC_ROW_SERIES : 0) + (partitionLevel ? partitionRowCount * PARTITION_ROW_SERIES + watermarkCount * WATERMARK_SERIES : 0);
  return { needed, rowTopics };
}

/** The topic and partition rows of one group, as they come (hot loop: one yield check per row). */
async function writeRowsOf(m: Metrics['kafka'], w: SeriesWriter, cluster: string, granularity: Granularity, e: GroupEvaluation): Promise<void> {
  if (granularity !== 'group') {
    for (const [topic, a] of topicsOf(e)) {
      if (w.due()) await w.pause();
      writeTopic(m, w, cluster, e.groupId, topic, a);
    }
  }
  if (granularity === 'partition') {
    for (const { partitions: ps, slots } of rowSlots(e)) {
      for (let i = 0; i < slots.length; i++) {
        if (w.due()) await w.pause();
        writePartition(m, w, cluster, e.groupId, ps, slots[i]!);
      }
    }
  }
}

/** The watermarks of the topics that have partition rows (`partition` granularity only). */
async function writeWatermarksOf(
  m: Metrics['kafka'],
  w: SeriesWriter,
  cluster: string,
  watermarks: PublishInput['watermarks'],
  rowTopics: ReadonlySet<string>,
): Promise<void> {
  for (const p of watermarks) {
    if (!rowTopics.has(p.topic)) continue;
    if (w.due()) await w.pause();
    writeWatermarks(m, w, cluster, p);
  }
}

/** Under the cap (the usual case): every row, as it comes, then the watermarks of the row topics. */
async function writeAllRows(m: Metrics['kafka'], w: SeriesWriter, input: PublishInput, rowTopics: ReadonlySet<string>): Promise<void> {
  for (const { evaluation: e } of input.groups) await writeRowsOf(m, w, input.cluster, input.granularity, e);
  if (input.granularity === 'partition') await writeWatermarksOf(m, w, input.cluster, input.watermarks, rowTopics);
}

/** Most group-level series one group can have (`writeGroup`): one per status, members, info, and ten for a readable group. */
export const GROUP_SERIES_MAX = GROUP_STATUSES.length + 12;

/**
 * Publishes a cycle group by group, as each group is evaluated, so that its rows die young: the
 * batch `publish` keeps every row of the cycle until the end, and at 200 x 50 partitions and 500
 * groups those 25 000 rows lived long enough to be promoted to the old generation, which then
 * needed full collections (docs/performance.md). Writes the same series as `publish` in the same
 * order per gauge, so only for a cycle known to fit under `maxSeries` (no ranking).
 */
export class GroupByGroupPublisher {
  readonly #m: Metrics['kafka'];
  readonly #w: SeriesWriter;
  readonly #cluster: string;
  readonly #granularity: Granularity;

  constructor(m: Metrics['kafka'], book: SeriesBook, opts: { cluster: string; granularity: Granularity; signal?: AbortSignal }) {
    this.#m = m;
    this.#w = new SeriesWriter(book, opts.signal);
    this.#cluster = opts.cluster;
    this.#granularity = opts.granularity;
  }

  /** Series written so far. */
  get series(): number {
    return this.#w.series;
  }

  /** A group's group-level series and rows. */
  async group(e: GroupEvaluation, info: GroupInfo | undefined): Promise<void> {
    if (this.#w.due()) await this.#w.pause();
    writeGroup(this.#m, this.#w, this.#cluster, e, info);
    await writeRowsOf(this.#m, this.#w, this.#cluster, this.#granularity, e);
  }

  /** After the last group: the watermarks of the topics with partition rows. */
  async watermarks(watermarks: PublishInput['watermarks'], rowTopics: ReadonlySet<string>): Promise<void> {
    if (this.#granularity === 'partition') await writeWatermarksOf(this.#m, this.#w, this.#cluster, watermarks, rowTopics);
  }
}

/** Past the cap: rows ranked most lagging first, written while they fit. Returns the series dropped. */
async function writeRankedRows(m: Metrics['kafka'], w: SeriesWriter, input: PublishInput): Promise<number> {
  const { cluster } = input;
  let dropped = 0;
  if (input.granularity !== 'group') {
    const topicRows = input.groups.flatMap(({ evaluation: e }) => [...topicsOf(e)].map(([topic, a]) => ({ group: e.groupId, topic, a })));
    topicRows.sort((x, y) => y.a.sum - x.a.sum);
    for (const r of topicRows) {
      if (w.due()) await w.pause();
      if (w.series + TOPIC_ROW_SERIES > input.maxSeries) {
        dropped += TOPIC_ROW_SERIES;
        continue;
      }
      writeTopic(m, w, cluster, r.group, r.topic, r.a);
    }
  }
  if (input.granularity === 'partition') {
    const rows: { group: string; ps: GroupPartitions; slot: number; lag: number }[] = [];
    for (const { evaluation: e } of input.groups)
      for (const { partitions: ps, slots } of rowSlots(e)) for (const slot of slots) rows.push({ group: e.groupId, ps, slot, lag: ps.lag(slot) });
    rows.sort((x, y) => y.lag - x.lag);
    const watermarks = new Map(input.watermarks.map((p) => [partitionKey(p.topic, p.partition), p]));
    const watermarksSet = new Set<string>();
    for (const { group, ps, slot } of rows) {
      if (w.due()) await w.pause();
      const wkey = partitionKey(ps.topic(slot), ps.partition(slot));
      const p = watermarksSet.has(wkey) ? undefined : watermarks.get(wkey);
      const cost = PARTITION_ROW_SERIES + (p ? WATERMARK_SERIES : 0);
      if (w.series + cost > input.maxSeries) {
        dropped += cost;
        continue;
      }
      writePartition(m, w, cluster, group, ps, slot);
      if (p) {
        watermarksSet.add(wkey);
        writeWatermarks(m, w, cluster, p);
      }
    }
    if (input.allWatermarks === true) {
      for (const p of input.watermarks) {
        if (watermarksSet.has(partitionKey(p.topic, p.partition))) continue;
        if (w.series + WATERMARK_SERIES > input.maxSeries) {
          dropped += WATERMARK_SERIES;
          continue;
        }
        if (w.due()) await w.pause();
        writeWatermarks(m, w, cluster, p);
      }
    }
  }
  return dropped;
}

/**
 * Writes one cycle's evaluations into the gauges. Group-level series always go out (their number
 * is bounded by the group filter); topic and partition rows are added most-lagging first while
 * the total stays within `maxSeries`; what does not fit is returned as `dropped` (series).
 */
export async function publish(m: Metrics['kafka'], book: SeriesBook, input: PublishInput): Promise<{ series: number; dropped: number }> {
  const w = new SeriesWriter(book, input.signal);
  for (const { evaluation: e, info } of input.groups) {
    if (w.due()) await w.pause();
    writeGroup(m, w, input.cluster, e, info);
  }
  const { needed, rowTopics } = rowBudget(input);
  if (w.series + needed <= input.maxSeries) {
    await writeAllRows(m, w, input, rowTopics);
    return { series: w.series, dropped: 0 };
  }
  const dropped = await writeRankedRows(m, w, input);
  return { series: w.series, dropped };
}

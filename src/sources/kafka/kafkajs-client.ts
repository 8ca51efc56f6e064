import type { Logger } from 'pino';
import { logLevel as KafkajsLogLevel } from 'kafkajs';
import { CONSUMER_GROUP_DESCRIBE_KEY, CONSUMER_GROUP_DESCRIBE_VERSION, consumerGroupDescribeRequest } from './consumer-group-describe.js';
import type {
  CommittedOffset,
  GroupCommits,
  GroupInfo,
  GroupListing,
  KafkaClient,
  PartitionWatermarks,
  RecordRef,
  RecordTimestamp,
  WatermarkResult,
} from './client.js';
import { brokerSpeaks, internals, sendOwn, stopIdleRequestLoop, type InternalBroker, type InternalCluster } from './kafkajs-internals.js';
import type { KafkajsConnection } from './kafkajs-options.js';
import { indexLeaders, type LeaderGroups } from './leader-index.js';
import { missingTopicError } from './kafka-errors.js';
import { findCoordinatorRequest, supportsBatchedFindCoordinator } from './find-coordinator.js';
import { LIST_OFFSETS_KEY, LIST_OFFSETS_VERSION, listOffsetsRequest, type ListOffsetsColumns } from './list-offsets.js';
import { commitColumns } from './kept-commits.js';
import { mapLimit } from './map-limit.js';
import { mergeWatermarks } from './watermark-merge.js';
import { leadersOf, METADATA_KEY, METADATA_VERSION, metadataRequest, sameBrokers, unaskedTopics, type ClusterMetadata } from './metadata.js';
import { readCommitted } from '../../core/kafka/commit-sentinel.js';
import { OFFSET_FETCH_BATCH_VERSION, OFFSET_FETCH_KEY, offsetFetchRequest } from './offset-fetch.js';

export interface KafkajsClientOptions {
  readonly connection: KafkajsConnection;
  readonly logger: Logger;
  /** Concurrent requests the client keeps in flight per call. */
  readonly concurrency: number;
  /** Topics per ListOffsets request: bounds request size and isolates a failing chunk. */
  readonly topicsPerRequest?: number;
  /** Byte budget per partition for a timestamp read (the broker returns whole batches). */
  readonly readBytesPerPartition?: number;
}

const LATEST = -1;
const EARLIEST = -2;
const READ_UNCOMMITTED = 0;
/** Groups per OffsetFetch v8 request: ~50 partitions each keeps a response near 100 KB. */
const GROUPS_PER_OFFSET_FETCH = 100;
/** Groups per FindCoordinator v4 request: bounds its size (about 35 bytes a group in the answer) and what one failure sends to the one-by-one lookup. */
const GROUPS_PER_FIND_COORDINATOR = 1000;

/** A Kafka error code as kafkajs names it (NOT_COORDINATOR, ...), with what failed. */
function protocolError(code: number, what: string): Error {
  const e = internals.createErrorFromCode(code);
  return Object.assign(new Error(`${what}: ${e.type ?? `error code ${code}`}: ${e.message}`, { cause: e }), { type: e.type, code: e.code ?? code });
}

/**
 * kafkajs log entries go to pino at debug, errors included: kafkajs logs every failed connection
 * attempt, while the scheduler already logs a failing source once per change of state.
 */
function logCreator(logger: Logger) {
  return () =>
    ({ level, log }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...rest } = log;
      logger.debug({ kafkajs: rest, level }, message);
    };
}

/**
 * KafkaClient on kafkajs 2.x. One kafkajs cluster object (one connection per broker) serves
 * every call; requests are built per broker, coordinator or topic chunk, never per partition.
 */
export class KafkajsClient implements KafkaClient {
  readonly #cluster: InternalCluster;
  readonly #opts: Required<Omit<KafkajsClientOptions, 'logger' | 'connection'>>;
  readonly #logger: Logger;
  /** Group coordinators, looked up once and reused until a request to one fails. */
  readonly #coordinators = new Map<string, InternalBroker>();
  #requests = 0;
  #connected = false;
  /** Partition leaders of the topics of the last fetchWatermarks (readTimestamps routes by them). */
  #leaders = new Map<string, LeaderGroups>();
  /** The topics the last fetchWatermarks read: listGroups asks their metadata with the brokers'. */
  #consumed: readonly string[] = [];
  /** That answer, for the next fetchWatermarks only (one Metadata per cycle instead of two). */
  #early: ClusterMetadata | undefined;

  constructor(opts: KafkajsClientOptions) {
    stopIdleRequestLoop();
    this.#logger = opts.logger;
    this.#opts = {
      concurrency: opts.concurrency,
      topicsPerRequest: opts.topicsPerRequest ?? 100,
      readBytesPerPartition: opts.readBytesPerPartition ?? 64 * 1024,
    };
    const emitter = new internals.InstrumentationEventEmitter();
    emitter.addListener(internals.NETWORK_REQUEST, () => {
      this.#requests++;
    });
    const c = opts.connection;
    this.#cluster = new internals.Cluster({
      logger: internals.createLogger({ level: KafkajsLogLevel.WARN, logCreator: logCreator(opts.logger) }),
      // One quick retry: the scheduler runs the next cycle soon anyway, and a broker that is down
      // must fail the cycle within its timeout.
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1000 },
      offsets: new Map(),
      socketFactory: internals.defaultSocketFactory(),
      brokers: c.brokers,
      ssl: c.ssl,
      sasl: c.sasl,
      clientId: c.clientId,
      connectionTimeout: c.connectionTimeout,
      requestTimeout: c.requestTimeout,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      instrumentationEmitter: emitter,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      // ListOffsets must return the high watermark, not the last stable offset.
      isolationLevel: READ_UNCOMMITTED,
    });
  }

  requestCount(): number {
    return this.#requests;
  }

  async #ready(): Promise<void> {
    if (!this.#connected || !this.#cluster.isConnected()) {
      await this.#cluster.connect();
      this.#connected = true;
    }
  }

  /**
   * The brokers, from a Metadata request that also asks for the topics the last fetchWatermarks
   * read: their leaders as the cycle starts, kept for the next fetchWatermarks, which then asks
   * again only for topics new since (a cycle's second Metadata was the same answer).
   */
  async #brokers(): Promise<InternalBroker[]> {
    await this.#ready();
    this.#early = undefined;
    const md = await this.#metadata(this.#consumed);
    if (this.#consumed.length > 0) this.#early = md;
    return Promise.all(Object.keys(this.#cluster.brokerPool.brokers).map((nodeId) => this.#cluster.findBroker({ nodeId })));
  }

  /** kafkajs's Metadata of every topic of the cluster, which also updates its broker pool. */
  async #refreshKafkajs(): Promise<void> {
    this.#cluster.targetTopics = new Set();
    await this.#cluster.refreshMetadata();
  }

  /**
   * Metadata of `topics` (none: the brokers only) through metadata.ts, keeping kafkajs's broker
   * pool right: kafkajs reads the whole cluster's metadata again only when the brokers differ
   * from its pool (a broker joined, left or moved). Undefined when kafkajs's own full Metadata
   * was read instead (no v6 on the broker, or the request failed): its cache is then current.
   */
  async #metadata(topics: readonly string[]): Promise<ClusterMetadata | undefined> {
    const pool = this.#cluster.brokerPool;
    if (pool.metadata === null) {
      await this.#refreshKafkajs();
      if (topics.length === 0) return undefined;
    }
    let md: ClusterMetadata;
    try {
      const broker = await pool.findConnectedBroker();
      if (!brokerSpeaks(broker.versions, METADATA_KEY, METADATA_VERSION)) {
        await this.#refreshKafkajs();
        return undefined;
      }
      md = await sendOwn(broker, metadataRequest(topics));
    } catch (err) {
      // kafkajs's refresh looks for another broker to ask and retries; its failure is the cycle's.
      this.#logger.debug({ err }, 'metadata request failed; reading it through kafkajs');
      await this.#refreshKafkajs();
      return undefined;
    }
    if (!sameBrokers(md.brokers, pool.brokers)) await this.#refreshKafkajs();
    return md;
  }

  async listGroups(): Promise<GroupListing[]> {
    const brokers = await this.#brokers();
    const lists = await mapLimit(brokers, this.#opts.concurrency, (b) => b.listGroups());
    const seen = new Map<string, GroupListing>();
    for (const l of lists) for (const g of l.groups) seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType });
    return [...seen.values()];
  }

  async #coordinator(groupId: string): Promise<InternalBroker> {
    let b = this.#coordinators.get(groupId);
    if (!b) {
      b = await this.#cluster.findGroupCoordinator({ groupId });
      this.#coordinators.set(groupId, b);
    }
    return b;
  }

  /**
   * The groups by coordinator: known ones from the cache, the others looked up in batches
   * (FindCoordinator v4) where the brokers speak it, else, and for groups a batch could not
   * place, one by one through kafkajs (which retries COORDINATOR_LOAD_IN_PROGRESS and the like).
   * A group whose coordinator cannot be found is set to its Error in `failed`.
   */
  async #byCoordinator(groupIds: readonly string[], failed: Map<string, Error>): Promise<Map<InternalBroker, string[]>> {
    const byCoordinator = new Map<InternalBroker, string[]>();
    const missing: string[] = [];
    for (const g of groupIds) {
      const b = this.#coordinators.get(g);
      if (b) pushTo(byCoordinator, b, g);
      else missing.push(g);
    }
    const left = missing.length > 1 ? await this.#findCoordinators(missing) : missing;
    for (const g of missing) {
      const b = this.#coordinators.get(g);
      if (b) pushTo(byCoordinator, b, g);
    }
    await mapLimit(left, this.#opts.concurrency, async (g) => {
      try {
        pushTo(byCoordinator, await this.#coordinator(g), g);
      } catch (err) {
        failed.set(g, err as Error);
      }
    });
    return byCoordinator;
  }

  /**
   * FindCoordinator v4 (find-coordinator.ts), GROUPS_PER_FIND_COORDINATOR groups a request,
   * spread over the known brokers; caches what it finds. Returns the groups left unplaced: all
   * of them when the brokers are older than Kafka 3.0 or no metadata is loaded yet.
   */
  async #findCoordinators(groupIds: readonly string[]): Promise<string[]> {
    const pool = this.#cluster.brokerPool.brokers;
    const nodeIds = Object.keys(pool);
    if (nodeIds.length === 0 || !supportsBatchedFindCoordinator(pool[nodeIds[0]!]?.versions)) return [...groupIds];
    const chunks: string[][] = [];
    for (let i = 0; i < groupIds.length; i += GROUPS_PER_FIND_COORDINATOR) chunks.push(groupIds.slice(i, i + GROUPS_PER_FIND_COORDINATOR));
    // One lookup per node id, shared by every answer naming it.
    const brokers = new Map<number, Promise<InternalBroker>>();
    const brokerOf = (nodeId: number): Promise<InternalBroker> => {
      let b = brokers.get(nodeId);
      if (!b) brokers.set(nodeId, (b = this.#cluster.findBroker({ nodeId })));
      return b;
    };
    const left: string[] = [];
    await mapLimit(
      chunks.map((chunk, i) => ({ chunk, nodeId: Number(nodeIds[i % nodeIds.length]) })),
      this.#opts.concurrency,
      async ({ chunk, nodeId }) => {
        try {
          const broker = await brokerOf(nodeId);
          if (!supportsBatchedFindCoordinator(broker.versions)) {
            for (const g of chunk) left.push(g);
            return;
          }
          const answers = await sendOwn(broker, findCoordinatorRequest(chunk));
          for (const a of answers) if (a.errorCode === 0 && 'nodeId' in a) this.#coordinators.set(a.key, await brokerOf(a.nodeId));
        } catch (err) {
          this.#logger.debug({ err, groups: chunk.length }, 'batched FindCoordinator failed; looking the groups up one by one');
        }
        for (const g of chunk) if (!this.#coordinators.has(g)) left.push(g);
      },
    );
    return left;
  }

  async describeGroups(groupIds: readonly string[]): Promise<Map<string, GroupInfo | Error>> {
    await this.#ready();
    const failed = new Map<string, Error>();
    const byCoordinator = await this.#byCoordinator(groupIds, failed);
    const out = new Map<string, GroupInfo | Error>(failed);
    await mapLimit([...byCoordinator], this.#opts.concurrency, async ([broker, ids]) => {
      try {
        const { groups } = await broker.describeGroups({ groupIds: ids });
        const kip848: string[] = [];
        for (const g of groups) {
          // A KIP-848 group answers the classic DescribeGroups as `Dead` without members (or with
          // an error on some versions): ask ConsumerGroupDescribe instead.
          if ((g.state === 'Dead' && g.members.length === 0) || g.errorCode !== 0) kip848.push(g.groupId);
          else out.set(g.groupId, { state: g.state, members: g.members.length, protocol: 'classic' });
        }
        if (kip848.length > 0) {
          for (const [id, info] of await this.#describeConsumerGroups(broker, kip848)) out.set(id, info);
        }
      } catch (err) {
        for (const id of ids) {
          out.set(id, err as Error);
          this.#coordinators.delete(id);
        }
      }
    });
    return out;
  }

  async #describeConsumerGroups(broker: InternalBroker, ids: string[]): Promise<Map<string, GroupInfo>> {
    const out = new Map<string, GroupInfo>();
    if (!brokerSpeaks(broker.versions, CONSUMER_GROUP_DESCRIBE_KEY, CONSUMER_GROUP_DESCRIBE_VERSION)) {
      // Kafka < 3.7 (or the new protocol disabled): the classic answer is all there is.
      for (const id of ids) out.set(id, { state: 'Dead', members: 0, protocol: 'classic' });
      return out;
    }
    // Counted like every request: kafkajs emits its network event for raw sends too.
    const groups = await sendOwn(broker, consumerGroupDescribeRequest(ids));
    for (const g of groups) {
      // GROUP_ID_NOT_FOUND (69): not a consumer-protocol group, so the classic `Dead` stands.
      if (g.errorCode === 69) out.set(g.groupId, { state: 'Dead', members: 0, protocol: 'classic' });
      else if (g.errorCode === 0) out.set(g.groupId, { state: g.state, members: g.members, protocol: 'consumer' });
      else out.set(g.groupId, { state: undefined, members: undefined, protocol: 'unknown' });
    }
    return out;
  }

  async fetchCommittedOffsets(groupIds: readonly string[]): Promise<Map<string, GroupCommits | Error>> {
    await this.#ready();
    const failed = new Map<string, Error>();
    const byCoordinator = await this.#byCoordinator(groupIds, failed);
    const out = new Map<string, GroupCommits | Error>(failed);
    // Many groups per request where the coordinator speaks OffsetFetch v8 (Kafka 3.0+), else
    // kafkajs's one group per request.
    const jobs: { broker: InternalBroker; ids: string[]; batch: boolean }[] = [];
    for (const [broker, ids] of byCoordinator) {
      const batch = brokerSpeaks(broker.versions, OFFSET_FETCH_KEY, OFFSET_FETCH_BATCH_VERSION);
      const size = batch ? GROUPS_PER_OFFSET_FETCH : 1;
      for (let i = 0; i < ids.length; i += size) jobs.push({ broker, ids: ids.slice(i, i + size), batch });
    }
    // Each job's answers apart, merged in job order: answers decoded in time slices finish in
    // any order, and the order of the groups decides the order of the topics (and of their
    // series) downstream.
    const answers = jobs.map(() => new Map<string, GroupCommits | Error>());
    await mapLimit(jobs, this.#opts.concurrency, async ({ broker, ids, batch }, i) => {
      const mine = answers[i]!;
      try {
        if (!batch) {
          mine.set(ids[0]!, await this.#fetchOneGroup(broker, ids[0]!));
          return;
        }
        const groups = await sendOwn(broker, offsetFetchRequest(ids));
        for (const g of groups) {
          if (g.errorCode === 0 && 'commits' in g) mine.set(g.groupId, g.commits);
          else {
            mine.set(g.groupId, protocolError(g.errorCode, `OffsetFetch of group ${g.groupId}`));
            this.#coordinators.delete(g.groupId);
          }
        }
        for (const id of ids) if (!mine.has(id)) mine.set(id, new Error(`OffsetFetch: no answer for group ${id}`));
      } catch (err) {
        for (const id of ids) {
          mine.set(id, err as Error);
          // The coordinator may have moved (NOT_COORDINATOR) or died: look it up again next time.
          this.#coordinators.delete(id);
        }
      }
    });
    for (const mine of answers) for (const [id, c] of mine) out.set(id, c);
    return out;
  }

  async #fetchOneGroup(broker: InternalBroker, groupId: string): Promise<GroupCommits> {
    const { responses } = await broker.offsetFetch({ groupId, topics: [] });
    const out: CommittedOffset[] = [];
    for (const t of responses) {
      for (const p of t.partitions) {
        const o = Number(p.offset);
        out.push({ topic: t.topic, partition: p.partition, offset: readCommitted(o) });
      }
    }
    return commitColumns(out);
  }

  async fetchWatermarks(topics: readonly string[]): Promise<WatermarkResult> {
    await this.#ready();
    const wanted = [...new Set(topics)];
    const failed = new Map<string, Error>();
    const leaders = await this.#leadersOf(wanted);
    this.#leaders = leaders;
    this.#consumed = wanted;
    const present: string[] = [];
    for (const t of wanted) {
      const l = leaders.get(t);
      // A topic without leaders fails alone, not the chunk of topics it would be asked with.
      if (l === undefined) failed.set(t, missingTopicError(t));
      else if (l instanceof Error) failed.set(t, l);
      else present.push(t);
    }
    const chunks: string[][] = [];
    for (let i = 0; i < present.length; i += this.#opts.topicsPerRequest) chunks.push(present.slice(i, i + this.#opts.topicsPerRequest));
    const partitions: PartitionWatermarks[] = [];
    await mapLimit(chunks, this.#opts.concurrency, async (chunk) => {
      try {
        const [high, low] = await Promise.all([this.#listOffsets(chunk, leaders, LATEST), this.#listOffsets(chunk, leaders, EARLIEST)]);
        // Per topic, then partition: a `topic\0partition` key per partition (made, hashed, split
        // again) was a tenth of a cycle's CPU at 50 000 partitions.
        mergeWatermarks(high, low, partitions);
      } catch (err) {
        for (const t of chunk) failed.set(t, err as Error);
      }
    });
    return { partitions, failed };
  }

  /**
   * Partition leaders of `topics`: from the Metadata listGroups read this cycle, and a Metadata
   * request for the topics it did not name (only the topics read, when there are any: an empty
   * list would ask for the brokers only); kafkajs's cached metadata where that was read instead.
   */
  async #leadersOf(topics: readonly string[]): Promise<Map<string, LeaderGroups>> {
    const early = this.#early;
    this.#early = undefined;
    const leaders = early ? leadersOf(early.topics) : new Map<string, LeaderGroups>();
    const rest = early ? unaskedTopics(early, topics) : topics;
    if (rest.length === 0) return leaders;
    const md = await this.#metadata(rest);
    const more = md ? leadersOf(md.topics) : indexLeaders(this.#cluster.brokerPool.metadata?.topicMetadata ?? []);
    for (const t of rest) {
      const l = more.get(t);
      if (l !== undefined) leaders.set(t, l);
    }
    return leaders;
  }

  /**
   * One ListOffsets per leader broker for the chunk's partitions; the answers in arrival order.
   * Encoded by list-offsets.ts (v2) when the broker takes v2, by kafkajs otherwise.
   */
  async #listOffsets(topics: string[], leaders: Map<string, LeaderGroups>, timestamp: number): Promise<ListOffsetsColumns[]> {
    const perBroker = new Map<string, { topic: string; partitions: number[] }[]>();
    for (const topic of topics) {
      const byLeader = leaders.get(topic) ?? new Map<string, number[]>();
      if (byLeader instanceof Error) throw byLeader;
      for (const [nodeId, parts] of byLeader) {
        const list = perBroker.get(nodeId) ?? [];
        list.push({ topic, partitions: parts });
        perBroker.set(nodeId, list);
      }
    }
    const out: ListOffsetsColumns[] = [];
    await Promise.all(
      [...perBroker].map(async ([nodeId, reqTopics]) => {
        const broker = await this.#cluster.findBroker({ nodeId });
        if (brokerSpeaks(broker.versions, LIST_OFFSETS_KEY, LIST_OFFSETS_VERSION)) {
          for (const t of await sendOwn(broker, listOffsetsRequest(READ_UNCOMMITTED, timestamp, reqTopics))) out.push(t);
          return;
        }
        const { responses } = await broker.listOffsets({
          isolationLevel: READ_UNCOMMITTED,
          topics: reqTopics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((partition) => ({ partition, timestamp })) })),
        });
        for (const t of responses) {
          out.push({
            topic: t.topic,
            partitions: Int32Array.from(t.partitions, (p) => p.partition),
            offsets: Float64Array.from(t.partitions, (p) => Number(p.offset)),
          });
        }
      }),
    );
    return out;
  }

  async readTimestamps(reads: readonly RecordRef[]): Promise<RecordTimestamp[]> {
    if (reads.length === 0) return [];
    await this.#ready();
    // A fetch names each partition once: reads of several offsets of one partition go in rounds.
    const rounds: RecordRef[][] = [];
    const seenPerRound: Set<string>[] = [];
    for (const r of reads) {
      const k = joinKey(r.topic, r.partition);
      let i = 0;
      while (seenPerRound[i]?.has(k)) i++;
      (rounds[i] ??= []).push(r);
      (seenPerRound[i] ??= new Set()).add(k);
    }
    const out: RecordTimestamp[] = [];
    for (const round of rounds) {
      const perBroker = new Map<string, RecordRef[]>();
      for (const r of round) {
        const leader = leaderOf(this.#leaders.get(r.topic), r.partition);
        if (leader !== undefined) pushTo(perBroker, leader, r);
      }
      await mapLimit([...perBroker], this.#opts.concurrency, async ([nodeId, refs]) => {
        try {
          out.push(...(await this.#fetchTimestamps(nodeId, refs)));
        } catch (err) {
          this.#logger.debug({ err, broker: nodeId }, 'record timestamp reads failed');
        }
      });
    }
    return out;
  }

  async #fetchTimestamps(nodeId: string, refs: RecordRef[]): Promise<RecordTimestamp[]> {
    const broker = await this.#cluster.findBroker({ nodeId });
    const byTopic = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
    for (const r of refs) pushTo(byTopic, r.topic, { partition: r.partition, fetchOffset: String(r.offset), maxBytes: this.#opts.readBytesPerPartition });
    const { responses } = await broker.fetch({
      replicaId: -1,
      isolationLevel: READ_UNCOMMITTED,
      // Never wait for new data: the records asked for exist already.
      maxWaitTime: 0,
      minBytes: 0,
      maxBytes: this.#opts.readBytesPerPartition * refs.length,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
    const wanted = new Map(refs.map((r) => [joinKey(r.topic, r.partition), r]));
    const out: RecordTimestamp[] = [];
    for (const t of responses) {
      for (const p of t.partitions) {
        const ref = wanted.get(joinKey(t.topicName, p.partition));
        if (!ref || p.errorCode !== 0) continue;
        // The broker returns whole batches: skip records before the offset asked for. The first
        // record at or after it is the oldest unconsumed one (compaction may have removed the
        // exact offset).
        const m = p.messages.find((x) => Number(x.offset) >= ref.offset);
        if (!m) continue;
        const ts = Number(m.timestamp);
        out.push({ ...ref, timestamp: ts >= 0 ? ts : null });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.#coordinators.clear();
    await this.#cluster.disconnect().catch(() => undefined);
    this.#connected = false;
  }
}

/** Appends to the list under `key` (in place: spreading per item is quadratic on 500 groups). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The leader's node id of a partition in the last watermark read's leaders; undefined when unknown. */
function leaderOf(groups: LeaderGroups | undefined, partition: number): string | undefined {
  if (groups === undefined || groups instanceof Error) return undefined;
  for (const [nodeId, parts] of groups) if (parts.includes(partition)) return nodeId;
  return undefined;
}

function joinKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

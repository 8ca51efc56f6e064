/**
 * The physical floor of one Kafka collection cycle (not a timed test): the CPU of sending the
 * requests a cycle of the service sends and decoding the answers, with no processing. Against
 * BROKERS (a broker held by `HOLD=1 npx vite-node bench/kafka-lag.ts`), per cycle, what the
 * collector sends in a steady cycle (coordinators cached; `cqrs_kafka_requests_total` per cycle
 * of the service at 200 x 50 partitions, 500 groups, one broker: 13):
 *   Metadata 1 (the brokers and the topics consumed last cycle), ListGroups per broker,
 *   DescribeGroups per coordinator, OffsetFetch v8 per coordinator and 100 groups,
 *   ListOffsets v2 latest + earliest per leader and chunk of 100 topics, one Fetch of READS
 *   partitions (the record timestamps; 50 = `timeLag.maxReadsPerCycle`).
 * Encoded and decoded as the collector does: its own encoders and decoders for Metadata,
 * OffsetFetch, ListOffsets (and FindCoordinator in the warm-up cycle), kafkajs's for ListGroups,
 * DescribeGroups and Fetch; the answers are dropped. Reports the requests per API of a cycle,
 * the CPU per cycle (`process.cpuUsage`, user + system) over CYCLES cycles after a warm-up
 * cycle, and the peak RSS (VmHWM). METADATA=2 sends the two Metadata requests a cycle sent before
 * (the brokers only, then the consumed topics) to measure what the second one cost.
 *
 *   BROKERS=127.0.0.1:PORT npx vite-node bench/kafka-floor.ts
 */
import { readFileSync } from 'node:fs';
import { logLevel } from 'kafkajs';
import { findCoordinatorRequest } from '../src/sources/kafka/find-coordinator.js';
import { internals, sendOwn, type InternalBroker } from '../src/sources/kafka/kafkajs-internals.js';
import type { LeaderGroups } from '../src/sources/kafka/leader-index.js';
import { listOffsetsRequest } from '../src/sources/kafka/list-offsets.js';
import { leadersOf, metadataRequest } from '../src/sources/kafka/metadata.js';
import { offsetFetchRequest } from '../src/sources/kafka/offset-fetch.js';

const brokers = (process.env.BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('BROKERS=host:port is required (see the header)');
const CYCLES = Number(process.env.CYCLES ?? 10);
const READS = Number(process.env.READS ?? 50);
const TOPICS_PER_REQUEST = 100;
const GROUPS_PER_OFFSET_FETCH = 100;
const TWO_METADATA = process.env.METADATA === '2';

const emitter = new internals.InstrumentationEventEmitter();
const sent = new Map<string, number>();
emitter.addListener(internals.NETWORK_REQUEST, (e) => {
  sent.set(e.payload.apiName, (sent.get(e.payload.apiName) ?? 0) + 1);
});
const cluster = new internals.Cluster({
  logger: internals.createLogger({ level: logLevel.NOTHING, logCreator: () => () => undefined }),
  retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1000 },
  offsets: new Map(),
  socketFactory: internals.defaultSocketFactory(),
  brokers,
  clientId: 'kafka-floor',
  connectionTimeout: 10_000,
  requestTimeout: 60_000,
  enforceRequestTimeout: true,
  metadataMaxAge: 300_000,
  instrumentationEmitter: emitter,
  allowAutoTopicCreation: false,
  maxInFlightRequests: null,
  isolationLevel: 0,
});

const coordinators = new Map<string, InternalBroker>();
/** The topics the last cycle's commits named (the service asks their metadata with the brokers'). */
let consumed: string[] = [];
let readOffset = 0;

/** FindCoordinator v4 for groups not placed yet (the warm-up cycle: the service caches them). */
async function place(groupIds: string[]): Promise<void> {
  const missing = groupIds.filter((g) => !coordinators.has(g));
  if (missing.length === 0) return;
  const seed = await cluster.brokerPool.findConnectedBroker();
  for (const a of await sendOwn(seed, findCoordinatorRequest(missing))) {
    if (a.errorCode === 0 && 'nodeId' in a) coordinators.set(a.key, await cluster.findBroker({ nodeId: a.nodeId }));
  }
}

async function cycle(): Promise<void> {
  const seed = await cluster.brokerPool.findConnectedBroker();
  const md = await sendOwn(seed, metadataRequest(TWO_METADATA ? [] : consumed));
  const brokerList = await Promise.all(md.brokers.map((b) => cluster.findBroker({ nodeId: b.nodeId })));
  const groupIds: string[] = [];
  for (const b of brokerList) for (const g of (await b.listGroups()).groups) groupIds.push(g.groupId);
  await place(groupIds);
  const byCoordinator = new Map<InternalBroker, string[]>();
  for (const id of groupIds) {
    const c = coordinators.get(id)!;
    const list = byCoordinator.get(c);
    if (list) list.push(id);
    else byCoordinator.set(c, [id]);
  }
  const topics = new Set<string>();
  await Promise.all(
    [...byCoordinator].map(async ([b, ids]) => {
      const jobs: Promise<unknown>[] = [b.describeGroups({ groupIds: ids })];
      for (let i = 0; i < ids.length; i += GROUPS_PER_OFFSET_FETCH) {
        jobs.push(
          sendOwn(b, offsetFetchRequest(ids.slice(i, i + GROUPS_PER_OFFSET_FETCH))).then((groups) => {
            for (const g of groups) if ('commits' in g) for (const t of g.commits.topics) topics.add(t);
          }),
        );
      }
      await Promise.all(jobs);
    }),
  );
  // The service asks a second Metadata only for topics its first did not name (the warm-up cycle).
  const leaders = leadersOf(md.topics);
  const fresh = [...topics].filter((t) => TWO_METADATA || !leaders.has(t));
  if (fresh.length > 0) for (const [t, l] of leadersOf((await sendOwn(seed, metadataRequest(fresh))).topics)) leaders.set(t, l);
  consumed = [...topics];
  const listJobs: Promise<unknown>[] = [];
  for (let i = 0; i < consumed.length; i += TOPICS_PER_REQUEST) {
    const perLeader = new Map<string, { topic: string; partitions: number[] }[]>();
    for (const topic of consumed.slice(i, i + TOPICS_PER_REQUEST)) {
      const byLeader = leaders.get(topic);
      if (byLeader === undefined || byLeader instanceof Error) continue;
      for (const [nodeId, partitions] of byLeader) {
        const list = perLeader.get(nodeId);
        if (list) list.push({ topic, partitions });
        else perLeader.set(nodeId, [{ topic, partitions }]);
      }
    }
    for (const timestamp of [-1, -2]) {
      for (const [nodeId, reqTopics] of perLeader)
        listJobs.push(cluster.findBroker({ nodeId }).then((b) => sendOwn(b, listOffsetsRequest(0, timestamp, reqTopics))));
    }
  }
  await Promise.all(listJobs);
  await fetchReads(leaders);
}

/** One Fetch of READS partitions at offset 0 per leader (a different set each cycle, as the timestamp cache makes it). */
async function fetchReads(leaders: Map<string, LeaderGroups>): Promise<void> {
  const parts: { topic: string; partition: number; leader: string }[] = [];
  for (const [topic, byLeader] of leaders) {
    if (byLeader instanceof Error) continue;
    for (const [leader, ps] of byLeader) for (const partition of ps) parts.push({ topic, partition, leader });
  }
  const reads = Array.from({ length: Math.min(READS, parts.length) }, (_, k) => parts[(readOffset + k) % parts.length]!);
  readOffset += READS;
  const byLeader = new Map<string, typeof reads>();
  for (const r of reads) byLeader.set(r.leader, [...(byLeader.get(r.leader) ?? []), r]);
  await Promise.all(
    [...byLeader].map(async ([nodeId, rs]) => {
      const b = await cluster.findBroker({ nodeId });
      const topics = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
      for (const r of rs) topics.set(r.topic, [...(topics.get(r.topic) ?? []), { partition: r.partition, fetchOffset: '0', maxBytes: 65536 }]);
      await b.fetch({
        replicaId: -1,
        isolationLevel: 0,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: 65536 * rs.length,
        topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
      });
    }),
  );
}

const vmHWM = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

await cluster.connect();
// kafkajs's broker pool (the service loads it once with a full Metadata, as kafkajs reads it).
cluster.targetTopics = new Set();
await cluster.refreshMetadata();
await cycle(); // warm-up: connections, coordinators, the consumed topics
sent.clear();
const cpu: number[] = [];
const wall: number[] = [];
for (let i = 0; i < CYCLES; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await cycle();
  const c = process.cpuUsage(c0);
  wall.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
}
await cluster.disconnect();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const perCycle = Object.fromEntries([...sent].sort().map(([api, n]) => [api, n / CYCLES]));
console.log(
  JSON.stringify({
    cycles: CYCLES,
    groups: coordinators.size,
    metadataPerCycle: TWO_METADATA ? 2 : 1,
    requestsPerCycle: { total: [...sent.values()].reduce((a, b) => a + b, 0) / CYCLES, ...perCycle },
    cpuMsPerCycle: { p50: +median(cpu).toFixed(1), min: +Math.min(...cpu).toFixed(1), max: +Math.max(...cpu).toFixed(1) },
    wallMs: +median(wall).toFixed(1),
    vmHWM_MB: +vmHWM().toFixed(1),
  }),
);

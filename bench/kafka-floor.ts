/**
 * The physical floor of one Kafka collection cycle (not a timed test): the CPU of sending the
 * requests a cycle sends and decoding the answers, with no processing. Against BROKERS (a broker
 * held by `HOLD=1 npx vite-node bench/kafka-lag.ts`), per cycle, as the collector does at 500
 * groups on one broker:
 *   Metadata x2 (all topics), ListGroups per broker, DescribeGroups per coordinator,
 *   OffsetFetch v8 per coordinator and 100 groups (our encoder and decoder, offset-fetch.ts),
 *   ListOffsets latest + earliest per leader and chunk of 100 topics, one Fetch of READS
 *   partitions (the record timestamps; 50 = `timeLag.maxReadsPerCycle`).
 * Answers are decoded by kafkajs (and offset-fetch.ts) and dropped. Reports the CPU per cycle
 * (`process.cpuUsage`, user + system) over CYCLES cycles after a warm-up cycle, and the peak RSS.
 *
 *   BROKERS=127.0.0.1:PORT npm run bench -- bench/kafka-floor.ts
 */
import { readFileSync } from 'node:fs';
import { logLevel } from 'kafkajs';
import { internals, sendOwn, type InternalBroker } from '../src/sources/kafka/kafkajs-internals.js';
import { offsetFetchRequest } from '../src/sources/kafka/offset-fetch.js';

const brokers = (process.env.BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('BROKERS=host:port is required (see the header)');
const CYCLES = Number(process.env.CYCLES ?? 10);
const READS = Number(process.env.READS ?? 50);
const TOPICS_PER_REQUEST = 100;
const GROUPS_PER_OFFSET_FETCH = 100;

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
  instrumentationEmitter: new internals.InstrumentationEventEmitter(),
  allowAutoTopicCreation: false,
  maxInFlightRequests: null,
  isolationLevel: 0,
});

async function allBrokers(): Promise<InternalBroker[]> {
  cluster.targetTopics = new Set();
  await cluster.refreshMetadata();
  return Promise.all(Object.keys(cluster.brokerPool.brokers).map((nodeId) => cluster.findBroker({ nodeId })));
}

const coordinators = new Map<string, InternalBroker>();
let readOffset = 0;

async function cycle(): Promise<void> {
  const brokerList = await allBrokers();
  const groupIds: string[] = [];
  for (const b of brokerList) for (const g of (await b.listGroups()).groups) groupIds.push(g.groupId);
  const byCoordinator = new Map<InternalBroker, string[]>();
  for (const id of groupIds) {
    let c = coordinators.get(id);
    if (!c) coordinators.set(id, (c = await cluster.findGroupCoordinator({ groupId: id })));
    const list = byCoordinator.get(c);
    if (list) list.push(id);
    else byCoordinator.set(c, [id]);
  }
  const jobs: Promise<unknown>[] = [];
  for (const [b, ids] of byCoordinator) {
    jobs.push(b.describeGroups({ groupIds: ids }));
    for (let i = 0; i < ids.length; i += GROUPS_PER_OFFSET_FETCH) jobs.push(sendOwn(b, offsetFetchRequest(ids.slice(i, i + GROUPS_PER_OFFSET_FETCH))));
  }
  await Promise.all(jobs);
  await allBrokers();
  const meta = cluster.brokerPool.metadata!.topicMetadata;
  const listJobs: Promise<unknown>[] = [];
  for (let i = 0; i < meta.length; i += TOPICS_PER_REQUEST) {
    const chunk = meta.slice(i, i + TOPICS_PER_REQUEST);
    for (const timestamp of [-1, -2]) {
      const perLeader = new Map<number, { topic: string; partitions: { partition: number; timestamp: number }[] }[]>();
      for (const t of chunk) {
        for (const p of t.partitionMetadata) {
          let list = perLeader.get(p.leader);
          if (!list) perLeader.set(p.leader, (list = []));
          let entry = list.at(-1);
          if (entry?.topic !== t.topic) list.push((entry = { topic: t.topic, partitions: [] }));
          entry.partitions.push({ partition: p.partitionId, timestamp });
        }
      }
      for (const [nodeId, topics] of perLeader) listJobs.push(cluster.findBroker({ nodeId }).then((b) => b.listOffsets({ isolationLevel: 0, topics })));
    }
  }
  await Promise.all(listJobs);
  // One Fetch of READS partitions at offset 0 (a different set each cycle, as the timestamp cache makes it).
  const parts = meta.flatMap((t) => t.partitionMetadata.map((p) => ({ topic: t.topic, partition: p.partitionId, leader: p.leader })));
  const reads = Array.from({ length: Math.min(READS, parts.length) }, (_, k) => parts[(readOffset + k) % parts.length]!);
  readOffset += READS;
  const byLeader = new Map<number, typeof reads>();
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
await cycle(); // warm-up: connections, coordinators
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
console.log(
  JSON.stringify({
    cycles: CYCLES,
    groups: coordinators.size,
    cpuMsPerCycle: { p50: +median(cpu).toFixed(1), min: +Math.min(...cpu).toFixed(1), max: +Math.max(...cpu).toFixed(1) },
    wallMs: +median(wall).toFixed(1),
    vmHWM_MB: +vmHWM().toFixed(1),
  }),
);

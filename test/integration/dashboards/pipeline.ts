import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import { generate } from '../../../src/generate/index.js';
import type { Config } from '../../../src/config/schema/index.js';
import type { App } from '../../../src/app.js';
import { startPrometheus, type ServerHandle } from '../../env/prometheus.js';
import { exec, freshDatabase } from '../sql/helpers.js';

/**
 * A small CQRS pipeline with every kind of source the dashboards have panels for, the service
 * watching it, and a real Prometheus scraping the service with the generated rules of both
 * formats loaded side by side (native `cqrs_slo:*` and Sloth `slo:*` names do not collide).
 *
 * - Kafka: topic `<p>.orders` (3 partitions) written every 200 ms, consumed and committed by the
 *   group `<p>-projector`; the stream tail reads it too, and the producer sends one duplicate id,
 *   one version gap, one version going back and one non-JSON value.
 * - `<p>.orders.DLT` receives Spring-style dead letters every 2 s.
 * - PostgreSQL: a Marten store whose head and projection checkpoint advance every second.
 * - A read-after-write SQL probe on that store, every second (its write is readable at once).
 */
export interface Pipeline {
  readonly config: Config;
  readonly app: App;
  readonly prom: ServerHandle;
  readonly topic: string;
  readonly group: string;
  /** Stops the consumer group's only member (the producer goes on): the group becomes STOPPED. */
  stopConsumer(): Promise<void>;
  stop(): Promise<void>;
}

const springHeaders = (topic: string, offset: number) => {
  const int32 = Buffer.alloc(4);
  const int64 = Buffer.alloc(8);
  int64.writeBigInt64BE(BigInt(offset));
  return {
    'kafka_dlt-original-topic': topic,
    'kafka_dlt-original-partition': int32,
    'kafka_dlt-original-offset': int64,
    'kafka_dlt-original-consumer-group': 'projector',
    'kafka_dlt-exception-fqcn': 'java.lang.IllegalStateException',
  };
};

/** SLO block with a one-day period: every standard window up to 1d is recorded. */
const slo = (name: string, sli: string) => `
  - name: ${name}
    owner: orders-team
    objective: 99
    period: 1d
    sli: ${sli}`;

export async function startPipeline(brokers: string[], pgServer: string): Promise<Pipeline> {
  const prefix = `dash${Date.now().toString(36)}`;
  const topic = `${prefix}.orders`;
  const dlt = `${topic}.DLT`;
  const group = `${prefix}-projector`;
  const stops: (() => Promise<unknown>)[] = [];
  const timers: NodeJS.Timeout[] = [];
  const stop = async () => {
    for (const t of timers) clearInterval(t);
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const kafka = new Kafka({ clientId: 'dash', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }, { topic: dlt }], waitForLeaders: true });
    await admin.disconnect();
    const producer: Producer = kafka.producer();
    await producer.connect();
    stops.push(() => producer.disconnect());

    let n = 0;
    const event = (id: string, orderId: string, version: number) => ({
      key: orderId,
      value: JSON.stringify({ orderId, version, occurredAt: new Date(Date.now() - 50).toISOString() }),
      headers: { 'event-id': id },
    });
    // Anomalies the stream panels count: a duplicate id, a skipped version, a version going back, non-JSON.
    const anomalies = [
      event('e-1', 'o-1', 1),
      event('e-1', 'o-1', 1),
      event('e-gap', 'o-2', 1),
      event('e-gap2', 'o-2', 3),
      event('e-back', 'o-2', 2),
      { key: 'o-3', value: 'not json', headers: { 'event-id': 'e-bad' } },
    ];
    timers.push(
      setInterval(() => {
        n += 1;
        const messages = n === 5 ? anomalies : [event(`e${n}`, `order-${n % 7}-${n}`, 1)];
        void producer.send({ topic, messages }).catch(() => undefined);
        if (n % 10 === 0) void producer.send({ topic: dlt, messages: [{ value: `failed ${n}`, headers: springHeaders(topic, n) }] }).catch(() => undefined);
      }, 200),
    );

    const consumer: Consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommitInterval: 200, eachMessage: async () => undefined });
    stops.push(() => consumer.disconnect());

    const db = await freshDatabase(pgServer, 'marten');
    await exec(db, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 0, now()), ('Orders:All', 0, now())`);
    // The read-after-write probe's table: what it writes is readable at once.
    await exec(db, 'CREATE TABLE dash_probe (id text PRIMARY KEY)');
    let seq = 0;
    timers.push(
      setInterval(() => {
        seq += 1;
        // A new event, the head on it, and the projection one event behind (lag 1, moving).
        void exec(
          db,
          `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES ($1, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'order_placed', now());
           UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = 'HighWaterMark';
           UPDATE mt_event_progression SET last_seq_id = $1 - 1, last_updated = now() WHERE name = 'Orders:All';`.replace(/\$1/g, String(seq)),
        ).catch(() => undefined);
      }, 1000),
    );
    process.env.CQRS_DASH_PG = db;

    const config = parseConfig(
      `
server: { port: 0, address: 127.0.0.1 }
telemetry: { logLevel: silent }
clusters:
  - name: main
    brokers: ${JSON.stringify(brokers)}
    interval: 1s
    timeout: 10s
    groups: { include: ["^${group}$"] }
stores:
  - { name: orders, preset: marten, interval: 1s, connection: { connectionString: env:CQRS_DASH_PG } }
streams:
  - name: orders
    cluster: main
    topics: [${topic}]
    groupId: ${group}-tail
    startFrom: beginning
    interval: 1s
    eventId: { header: event-id }
    aggregateId: { jsonPath: $.orderId }
    version: { jsonPath: $.version }
    occurredAt: { jsonPath: $.occurredAt }
dlqs:
  - { kind: kafka, name: orders-dlt, cluster: main, topics: [${dlt}], readerGroup: ${group}-dlq, headers: spring, interval: 1s }
probes:
  - name: orders-view
    store: orders
    interval: 1s
    timeout: 5s
    pollInterval: 100ms
    command: { sql: { statement: "INSERT INTO dash_probe (id) VALUES ($1)", params: ["{{probeId}}"] } }
    query: { sql: { statement: "SELECT 1 FROM dash_probe WHERE id = $1", params: ["{{probeId}}"] } }
    cleanup: { sql: { statement: "DELETE FROM dash_probe WHERE id = $1", params: ["{{probeId}}"] } }
slos:${slo('group-freshness', `{ kind: freshness, cluster: main, group: ${group}, threshold: 1m }`)}${slo('view-freshness', '{ kind: freshness, store: orders, projection: "Orders:All", threshold: 30s }')}${slo('view-apply-latency', '{ kind: apply_latency, store: orders, projection: "Orders:All", threshold: 5s }')}${slo('no-duplicates', '{ kind: duplicates, stream: orders }')}${slo('delivery', '{ kind: delivery, dlq: orders-dlt }')}
`,
      'dashboards.yaml',
    );
    const { startApp } = await import('../../../src/app.js');
    const app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });
    stops.push(() => app.stop());
    const rules: Record<string, string> = {};
    // Prometheus scrapes every second here; links must be absolute for generate to write rules.
    const opts = { evaluationInterval: 1, scrapeInterval: 1, runbookBaseUrl: 'https://runbooks.example/docs', grafanaBaseUrl: 'https://grafana.example' };
    for (const f of generate(config, 'alerts', opts)) rules[f.path] = f.text;
    for (const f of generate(config, 'alerts', { ...opts, format: 'sloth' })) if (f.path.startsWith('slo-')) rules[`sloth-${f.path}`] = f.text;
    const prom = await startPrometheus({ scrapeTargets: [new URL(app.url).host], scrapeInterval: '1s', evaluationInterval: '1s', ruleFiles: rules });
    stops.push(() => prom.stop());
    return { config, app, prom, topic, group, stopConsumer: () => consumer.disconnect(), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

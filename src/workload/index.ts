import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import type { Config } from '../config/schema/index.js';
import { createKafkaClient } from '../sources/stream/kafka-client.js';
import { DemoWriter } from '../demo/writer.js';
import { openPgDemoDb } from './pg-db.js';
import { workloadDdl } from './schema.js';
import { OutboxRelay } from './relay.js';
import { KafkaProjector } from './projector.js';
import { AlertLog } from './alert-log.js';
import { DEAD_LETTER_RESOLVE_AFTER_SECONDS, WORKLOAD_PROJECTORS, writeRateAt } from './profiles.js';
import { workloadTargets, type WorkloadTargets } from './targets.js';

export { workloadTargets } from './targets.js';
export { WORKLOAD_PROJECTORS } from './profiles.js';

export interface WorkloadOptions {
  readonly logger: Logger;
  /** Events appended per second outside bursts (default 20). */
  readonly rate?: number;
  /** Port of the alert receiver (/page, /ticket, /alerts); undefined: no receiver. */
  readonly alertPort?: number;
  readonly alertAddress?: string;
}

export interface Workload {
  readonly relay: OutboxRelay;
  readonly projectors: readonly KafkaProjector[];
  readonly alerts?: AlertLog;
  readonly alertPort?: number;
  stop(): Promise<void>;
}

/** Runs `fn` every `ms`, never overlapping itself; errors are logged, never thrown. */
function every(ms: number, what: string, logger: Logger, fn: () => Promise<unknown>): () => Promise<void> {
  let busy: Promise<unknown> | undefined;
  let lastError = '';
  const timer = setInterval(() => {
    if (busy) return;
    busy = fn()
      .then(() => (lastError = ''))
      .catch((err: unknown) => {
        const msg = (err as Error).message;
        if (msg !== lastError) logger.warn({ err: msg }, `${what} failed`);
        lastError = msg;
      })
      .finally(() => (busy = undefined));
  }, ms);
  return async () => {
    clearInterval(timer);
    await busy;
  };
}

/**
 * The live workload of the compose stack: the demo's command side appending order events to an
 * Emmett event store in PostgreSQL, an outbox relay publishing them to Kafka (with occasional
 * duplicate deliveries), two Kafka projectors writing read models and checkpoints to
 * PostgreSQL (poison events to a dead-letter topic and a dead-letter table), and a job that
 * resolves old dead letters. Targets come from the monitor's own config (`workloadTargets`).
 */
export async function startWorkload(config: Config, file: string, opts: WorkloadOptions): Promise<Workload> {
  const t = workloadTargets(config, file);
  const db = openPgDemoDb(t.store);
  try {
    return await startOn(db, t, opts);
  } catch (err) {
    // Nothing stays open when start-up fails (the runner retries).
    await db.close().catch(() => undefined);
    throw err;
  }
}

async function startOn(db: ReturnType<typeof openPgDemoDb>, t: WorkloadTargets, opts: WorkloadOptions): Promise<Workload> {
  const { logger } = opts;
  await db.exec(workloadDdl(t.deadLetterTable));

  const kafka = createKafkaClient(t.cluster, { clientId: 'cqrs-slo-workload', logger });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: t.eventTopic, numPartitions: 3 },
      { topic: t.deadLetterTopic, numPartitions: 1 },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const alerts = opts.alertPort !== undefined ? new AlertLog(logger) : undefined;
  let alertPort: number | undefined;
  const rate = opts.rate ?? 20;
  const projectors = WORKLOAD_PROJECTORS.map(
    (p) => new KafkaProjector(kafka, producer, db, p, { eventTopic: t.eventTopic, deadLetterTopic: t.deadLetterTopic, deadLetterTable: t.deadLetterTable }),
  );
  try {
    alertPort = alerts ? await alerts.listen(opts.alertPort!, opts.alertAddress) : undefined;
    for (const p of projectors) await p.start();
  } catch (err) {
    await Promise.all(projectors.map((p) => p.stop().catch(() => undefined)));
    await alerts?.close();
    await producer.disconnect().catch(() => undefined);
    throw err;
  }

  // Order ids unique per run: the event store keeps the streams of earlier runs.
  const writer = new DemoWriter(db, rate, `order-${Date.now().toString(36)}`);
  const relay = new OutboxRelay(db, producer, t.eventTopic, logger);

  const stops = [
    every(1000, 'append', logger, () => writer.append(writeRateAt(rate, Date.now()))),
    every(500, 'relay', logger, () => relay.step()),
    every(10_000, 'dead-letter resolve', logger, () =>
      db.query(`UPDATE ${t.deadLetterTable} SET resolved = true WHERE NOT resolved AND failed_at < now() - make_interval(secs => $1)`, [
        DEAD_LETTER_RESOLVE_AFTER_SECONDS,
      ]),
    ),
  ];
  logger.info(
    { eventTopic: t.eventTopic, deadLetterTopic: t.deadLetterTopic, store: t.store.name, projectors: WORKLOAD_PROJECTORS.map((p) => p.name), alertPort },
    'workload started',
  );

  return {
    relay,
    projectors,
    ...(alerts ? { alerts, alertPort } : {}),
    async stop() {
      for (const s of stops) await s();
      await Promise.all(projectors.map((p) => p.stop()));
      await producer.disconnect();
      await alerts?.close();
      await db.close();
    },
  };
}

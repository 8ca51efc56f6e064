import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { eventually, promQuery } from '../../env/prometheus.js';
import { requireTools } from './tools.js';
import { awaitNotification, fastPageSlo, startPagerPath, RUNBOOKS, type PagerPath } from './pager-path.js';

/**
 * The pager path on a real Kafka pipeline: a producer writes order events, a consumer group
 * ("the projector") consumes and commits; the service watches the group's freshness. Stopping
 * the consumer pages; starting it again resolves.
 */
const env = inject('kafka');
const tools = requireTools();
const TOPIC = 'e2e.orders';
// Names of its own: other suites share the broker (the compose workload's projector is 'order-view').
const GROUP = 'e2e-order-view';

describe.runIf(tools && !env.unavailable)('end to end on Kafka: consumer stops -> page; resumes -> resolved', () => {
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let path: PagerPath;
  let timer: NodeJS.Timeout | undefined;

  async function startConsumer(): Promise<void> {
    consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ autoCommitInterval: 200, eachMessage: async () => undefined });
  }

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'e2e', brokers: env.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    const produce = () => {
      timer = setTimeout(
        () =>
          void producer
            .send({ topic: TOPIC, messages: [{ value: JSON.stringify({ at: Date.now() }) }] })
            .catch(() => undefined)
            .finally(produce),
        300,
      );
    };
    produce();
    await startConsumer();
    path = await startPagerPath(`
server: { port: 0, address: 127.0.0.1 }
telemetry: { logLevel: silent }
clusters:
  - name: main
    brokers: ${JSON.stringify(env.brokers)}
    interval: 1s
    timeout: 10s
    groups: { include: ["^${GROUP}$"] }
slos:${fastPageSlo('order-view-lag', `{ kind: freshness, cluster: main, group: ${GROUP}, threshold: 3s }`)}`);
  }, 180_000);

  afterAll(async () => {
    if (timer) clearTimeout(timer);
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await path?.stop();
  });

  it('the cluster source is up and the SLO is healthy while the consumer keeps up', async () => {
    await eventually(
      async () => ((await promQuery(path.prom.url, 'cqrs_source_up{source="kafka:main"} == 1')).length === 1 ? true : undefined),
      60_000,
      'cqrs_source_up',
    );
    await eventually(
      async () => ((await promQuery(path.prom.url, 'cqrs_slo:sli_error:ratio_rate5s{slo="order-view-lag"} == 0')).length === 1 ? true : undefined),
      60_000,
      'a healthy error ratio of 0',
    );
    expect(path.hook.received).toEqual([]);
  }, 120_000);

  it('stopping the consumer pages', async () => {
    await consumer!.disconnect();
    consumer = undefined;
    const page = await awaitNotification(path, () => path.hook.received.find((m) => m.path === '/page' && m.body.status === 'firing'), 120_000, 'the page');
    expect(page.body.alerts[0]!.labels).toMatchObject({
      alertname: 'CqrsSloErrorBudgetBurn',
      severity: 'page',
      slo: 'order-view-lag',
      team: 'orders-team',
      burn_tier: 'page_fast',
    });
    expect(page.body.alerts[0]!.annotations.runbook_url).toBe(`${RUNBOOKS}/CqrsSloErrorBudgetBurn.md`);
    expect(page.body.alerts[0]!.labels.source).toMatch(/^kafka:/);
  }, 180_000);

  it('starting it again resolves the page', async () => {
    await startConsumer();
    const resolved = await awaitNotification(
      path,
      () => path.hook.received.find((m) => m.path === '/page' && m.body.status === 'resolved'),
      120_000,
      'the resolved notification',
    );
    expect(resolved.body.alerts[0]!.labels).toMatchObject({ slo: 'order-view-lag', burn_tier: 'page_fast' });
  }, 180_000);
});

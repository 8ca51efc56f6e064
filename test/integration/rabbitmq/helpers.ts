import amqp from 'amqplib';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema/index.js';
import type { SourceDeps } from '../../../src/sources/deps.js';
import type { CycleContext } from '../../../src/sources/source.js';
import { createRabbitmqSources, type RabbitmqSource } from '../../../src/sources/rabbitmq/index.js';
import { rabbitAvailable, startRabbit, type RabbitHandle } from '../../env/rabbitmq.js';
import { until as untilTrue } from '../../env/wait.js';

export { sleep } from '../../env/wait.js';

/**
 * Skip the file when rabbitmq-server is not installed, outside CI only: in CI (CI=true) the start
 * fails the run.
 */
export const skipRabbit = !rabbitAvailable().ok && process.env.CI !== 'true';

/** A file's broker and one AMQP connection to it (what `useRabbit` gives the tests). */
export interface RabbitFixture {
  readonly rmq: RabbitHandle;
  readonly conn: amqp.ChannelModel;
  /** A management API request as guest (`path` from `/api/`, JSON `body`). */
  api(path: string, method?: string, body?: unknown): Promise<Response>;
}

/**
 * One broker for the file (`startRabbit`, ~18 s), started before its tests with an AMQP
 * connection as guest, both closed after them. `options` is called in `beforeAll`, so it may use
 * what an earlier `beforeAll` made (certificates). The returned object forwards to the running
 * fixture: `const rabbit = useRabbit()`, then `rabbit.rmq` and `rabbit.conn` in the tests.
 */
export function useRabbit(options?: () => Parameters<typeof startRabbit>[0]): RabbitFixture {
  let rmq: RabbitHandle | undefined;
  let conn: amqp.ChannelModel | undefined;
  beforeAll(async () => {
    rmq = await startRabbit(options?.());
    conn = await amqp.connect(rmq.amqpUrl);
    // The broker closes it when a test halts the node: an 'error' event without a listener would throw.
    conn.on('error', () => undefined);
  });
  afterAll(async () => {
    await conn?.close().catch(() => undefined);
    await rmq?.stop();
  });
  const open = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`the RabbitMQ ${what} is not open (used outside a test)`);
    return v;
  };
  return {
    get rmq() {
      return open(rmq, 'broker');
    },
    get conn() {
      return open(conn, 'connection');
    },
    api(path, method = 'GET', body) {
      const { managementUrl, user, password } = open(rmq, 'broker');
      return fetch(`${managementUrl}${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}

/**
 * A dead-letter topology as applications declare it: a fanout exchange `dlx`, the queue `dlq`
 * bound to it, and `queue` dead-lettering into `dlx`. Returns the queue argument, for more
 * queues that dead-letter there.
 */
export async function declareDeadLettered(ch: amqp.Channel, names: { dlx: string; dlq: string; queue: string }): Promise<{ 'x-dead-letter-exchange': string }> {
  const dlx = { 'x-dead-letter-exchange': names.dlx };
  await ch.assertExchange(names.dlx, 'fanout');
  await ch.assertQueue(names.dlq);
  await ch.bindQueue(names.dlq, names.dlx, '');
  await ch.assertQueue(names.queue, { arguments: dlx });
  return dlx;
}

/** A config with one broker `test` (password from env:RMQ_TEST_PASSWORD) and the given extra YAML. */
export function rabbitConfig(rmq: RabbitHandle, extra = '', password = rmq.password): Config {
  process.env.RMQ_TEST_PASSWORD = password;
  return parseConfig(
    `rabbitmq:\n  - name: test\n    url: ${rmq.managementUrl}\n    user: ${rmq.user}\n    password: env:RMQ_TEST_PASSWORD\n    interval: 1s\n    timeout: 10s\n${extra}`,
    'test.yaml',
  );
}

export function rabbitSource(config: Config, deps: SourceDeps): RabbitmqSource {
  return createRabbitmqSources(config, deps)[0] as RabbitmqSource;
}

export function cycle(deps: SourceDeps): CycleContext {
  return { signal: AbortSignal.timeout(10_000), clock: deps.clock, startedAt: deps.clock(), logger: deps.logger, span: (_n, fn) => fn() };
}

/** Every series of a family: labels and value. */
export async function series(registry: Registry, name: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const data = await metric.get();
  return data.values.map((v) => ({ labels: v.labels as Record<string, string>, value: v.value }));
}

/** Value of one series, undefined when absent. */
export async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  return (await series(registry, name)).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** The status whose series is 1. */
export async function statusOf(registry: Registry, queue: string): Promise<string | undefined> {
  return (await series(registry, 'cqrs_rabbitmq_queue_status')).find((s) => s.labels.queue === queue && s.value === 1)?.labels.status;
}

/** `until` of test/env/wait.ts, polling every 250 ms (a management API request per attempt). */
export const until = (what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> => untilTrue(what, fn, ms, 250);

import type { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema/index.js';
import type { SourceDeps } from '../../../src/sources/deps.js';
import type { CycleContext } from '../../../src/sources/source.js';
import { createRabbitmqSources, type RabbitmqSource } from '../../../src/sources/rabbitmq/index.js';
import type { RabbitHandle } from '../../env/rabbitmq.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

/** Polls `fn` until it returns true; fails with `what` after `ms`. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

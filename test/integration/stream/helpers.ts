import { Kafka, logLevel, type Message } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { clusterSchema } from '../../../src/config/schema/kafka.js';
import { streamSchema } from '../../../src/config/schema/streams.js';
import { kafkaDlqSchema } from '../../../src/config/schema/dlqs.js';
import type { SourceDeps } from '../../../src/sources/deps.js';
import type { CycleContext } from '../../../src/sources/source.js';
import { until as untilTrue } from '../../env/wait.js';

/** Deps with a fresh registry, a silent logger and the real clock. */
export function testDeps(): SourceDeps & { registry: Registry } {
  const registry = new Registry();
  return {
    registry,
    metrics: createMetrics(registry, { processMetrics: false }),
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    clock: () => Date.now(),
    board: new SliBoard(),
  };
}

export function cycle(deps: SourceDeps): CycleContext {
  return {
    signal: new AbortController().signal,
    clock: deps.clock,
    startedAt: deps.clock(),
    logger: deps.logger,
    span: (_name, fn) => fn(),
  };
}

export const cluster = (brokers: string[]) => clusterSchema.parse({ name: 'test', brokers, interval: '1s' });
export const stream = (input: Record<string, unknown>) => streamSchema.parse({ cluster: 'test', ...input });
/**
 * A Kafka DLQ of the tests, with a reader group of its own: the default (`cqrs-slo-dlq.<name>`)
 * is shared by every DLQ of one name on the suite's broker, and the compose workload's test has a
 * DLQ named like these (one run's reader got none of its topic's partitions while both ran).
 */
export const kafkaDlq = (input: Record<string, unknown>) =>
  kafkaDlqSchema.parse({ kind: 'kafka', cluster: 'test', interval: '1s', readerGroup: uniq('dlq-reader'), ...input });

/** Client settings of the stream tests' set-up (`useKit(brokers, STREAM_CLIENT)`): patient retries. */
export const STREAM_CLIENT = { clientId: 'stream-test', retry: { retries: 10, initialRetryTime: 200 } } as const;

export function testKafka(brokers: string[]): Kafka {
  return new Kafka({ ...STREAM_CLIENT, brokers, logLevel: logLevel.NOTHING });
}

/** Value of a counter or gauge series (0 when absent). */
export async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const data = await metric.get();
  const hit = data.values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val) && !('le' in v.labels));
  return hit?.value ?? 0;
}

/** `until` of test/env/wait.ts, with a minute by default. */
export const until = (what: string, fn: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> => untilTrue(what, fn, ms);

export const uniq = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

export function event(id: string, aggregateId: string, version: number, extra: Record<string, unknown> = {}): Message {
  return { key: aggregateId, value: JSON.stringify({ id, aggregateId, version, ...extra }) };
}

import type { TestProject } from 'vitest/node';
import { startKafka, DEFAULT_KAFKA_VERSION, type KafkaHandle } from './kafka.js';
import { startPostgres, type PostgresHandle } from './postgres.js';

/**
 * Starts the real parts the integration tests need, once per run, on free loopback ports.
 * CQRS_TEST_ENV limits what is started (comma list of `kafka`, `postgres`; default both).
 * In CI (CI=true) a part that cannot start fails the run; elsewhere its tests are skipped with
 * the reason.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wanted = new Set((process.env.CQRS_TEST_ENV ?? 'kafka,postgres').split(',').map((s) => s.trim()));
  const strict = process.env.CI === 'true';
  const stops: (() => Promise<void>)[] = [];

  async function attempt<T>(what: string, start: () => Promise<T>): Promise<T | { unavailable: string }> {
    try {
      return await start();
    } catch (err) {
      if (strict) throw new Error(`test environment: ${what} could not start: ${(err as Error).message}`, { cause: err });
      console.warn(`[test env] ${what} unavailable, its tests will be skipped: ${(err as Error).message}`);
      return { unavailable: (err as Error).message };
    }
  }

  if (wanted.has('kafka')) {
    const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
    const k = await attempt(`Kafka ${version}`, () => startKafka({ version }));
    if ('unavailable' in k) project.provide('kafka', { unavailable: k.unavailable, version, brokers: [] });
    else {
      stops.push(() => (k as KafkaHandle).stop());
      project.provide('kafka', { version, brokers: k.brokers });
    }
  } else project.provide('kafka', { unavailable: 'not requested (CQRS_TEST_ENV)', version: '', brokers: [] });

  if (wanted.has('postgres')) {
    const p = await attempt('PostgreSQL', () => startPostgres());
    if ('unavailable' in p) project.provide('postgres', { unavailable: p.unavailable, connectionString: '' });
    else {
      stops.push(() => (p as PostgresHandle).stop());
      project.provide('postgres', { connectionString: p.connectionString });
    }
  } else project.provide('postgres', { unavailable: 'not requested (CQRS_TEST_ENV)', connectionString: '' });

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.warn('[test env] stop failed', e));
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: { version: string; brokers: string[]; unavailable?: string };
    postgres: { connectionString: string; unavailable?: string };
  }
}

import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src/config/schema/index.js';
import { SliBoard } from '../../../../src/core/sli-board.js';
import { createMetrics } from '../../../../src/metrics/create-metrics.js';
import { createKafkaSources } from '../../../../src/sources/kafka/index.js';

describe('createKafkaSources', () => {
  it('builds one source per cluster, each on its own interval and timeout', async () => {
    const config = configSchema.parse({
      clusters: [
        { name: 'main', brokers: ['127.0.0.1:9092'], interval: '15s' },
        { name: 'audit', brokers: ['127.0.0.1:9093'], interval: '1m', timeout: '20s' },
      ],
    });
    const deps = {
      metrics: createMetrics(new Registry(), { processMetrics: false }),
      logger: pino({ level: 'silent' }),
      clock: () => 0,
      board: new SliBoard(),
    };
    const sources = createKafkaSources(config, deps);
    expect(sources.map((s) => [s.name, s.interval, s.timeout])).toEqual([
      ['kafka:main', 15, 15],
      ['kafka:audit', 60, 20],
    ]);
    await Promise.all(sources.map((s) => s.close()));
  });
});

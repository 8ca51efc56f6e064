import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../src/config/config-error.js';
import { parseConfig } from '../../../../../src/config/load.js';

const cluster = (sharding: string) => `clusters: [{name: main, brokers: ["127.0.0.1:9092"], sharding: ${sharding}}]`;

function messages(yaml: string): string {
  try {
    parseConfig(yaml, 'cfg.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('clusters[].sharding', () => {
  it('is off when absent; `{}` turns it on with the defaults', () => {
    expect(parseConfig('clusters: [{name: main, brokers: ["127.0.0.1:9092"]}]', 'cfg.yaml').clusters[0]!.sharding).toBeUndefined();
    expect(parseConfig(cluster('{}'), 'cfg.yaml').clusters[0]!.sharding).toEqual({ enabled: true, partitions: 60, sessionTimeout: 10 });
    expect(parseConfig(cluster('{sessionTimeout: 1500ms, partitions: 6, coordinationTopic: shards}'), 'cfg.yaml').clusters[0]!.sharding).toMatchObject({
      sessionTimeout: 1.5,
      partitions: 6,
      coordinationTopic: 'shards',
    });
  });

  it('names the field path of a bad value', () => {
    expect(messages(cluster('{partitions: 0}'))).toContain('clusters[0].sharding.partitions');
    expect(messages(cluster('{coordinationTopic: "a:b"}'))).toContain('clusters[0].sharding.coordinationTopic: must be a Kafka topic name');
    expect(messages(cluster('{sessionTimeout: 10}'))).toContain('clusters[0].sharding.sessionTimeout: must be a duration with a unit');
    expect(messages(cluster('{sessionTimout: 10s}'))).toContain('clusters[0].sharding');
  });
});

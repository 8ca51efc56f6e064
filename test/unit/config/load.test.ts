import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';

function errorOf(yaml: string): ConfigError {
  try {
    parseConfig(yaml, 'cfg.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const slo = (name: string, extra = '') => `{name: ${name}, objective: 99, sli: {kind: duplicates, stream: s}${extra}}`;
const cluster = (extra = '') => `{name: main, brokers: ["127.0.0.1:9092"]${extra}}`;
const store = (extra = '') => `{name: orders, preset: marten, connection: {host: 127.0.0.1}${extra}}`;

// Each bad configuration names the exact field path and what was expected.
const BAD: [string, string, string][] = [
  [
    'objective out of range',
    `slos: [${slo('a')}, ${slo('b')}, {name: c, objective: 150, sli: {kind: duplicates, stream: s}}]`,
    'slos[2].objective: must be between 0 and 100, got 150',
  ],
  ['objective zero', `slos: [{name: c, objective: 0, sli: {kind: duplicates, stream: s}}]`, 'slos[0].objective: must be between 0 and 100, got 0'],
  ['objective missing', `slos: [{name: a, sli: {kind: duplicates, stream: s}}]`, 'slos[0].objective: is required (expected a number)'],
  ['objective not a number', `slos: [{name: a, objective: high, sli: {kind: duplicates, stream: s}}]`, 'slos[0].objective: must be a number, got "high"'],
  ['unknown sli kind', `slos: [{name: a, objective: 99, sli: {kind: nope}}]`, 'slos[0].sli.kind: must be one of the known kinds'],
  ['bad slo period', `slos: [${slo('a', ', period: forever')}]`, 'slos[0].period: must be one of "month", or a duration like 30s, 5m or 30d, got "forever"'],
  ['duplicate slo name', `slos: [${slo('a')}, ${slo('a')}]`, 'slos[1].name: duplicate name "a"'],
  [
    'unknown tick policy not an option',
    `slos: [{name: f, objective: 99, unknown: good, sli: {kind: freshness, store: s, projection: p, threshold: 30s}}]`,
    'slos[0].unknown: must be one of "exclude", "bad", got "good"',
  ],
  ['unknown: bad on an event kind', `slos: [${slo('a', ', unknown: bad')}]`, 'slos[0].unknown: is only supported with sli.kind freshness'],
  [
    'duringRebuild on a consumer group',
    `slos: [{name: f, objective: 99, duringRebuild: count, sli: {kind: freshness, cluster: c, group: g, threshold: 30s}}]`,
    'slos[0].duringRebuild: is only supported with sli.kind freshness on a projection',
  ],
  ['port too large', 'server: {port: 70000}', 'server.port: must be at most 65535, got 70000'],
  ['port not a number', 'server: {port: "abc"}', 'server.port: must be a number, got "abc"'],
  ['server is a list', 'server: [1]', 'server: must be a mapping, got a list'],
  ['inline bearer token', 'server: {bearerToken: s3cr3t}', 'server.bearerToken: inline secrets are not accepted'],
  ['unset env secret', 'server: {bearerToken: "env:CQRS_SLO_TEST_UNSET"}', 'server.bearerToken: environment variable CQRS_SLO_TEST_UNSET is not set'],
  ['missing secret file', 'server: {bearerToken: "file:/nonexistent/token"}', 'server.bearerToken: cannot read secret file /nonexistent/token: ENOENT'],
  ['unknown top-level field', 'foo: 1', 'foo: is not a known field'],
  ['no brokers', 'clusters: [{name: a, brokers: []}]', 'clusters[0].brokers: must list at least one broker'],
  ['broker without port', 'clusters: [{name: a, brokers: ["nohost"]}]', 'clusters[0].brokers[0]: must be host:port'],
  ['bad interval', `clusters: [${cluster(', interval: "5x"')}]`, 'clusters[0].interval: must be a duration like 30s, 5m or 30d, got "5x"'],
  ['interval too short', `clusters: [${cluster(', interval: 100ms')}]`, 'clusters[0].interval: must be at least 1s, got "100ms"'],
  ['bad granularity', `clusters: [${cluster(', granularity: foo')}]`, 'clusters[0].granularity: must be one of "partition", "topic", "group", got "foo"'],
  ['unknown cluster field', `clusters: [${cluster(', bogus: 1')}]`, 'clusters[0].bogus: is not a known field'],
  [
    'negative allowed lag',
    `clusters: [${cluster(', groupOverrides: [{group: "^b", allowedLag: -5}]')}]`,
    'clusters[0].groupOverrides[0].allowedLag: must be a whole number of messages (0 or more) or a duration like 30s, got -5',
  ],
  [
    'bad allowed lag duration',
    `clusters: [${cluster(', allowedLag: "lots"')}]`,
    'clusters[0].allowedLag: must be a number of messages or a duration like 30s or 5m, got "lots"',
  ],
  [
    'bad override regex',
    `clusters: [${cluster(', groupOverrides: [{group: "(", allowedLag: 5}]')}]`,
    'clusters[0].groupOverrides[0].group: must be a valid regular expression, got "("',
  ],
  ['bad regex', `clusters: [${cluster(', groups: {include: ["("]}')}]`, 'clusters[0].groups.include[0]: must be a valid regular expression, got "("'],
  [
    'bad sasl mechanism',
    `clusters: [${cluster(', sasl: {mechanism: gssapi, username: u, password: "env:HOME"}')}]`,
    'clusters[0].sasl.mechanism: must be one of "plain", "scram-sha-256", "scram-sha-512", got "gssapi"',
  ],
  ['bad cluster name', 'clusters: [{name: "has space", brokers: ["h:1"]}]', 'clusters[0].name: must be 1-63 characters'],
  ['duplicate cluster', `clusters: [${cluster()}, ${cluster()}]`, 'clusters[1].name: duplicate name "main"'],
  ['store without connection', 'stores: [{name: s, preset: marten, connection: {}}]', 'stores[0].connection: needs connectionString, host or pglite'],
  [
    'unknown preset',
    'stores: [{name: s, preset: nope, connection: {host: h}}]',
    'stores[0].preset: must be one of "marten", "eventuous", "emmett", "axon", "generic", got "nope"',
  ],
  ['generic without sql', 'stores: [{name: s, preset: generic, connection: {host: h}}]', 'stores[0].generic: is required when preset is "generic"'],
  ['store pool too big', `stores: [${store(', poolSize: 50')}]`, 'stores[0].poolSize: must be at most 20, got 50'],
  ['stream unknown cluster', 'streams: [{name: s, cluster: zz, topics: [t], eventId: {header: id}}]', 'streams[0].cluster: no cluster named "zz"'],
  [
    'stream without topics',
    `clusters: [${cluster()}]\nstreams: [{name: s, cluster: main, topics: [], eventId: {header: id}}]`,
    'streams[0].topics: must have at least 1 item, got 0',
  ],
  ['sql stream unknown store', 'streams: [{kind: sql, name: s, store: nope}]', 'streams[0].store: no store named "nope"'],
  [
    'sql stream on a generic store without query',
    'stores: [{name: g, preset: generic, connection: {host: h}, generic: {head: a, checkpoint: b, eventTime: c}}]\nstreams: [{kind: sql, name: s, store: g}]',
    'streams[0].query: is required (or outbox)',
  ],
  [
    'sql stream with query and outbox',
    `stores: [${store()}]\nstreams: [{kind: sql, name: s, store: orders, query: q, outbox: {table: t, position: p, eventId: i}}]`,
    'streams[0].outbox: give query or outbox, not both',
  ],
  [
    'sql stream with Kafka fields',
    `stores: [${store()}]\nstreams: [{kind: sql, name: s, store: orders, topics: [t]}]`,
    'streams[0].topics: is not a known field',
  ],
  [
    'sql stream bad batch size',
    `stores: [${store()}]\nstreams: [{kind: sql, name: s, store: orders, batchSize: 0}]`,
    'streams[0].batchSize: must be at least 1, got 0',
  ],
  ['stream unknown kind', 'streams: [{kind: nats, name: s}]', 'streams[0].kind: must be one of the known kinds'],
  [
    'store on a stream without kind sql',
    `stores: [${store()}]\nstreams: [{name: s, store: orders}]`,
    'streams[0].store: is not a field of a Kafka stream: a stream read from a SQL store needs kind: sql',
  ],
  ['dlq unknown kind', 'dlqs: [{kind: bogus, name: d}]', 'dlqs[0].kind: must be one of the known kinds'],
  ['dlq unknown store', 'dlqs: [{kind: sql, name: d, store: nope}]', 'dlqs[0].store: no store named "nope"'],
  [
    'dlq on a store without dead letters',
    `stores: [${store()}]\ndlqs: [{kind: sql, name: d, store: orders}]`,
    'dlqs[0].store: store "orders" has no deadLetters table configured',
  ],
  ['bad log level', 'telemetry: {logLevel: loud}', 'telemetry.logLevel: must be one of'],
  ['bad otlp url', 'telemetry: {otlpEndpoint: "not a url"}', 'telemetry.otlpEndpoint:'],
  [
    'latency threshold between apply-latency buckets',
    `slos: [{name: a, objective: 99, sli: {kind: latency, histogram: cqrs_projection_apply_latency_seconds, threshold: 5500ms}}]`,
    'slos[0].sli.threshold: must equal a bucket bound of cqrs_projection_apply_latency_seconds (0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600 s), got 5.5 s',
  ],
  ['negative heap growth', 'runtime: {heapGrowthPercent: -1}', 'runtime.heapGrowthPercent:'],
  [
    'rabbitmq url with credentials',
    'rabbitmq: [{name: r, url: "http://u:p@rabbit:15672", user: u, password: "env:HOME"}]',
    'rabbitmq[0].url: must not carry credentials',
  ],
  [
    'rabbitmq url not http',
    'rabbitmq: [{name: r, url: "amqp://rabbit:5672", user: u, password: "env:HOME"}]',
    'rabbitmq[0].url: must be the http(s) URL of the management API',
  ],
  [
    'rabbitmq inline password',
    'rabbitmq: [{name: r, url: "http://rabbit:15672", user: u, password: guest}]',
    'rabbitmq[0].password: inline secrets are not accepted',
  ],
  [
    'rabbitmq bad dlq pattern',
    'rabbitmq: [{name: r, url: "http://rabbit:15672", user: u, password: "env:HOME", deadLetters: {queues: ["("]}}]',
    'rabbitmq[0].deadLetters.queues[0]: must be a valid regular expression',
  ],
  [
    'queue freshness on an unknown broker',
    `slos: [{name: f, objective: 99, sli: {kind: freshness, broker: zz, queue: q, threshold: 30s}}]`,
    'slos[0].sli.broker: no rabbitmq broker named "zz"',
  ],
  [
    'queue without broker',
    `slos: [{name: f, objective: 99, sli: {kind: freshness, queue: q, threshold: 30s}}]`,
    'slos[0].sli: needs either store and projection, or cluster and group (or broker and queue, for a RabbitMQ queue)',
  ],
  [
    'apply_latency on a queue',
    `slos: [{name: f, objective: 99, sli: {kind: apply_latency, broker: b, queue: q, threshold: 30s}}]`,
    'slos[0].sli.queue: a RabbitMQ queue supports sli.kind freshness only',
  ],
  [
    'delivery on an unknown broker',
    `slos: [{name: d, objective: 99, sli: {kind: delivery, broker: zz, queue: q}}]`,
    'slos[0].sli.broker: no rabbitmq broker named "zz"',
  ],
  [
    'delivery with both dlq and a queue',
    `slos: [{name: d, objective: 99, sli: {kind: delivery, dlq: x, broker: r, queue: q}}]`,
    'slos[0].sli: needs either dlq, or broker and queue (a RabbitMQ source queue)',
  ],
  [
    'delivery on a broker without a queue',
    `slos: [{name: d, objective: 99, sli: {kind: delivery, broker: r}}]`,
    'slos[0].sli: needs either dlq, or broker and queue (a RabbitMQ source queue)',
  ],
  [
    'delivery on a queue with a source',
    `slos: [{name: d, objective: 99, sli: {kind: delivery, broker: r, queue: q, source: s}}]`,
    'slos[0].sli.source: is only supported with dlq',
  ],
  [
    'delivery on a broker without dead-letter inflow',
    `rabbitmq: [{name: r, url: "http://rabbit:15672", user: u, password: "env:HOME"}]\nslos: [{name: d, objective: 99, sli: {kind: delivery, broker: r, queue: q}}]`,
    'slos[0].sli.broker: rabbitmq broker "r" needs deadLetters.inflow: true',
  ],
  [
    'delivery on a queue the broker does not watch',
    `rabbitmq: [{name: r, url: "http://rabbit:15672", user: u, password: "env:HOME", amqpUrl: "amqp://rabbit:5672", queues: {include: ["^pay"]}, deadLetters: {inflow: true}}]\nslos: [{name: d, objective: 99, sli: {kind: delivery, broker: r, queue: orders}}]`,
    'slos[0].sli.queue: queue "orders" is not watched by rabbitmq broker "r"',
  ],
];

describe('bad configurations name the field path and the expectation', () => {
  test.each(BAD)('%s', (_name, yaml, expected) => {
    const err = errorOf(yaml);
    expect(err.message).toContain(`cfg.yaml: ${expected}`);
  });

  test('there are at least 20 distinct cases', () => {
    expect(new Set(BAD.map((b) => b[2].split(':')[0])).size).toBeGreaterThanOrEqual(20);
  });

  test('all issues of a file are reported, not only the first', () => {
    const err = errorOf('server: {port: -1}\nfoo: 1');
    expect(err.issues.map((i) => i.path).sort()).toEqual(['foo', 'server.port']);
  });

  test('invalid YAML reports line and column', () => {
    expect(errorOf('a: [\n').message).toMatch(/cfg\.yaml: invalid YAML at line \d+ column \d+/);
  });

  test('a document that is not a mapping', () => {
    expect(errorOf('- 1').message).toBe('cfg.yaml: must be a mapping of sections (clusters, stores, slos, ...), got a list of 1 item');
  });

  test('an inline secret never appears in the error', () => {
    expect(errorOf('server: {bearerToken: hunter2}').message).not.toContain('hunter2');
  });

  test('a missing file names the file', () => {
    expect(() => loadConfig('/nonexistent/cfg.yaml')).toThrow('/nonexistent/cfg.yaml: cannot read file (ENOENT)');
  });
});

describe('valid configurations', () => {
  test('streams: the Kafka form unchanged (no kind) next to a SQL stream with its defaults', () => {
    const c = parseConfig(
      `clusters: [${cluster()}]\nstores: [${store()}]\nstreams:\n  - {name: k, cluster: main, topics: [t], eventId: {header: id}}\n  - {kind: sql, name: s, store: orders}`,
      'x.yaml',
    );
    expect(c.streams[0]).toMatchObject({ name: 'k', cluster: 'main', topics: ['t'], startFrom: 'end' });
    expect(c.streams[0]!.kind).toBeUndefined();
    expect(c.streams[1]).toEqual({
      kind: 'sql',
      name: 's',
      store: 'orders',
      startFrom: 'end',
      batchSize: 5000,
      maxRowsPerCycle: 50_000,
      settle: 5,
      dedupe: { maxIds: 1_000_000, window: 3600 },
      maxAggregates: 100_000,
    });
  });

  test('empty file gives defaults', () => {
    const c = parseConfig('', 'x.yaml');
    expect(c.server).toMatchObject({ port: 9464, address: '127.0.0.1' });
    expect(c.clusters).toEqual([]);
  });

  test('a latency SLO over the apply-latency histogram on a bucket bound, and over a foreign histogram anywhere', () => {
    const c = parseConfig(
      `slos:\n  - {name: a, objective: 99, sli: {kind: latency, histogram: cqrs_projection_apply_latency_seconds, threshold: 6s}}\n  - {name: b, objective: 99, sli: {kind: latency, histogram: http_request_duration_seconds, threshold: 333ms}}`,
      'cfg.yaml',
    );
    expect(c.slos.map((s) => (s.sli as { threshold: number }).threshold)).toEqual([6, 0.333]);
  });
  test('durations become seconds', () => {
    const c = parseConfig(`clusters: [${cluster(', interval: 1m30s, inactiveRetention: 2h')}]`, 'x.yaml');
    expect(c.clusters[0]!.interval).toBe(90);
    expect(c.clusters[0]!.inactiveRetention).toBe(7200);
  });

  test('secrets resolve from env and file and never print', () => {
    process.env.CQRS_SLO_TEST_TOKEN = 'tok-123';
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'pw'), 'pw-456\n');
    const c = parseConfig(
      `server: {bearerToken: "env:CQRS_SLO_TEST_TOKEN"}\nclusters: [${cluster(`, sasl: {mechanism: plain, username: u, password: "file:${join(dir, 'pw')}"}`)}]`,
      'x.yaml',
    );
    expect(c.server.bearerToken!.reveal()).toBe('tok-123');
    expect(c.clusters[0]!.sasl!.password.reveal()).toBe('pw-456');
    const printed = JSON.stringify(c) + String(c.server.bearerToken) + inspect(c, { depth: 10 });
    expect(printed).not.toContain('tok-123');
    expect(printed).not.toContain('pw-456');
  });
});

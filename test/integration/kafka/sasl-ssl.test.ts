import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';
import { createCa, issue, opensslDate, type TestCa } from '../../env/tls.js';
import { serviceRun, visibleText } from '../../helpers/service-run.js';
import { streamSchema } from '../../../src/config/schema/streams.js';
import { createKafkaClient } from '../../../src/sources/stream/kafka-client.js';
import { StreamSource } from '../../../src/sources/stream/stream-source.js';
import { clusterConfig, kit, makeSource, secretFile, seedTopic, sleep } from './helpers.js';

const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
// Skipped (with the environment's reason) where the shared broker could not start: the same Java and Maven are needed here.
const skip = !!inject('kafka').unavailable;

const USER = 'monitor';
const PASSWORD = 'Scram-Secret-5e1b-2026';
const WRONG_PASSWORD = 'Not-The-Secret-77aa';
const LAG = { cluster: 'test', group: 'billing', topic: 'orders', partition: '0' };

/**
 * Its own broker with two SASL_SSL listeners (SCRAM-SHA-512 over TLS, certificates from a CA
 * made here): `SASL_SSL` with a valid server certificate, `EXPIRED` with one whose validity
 * ended yesterday. The monitor reads it through the real cluster source and scheduler.
 */
describe.skipIf(skip)(`Kafka ${version}: SASL_SSL (SCRAM-SHA-512 over TLS)`, () => {
  let dir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let broker: KafkaHandle;
  const ref: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-kafka-sasl-'));
    ca = createCa(dir, 'test-ca');
    otherCa = createCa(dir, 'other-ca');
    const san = ['DNS:localhost', 'IP:127.0.0.1'];
    const server = issue(ca, dir, { cn: 'localhost', san, usage: 'server' });
    const expired = issue(ca, dir, { cn: 'localhost', san, usage: 'server', notBefore: opensslDate(-30), notAfter: opensslDate(-1) });
    broker = await startKafka({
      version,
      listeners: [
        { name: 'SASL_SSL', protocol: 'SASL_SSL', keystoreFile: server.keystoreFile },
        { name: 'EXPIRED', protocol: 'SASL_SSL', keystoreFile: expired.keystoreFile },
      ],
      scramUsers: [{ mechanism: 'SCRAM-SHA-512', name: USER, password: PASSWORD }],
    });
    await seedTopic(broker.brokers, { topic: 'orders', group: 'billing', messages: 10, committed: 4 });
    ref.password = secretFile(dir, 'password', PASSWORD);
    ref.wrongPassword = secretFile(dir, 'wrong-password', WRONG_PASSWORD);
  });

  afterAll(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The cluster as the YAML gives it: SCRAM-SHA-512 with the password by file: reference, TLS with the CA by reference. */
  function run(listener: string, opts: { password?: string; ca?: TestCa } = {}) {
    const cfg = clusterConfig(broker.listeners[listener]!, {
      interval: '5s',
      timeout: '20s',
      sasl: { mechanism: 'scram-sha-512', username: USER, password: opts.password ?? ref.password },
      tls: { ca: `file:${(opts.ca ?? ca).certFile}` },
    });
    return serviceRun((deps) => makeSource(cfg, deps));
  }

  /** One failing cycle: cqrs_source_up 0, no lag series, and neither password visible anywhere. */
  async function failing(listener: string, opts: { password?: string; ca?: TestCa }): Promise<{ message: string; reason: string }> {
    const r = run(listener, opts);
    try {
      const state = await r.cycle();
      expect(state.up).toBe(false);
      expect(await r.up()).toBe(0);
      expect(await r.value('cqrs_kafka_group_lag_messages', LAG)).toBeUndefined();
      const seen = await visibleText(r, state);
      expect(seen, 'the password is visible').not.toContain(PASSWORD);
      expect(seen, 'the wrong password is visible').not.toContain(WRONG_PASSWORD);
      return { message: state.lastError!.message, reason: state.lastError!.reason };
    } finally {
      await r.close();
    }
  }

  it('right password and CA: cqrs_source_up 1 and the real lag (6 messages)', async () => {
    const r = run('SASL_SSL');
    try {
      const state = await r.cycle();
      expect(state.lastError).toBeUndefined();
      expect(await r.up()).toBe(1);
      expect(await r.value('cqrs_kafka_group_lag_messages', LAG)).toBe(6);
      expect(await r.value('cqrs_kafka_partition_high_watermark', { cluster: 'test', topic: 'orders', partition: '0' })).toBe(10);
      expect(await visibleText(r, state)).not.toContain(PASSWORD);
    } finally {
      await r.close();
    }
  });

  it('the stream tail reads events over the same SASL_SSL settings', async () => {
    const cfg = clusterConfig(broker.listeners.SASL_SSL!, {
      sasl: { mechanism: 'scram-sha-512', username: USER, password: ref.password },
      tls: { ca: `file:${ca.certFile}` },
    });
    const stream = streamSchema.parse({ name: 'orders', cluster: 'test', topics: ['orders'], eventId: { jsonPath: '$.id' } });
    const r = serviceRun(
      (deps) => new StreamSource({ stream, cluster: cfg, kafka: createKafkaClient(cfg, { clientId: 'tail-test', logger: deps.logger }), deps }),
    );
    try {
      expect((await r.cycle()).up).toBe(true);
      const k = await kit(broker.brokers);
      try {
        await k.producer.send({ topic: 'orders', messages: ['e1', 'e2', 'e2'].map((id) => ({ value: JSON.stringify({ id }) })) });
      } finally {
        await k.close();
      }
      const observed = () => r.value('cqrs_events_observed_total', { stream: 'orders' });
      for (let end = Date.now() + 60_000; (await observed()) !== 3 && Date.now() < end; ) await sleep(200);
      expect(await observed()).toBe(3);
      expect(await r.value('cqrs_events_duplicate_total', { stream: 'orders' })).toBe(1);
      expect(r.logs()).not.toContain(PASSWORD);
    } finally {
      await r.close();
    }
  });

  it('wrong password: SCRAM authentication failed, reason auth', async () => {
    const { message, reason } = await failing('SASL_SSL', { password: ref.wrongPassword });
    expect(reason).toBe('auth');
    expect(message).toContain('kafka cluster test: ');
    expect(message).toContain('SASL SCRAM SHA512 authentication failed');
  });

  it('wrong CA: the server certificate is not trusted, reason tls', async () => {
    const { message, reason } = await failing('SASL_SSL', { ca: otherCa });
    expect(reason).toBe('tls');
    expect(message).toContain('TLS: the server certificate is not signed by a trusted CA (tls.ca)');
  });

  it('expired server certificate: "certificate has expired", reason tls', async () => {
    const { message, reason } = await failing('EXPIRED', {});
    expect(reason).toBe('tls');
    expect(message).toContain('TLS: the server certificate has expired');
    expect(message).toContain('certificate has expired');
  });
});

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';
import { createCa, issue, opensslDate, type Leaf, type TestCa } from '../../env/tls.js';
import { pemBody, serviceRun, visibleText } from '../../helpers/service-run.js';
import { clusterConfig, makeSource, secretFile, seedTopic } from './helpers.js';

const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
// Skipped (with the environment's reason) where the shared broker could not start: the same Java and Maven are needed here.
const skip = !!inject('kafka').unavailable;

const PASSPHRASE = 'Client-Key-Passphrase-3c9d';
const WRONG_PASSPHRASE = 'Not-The-Passphrase-1f20';
const LAG = { cluster: 'test', group: 'billing', topic: 'orders', partition: '0' };

/**
 * Its own broker with an SSL listener that requires a client certificate from the test CA
 * (`ssl.client.auth=required`). The monitor presents a certificate whose key is encrypted, with
 * the passphrase by reference, through the real cluster source and scheduler.
 */
describe.skipIf(skip)(`Kafka ${version}: mutual TLS (client certificate required)`, () => {
  let dir: string;
  let ca: TestCa;
  let broker: KafkaHandle;
  let client: Leaf;
  let strangerCa: TestCa;
  let stranger: Leaf;
  let expired: Leaf;
  const ref: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-kafka-mtls-'));
    ca = createCa(dir, 'test-ca');
    strangerCa = createCa(dir, 'stranger-ca');
    const server = issue(ca, dir, { cn: 'localhost', san: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
    client = issue(ca, dir, { cn: 'monitor', usage: 'client', passphrase: PASSPHRASE });
    // Same name, signed by a CA the broker does not trust.
    stranger = issue(strangerCa, dir, { cn: 'monitor', usage: 'client', passphrase: PASSPHRASE });
    expired = issue(ca, dir, { cn: 'monitor', usage: 'client', passphrase: PASSPHRASE, notBefore: opensslDate(-30), notAfter: opensslDate(-1) });
    broker = await startKafka({
      version,
      listeners: [{ name: 'MTLS', protocol: 'SSL', keystoreFile: server.keystoreFile, truststoreFile: ca.certFile, clientAuth: 'required' }],
    });
    await seedTopic(broker.brokers, { topic: 'orders', group: 'billing', messages: 10, committed: 3 });
    ref.passphrase = secretFile(dir, 'passphrase', PASSPHRASE);
    ref.wrongPassphrase = secretFile(dir, 'wrong-passphrase', WRONG_PASSPHRASE);
  });

  afterAll(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The cluster as the YAML gives it: CA, client certificate, key and passphrase by file: reference. */
  function run(opts: { leaf?: Leaf | null; passphrase?: string } = {}) {
    const leaf = opts.leaf === undefined ? client : opts.leaf;
    const tls: Record<string, string> = { ca: `file:${ca.certFile}` };
    if (leaf) Object.assign(tls, { cert: `file:${leaf.certFile}`, key: `file:${leaf.keyFile}`, passphrase: opts.passphrase ?? ref.passphrase });
    const cfg = clusterConfig(broker.listeners.MTLS!, { interval: '5s', timeout: '20s', tls });
    return serviceRun((deps) => makeSource(cfg, deps));
  }

  /** One failing cycle: cqrs_source_up 0, no lag series, no passphrase or key text anywhere. */
  async function failing(opts: { leaf?: Leaf | null; passphrase?: string }): Promise<{ message: string; reason: string }> {
    const r = run(opts);
    try {
      const state = await r.cycle();
      expect(state.up).toBe(false);
      expect(await r.up()).toBe(0);
      expect(await r.value('cqrs_kafka_group_lag_messages', LAG)).toBeUndefined();
      const seen = await visibleText(r, state);
      for (const s of [PASSPHRASE, WRONG_PASSPHRASE, ...pemBody(client.key), ...pemBody(stranger.key), ...pemBody(expired.key)])
        expect(seen, 'a secret is visible').not.toContain(s);
      return { message: state.lastError!.message, reason: state.lastError!.reason };
    } finally {
      await r.close();
    }
  }

  it('client certificate from the trusted CA: cqrs_source_up 1 and the real lag (7 messages)', async () => {
    const r = run();
    try {
      const state = await r.cycle();
      expect(state.lastError).toBeUndefined();
      expect(await r.up()).toBe(1);
      expect(await r.value('cqrs_kafka_group_lag_messages', LAG)).toBe(7);
      const seen = await visibleText(r, state);
      for (const s of [PASSPHRASE, ...pemBody(client.key)]) expect(seen).not.toContain(s);
    } finally {
      await r.close();
    }
  });

  it('wrong key passphrase: the client key cannot be decrypted, reason tls', async () => {
    const { message, reason } = await failing({ passphrase: ref.wrongPassphrase });
    expect(reason).toBe('tls');
    expect(message).toContain('TLS: the client key cannot be decrypted (tls.passphrase)');
  });

  // The broker answers each refusal with a TLS alert (bad certificate for none, certificate
  // unknown for untrusted and expired alike): the client learns it was refused, not why.
  const REFUSED = "TLS: the server rejected the client certificate or got none (tls.cert, tls.key; untrusted, expired or missing: the server's log says which)";

  it('no client certificate: refused (alert bad certificate), reason tls', async () => {
    const { message, reason } = await failing({ leaf: null });
    expect(reason).toBe('tls');
    expect(message).toContain(REFUSED);
    expect(message).toContain('alert bad certificate');
  });

  it('client certificate from a CA the broker does not trust: refused (alert certificate unknown), reason tls', async () => {
    const { message, reason } = await failing({ leaf: stranger });
    expect(reason).toBe('tls');
    expect(message).toContain(REFUSED);
    expect(message).toContain('alert certificate unknown');
  });

  it('expired client certificate: refused (alert certificate unknown), reason tls', async () => {
    expect(Date.parse(new X509Certificate(expired.cert).validTo)).toBeLessThan(Date.now());
    const { message, reason } = await failing({ leaf: expired });
    expect(reason).toBe('tls');
    expect(message).toContain(REFUSED);
    expect(message).toContain('alert certificate unknown');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../../src/config/schema/kafka.js';
import { kafkajsConnection } from '../../../../src/sources/kafka/kafkajs-options.js';

const base = { name: 'main', brokers: ['127.0.0.1:9092'] };

describe('kafkajsConnection', () => {
  it('plaintext by default, timeouts derived from the cycle timeout', () => {
    const c = kafkajsConnection(clusterSchema.parse({ ...base, interval: '20s' }));
    expect(c).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'cqrs-slo', connectionTimeout: 5000, requestTimeout: 10_000 });
  });
  it('bounds the request timeout to 1-30 s', () => {
    expect(kafkajsConnection(clusterSchema.parse({ ...base, interval: '1s' })).requestTimeout).toBe(1000);
    expect(kafkajsConnection(clusterSchema.parse({ ...base, interval: '10m' })).requestTimeout).toBe(30_000);
  });
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('maps SASL %s with the password from its reference', (mechanism) => {
    process.env.TEST_KAFKA_PASSWORD = 's3cret';
    const c = kafkajsConnection(clusterSchema.parse({ ...base, sasl: { mechanism, username: 'svc', password: 'env:TEST_KAFKA_PASSWORD' } }));
    expect(c.sasl).toEqual({ mechanism, username: 'svc', password: 's3cret' });
    expect(c.ssl).toBeUndefined();
  });
  it('TLS with system CAs is `ssl: true`', () => {
    expect(kafkajsConnection(clusterSchema.parse({ ...base, tls: {} })).ssl).toBe(true);
    expect(kafkajsConnection(clusterSchema.parse({ ...base, tls: { enabled: false } })).ssl).toBeUndefined();
  });
  it('TLS with CA, client certificate and key from files, SNI name and verification off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    for (const f of ['ca', 'cert', 'key']) writeFileSync(join(dir, f), `${f}-pem\n`);
    const c = kafkajsConnection(
      clusterSchema.parse({
        ...base,
        tls: {
          ca: `file:${join(dir, 'ca')}`,
          cert: `file:${join(dir, 'cert')}`,
          key: `file:${join(dir, 'key')}`,
          servername: 'kafka.internal',
          rejectUnauthorized: false,
        },
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: `file:${join(dir, 'key')}` },
      }),
    );
    expect(c.ssl).toEqual({ rejectUnauthorized: false, ca: ['ca-pem'], cert: 'cert-pem', key: 'key-pem', servername: 'kafka.internal' });
    expect(c.sasl?.mechanism).toBe('scram-sha-512');
  });
  it('an encrypted client key with its passphrase by reference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    for (const f of ['cert', 'key', 'pass']) writeFileSync(join(dir, f), `${f}-text\n`);
    const c = kafkajsConnection(
      clusterSchema.parse({ ...base, tls: { cert: `file:${join(dir, 'cert')}`, key: `file:${join(dir, 'key')}`, passphrase: `file:${join(dir, 'pass')}` } }),
    );
    expect(c.ssl).toEqual({ rejectUnauthorized: true, cert: 'cert-text', key: 'key-text', passphrase: 'pass-text' });
  });
  it('cert and key go together; a passphrase needs a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'f'), 'x');
    const f = `file:${join(dir, 'f')}`;
    const issues = (tls: Record<string, unknown>) => clusterSchema.safeParse({ ...base, tls }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ cert: f })).toEqual(['tls.key: cert and key go together']);
    expect(issues({ key: f })).toEqual(['tls.cert: cert and key go together']);
    expect(issues({ passphrase: f })).toEqual(['tls.passphrase: passphrase needs key']);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config/load.js';
import { ConfigError } from '../../../../src/config/config-error.js';
import { storeSchema } from '../../../../src/config/schema/stores.js';
import { pgSslOptions, pgTlsSecrets } from '../../../../src/sources/sql/pg-tls.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
const ref = (name: string, text: string): string => {
  writeFileSync(join(dir, name), `${text}\n`);
  return `file:${join(dir, name)}`;
};
const files = { ca: ref('ca', 'ca-pem'), cert: ref('cert', 'cert-pem'), key: ref('key', 'key-pem'), passphrase: ref('pass', 'p4ss') };
const connection = (extra: Record<string, unknown>) => storeSchema.parse({ name: 's', preset: 'marten', connection: { host: 'db', ...extra } }).connection;

function configError(yaml: string): string {
  try {
    parseConfig(yaml, 'cfg.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('pgSslOptions', () => {
  it('neither ssl nor tls: undefined (node-postgres follows the URL / PGSSLMODE); ssl: true/false as given', () => {
    expect(pgSslOptions(connection({}))).toBeUndefined();
    expect(pgSslOptions(connection({ ssl: true }))).toBe(true);
    expect(pgSslOptions(connection({ ssl: false }))).toBe(false);
  });

  it('mode defaults to verify-full: certificate and host name checked by Node (no checkServerIdentity override)', () => {
    const ssl = pgSslOptions(connection({ tls: { ca: files.ca } }));
    expect(ssl).toEqual({ rejectUnauthorized: true, ca: ['ca-pem'] });
  });

  it('verify-ca: chain checked, any host name', () => {
    const ssl = pgSslOptions(connection({ tls: { mode: 'verify-ca', ca: files.ca } }));
    if (typeof ssl !== 'object') throw new Error('expected options');
    expect(ssl.rejectUnauthorized).toBe(true);
    // Node's own check rejects a certificate for another name; the verify-ca one accepts it.
    const cert = { subject: { CN: 'other.example' }, subjectaltname: 'DNS:other.example' } as Parameters<typeof checkServerIdentity>[1];
    expect(checkServerIdentity('db', cert)).toBeInstanceOf(Error);
    expect(ssl.checkServerIdentity?.('db', cert)).toBeUndefined();
  });

  it('require: encrypted, nothing verified; disable: plaintext', () => {
    expect(pgSslOptions(connection({ tls: { mode: 'require' } }))).toEqual({ rejectUnauthorized: false });
    expect(pgSslOptions(connection({ tls: { mode: 'disable' } }))).toBe(false);
  });

  it('client certificate, key and passphrase from their references; key and passphrase are the secrets to scrub', () => {
    const c = connection({ tls: { ca: files.ca, cert: files.cert, key: files.key, passphrase: files.passphrase } });
    expect(pgSslOptions(c)).toEqual({ rejectUnauthorized: true, ca: ['ca-pem'], cert: 'cert-pem', key: 'key-pem', passphrase: 'p4ss' });
    expect(pgTlsSecrets(c)).toEqual(['key-pem', 'p4ss']);
    expect(pgTlsSecrets(connection({ ssl: true }))).toEqual([]);
  });

  it('references print as references, never as the PEM text', () => {
    const c = connection({ tls: { key: files.key, cert: files.cert } });
    expect(JSON.stringify(c)).not.toContain('key-pem');
    expect(JSON.stringify(c)).toContain(`[redacted ${files.key}]`);
  });
});

describe('connection.tls configuration errors name the field', () => {
  const store = (conn: string) => `stores: [{name: s, preset: marten, connection: {host: db, ${conn}}}]`;
  it.each([
    ['unknown mode', `tls: {mode: prefer}`, 'stores[0].connection.tls.mode: must be one of "disable", "require", "verify-ca", "verify-full", got "prefer"'],
    ['cert without key', `tls: {cert: "${files.cert}"}`, 'stores[0].connection.tls.key: cert and key go together'],
    ['key without cert', `tls: {key: "${files.key}"}`, 'stores[0].connection.tls.cert: cert and key go together'],
    ['passphrase without key', `tls: {passphrase: "${files.passphrase}"}`, 'stores[0].connection.tls.passphrase: passphrase needs key'],
    [
      'ca with require',
      `tls: {mode: require, ca: "${files.ca}"}`,
      'stores[0].connection.tls.ca: mode require does not verify the server: use verify-ca or verify-full with ca',
    ],
    ['ssl and tls', `ssl: true, tls: {}`, 'stores[0].connection.ssl: give ssl or tls, not both'],
    ['inline key', `tls: {cert: "${files.cert}", key: "-----BEGIN PRIVATE KEY-----"}`, 'stores[0].connection.tls.key: inline secrets are not accepted'],
    ['unreadable CA file', `tls: {ca: "file:/nonexistent/ca.pem"}`, 'stores[0].connection.tls.ca: cannot read secret file /nonexistent/ca.pem: ENOENT'],
  ])('%s', (_name, conn, expected) => {
    expect(configError(store(conn))).toContain(`cfg.yaml: ${expected}`);
  });

  it('a URL that sets sslmode as well as tls: one place for TLS', () => {
    process.env.CQRS_TEST_PG_URL_TLS = 'postgres://u:pw@db/x?sslmode=require&application_name=a';
    expect(configError(`stores: [{name: s, preset: marten, connection: {connectionString: "env:CQRS_TEST_PG_URL_TLS", tls: {}}}]`)).toContain(
      'cfg.yaml: stores[0].connection.tls: the connectionString also sets sslmode: set TLS in one place',
    );
  });
});

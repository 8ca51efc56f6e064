import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbUnavailable, startMariadb, type MariadbHandle } from '../../env/mariadb.js';
import { createCa, issue, type Leaf, type TestCa } from '../../env/tls.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { harness } from './helpers.js';
import { mariaStore } from './mariadb-helpers.js';

const unavailable = process.env.CI === 'true' ? undefined : mariadbUnavailable();
if (unavailable) console.warn(`[mariadb] skipped: ${unavailable}`);

const PASSPHRASE = 'key-Passphrase-5d1e';
const GENERIC = {
  head: `SELECT 1 AS position, now() AS timestamp`,
  checkpoint: `SELECT 1 AS position`,
  eventTime: `SELECT now() AS timestamp`,
};

/**
 * A MariaDB serving TLS with a certificate from a CA made here; the test user must use TLS
 * (REQUIRE SSL), a second user must present a client certificate (REQUIRE X509).
 */
describe.skipIf(!!unavailable)('MariaDB over TLS', () => {
  let dir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let client: Leaf;
  let m: MariadbHandle;
  const secrets: Record<string, string> = {};
  /** Puts a PEM or a passphrase in an env variable and returns its reference. */
  const ref = (name: string, value: string) => {
    const key = `CQRS_TEST_MARIA_TLS_${name}`;
    process.env[key] = value;
    secrets[key] = value;
    return `env:${key}`;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-maria-tls-'));
    ca = createCa(dir, 'test-ca');
    otherCa = createCa(dir, 'other-ca');
    const server = issue(ca, dir, { cn: 'localhost', san: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
    client = issue(ca, dir, { cn: 'monitor', usage: 'client', passphrase: PASSPHRASE });
    m = await startMariadb({ database: 'tls', settings: { 'ssl-cert': server.certFile, 'ssl-key': server.keyFile, 'ssl-ca': ca.certFile } });
    await m.exec(`ALTER USER '${m.user}'@'127.0.0.1' REQUIRE SSL;
      CREATE USER 'x509'@'127.0.0.1' IDENTIFIED BY '${m.password}' REQUIRE X509;
      GRANT SELECT ON tls.* TO 'x509'@'127.0.0.1';`);
  });
  afterAll(async () => {
    await m?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cycle = async (tls: Record<string, unknown> | undefined, user?: string) => {
    const h = harness(mariaStore(m, { preset: 'generic', generic: GENERIC }, { ...(tls ? { tls } : {}), ...(user ? { user } : {}) }));
    try {
      await h.cycle();
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(SourceError);
      return err as SourceError;
    } finally {
      await h.close();
    }
  };

  it('verify-full with the CA: reads; the server requires TLS of this user, so the session was encrypted', async () => {
    expect(await cycle({ mode: 'verify-full', ca: ref('CA', ca.cert) })).toBeUndefined();
  });

  it('without TLS: refused by the server (REQUIRE SSL), reason auth', async () => {
    const err = await cycle(undefined);
    expect(err?.reason).toBe('auth');
    expect(err?.message).toContain('Access denied');
  });

  it('certificate from another CA: reason tls, in words; require mode does not verify and reads', async () => {
    const err = await cycle({ mode: 'verify-ca', ca: ref('OTHER_CA', otherCa.cert) });
    console.info(`[mariadb-tls] other CA: ${err?.message}`);
    expect(err?.reason).toBe('tls');
    expect(err?.message).toContain('TLS: the server certificate is not signed by a trusted CA (tls.ca)');
    expect(await cycle({ mode: 'require' })).toBeUndefined();
  });

  it('client certificate (REQUIRE X509) with an encrypted key: reads; wrong passphrase: reason tls, passphrase never shown', async () => {
    const base = { mode: 'verify-full', ca: ref('CA2', ca.cert), cert: ref('CERT', client.cert), key: ref('KEY', client.key) };
    expect(await cycle({ ...base, passphrase: ref('PASS', PASSPHRASE) }, 'x509')).toBeUndefined();
    const err = await cycle({ ...base, passphrase: ref('BAD_PASS', 'wrong-Passphrase-00') }, 'x509');
    console.info(`[mariadb-tls] wrong passphrase: ${err?.message}`);
    expect(err?.reason).toBe('tls');
    expect(err?.message).toContain('TLS: the client key cannot be decrypted (tls.passphrase)');
    expect(err?.message).not.toContain('wrong-Passphrase-00');
    const noCert = await cycle({ mode: 'verify-full', ca: ref('CA3', ca.cert) }, 'x509');
    expect(noCert?.reason).toBe('auth');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeSchema } from '../../../src/config/schema/stores.js';
import { createSqlSource } from '../../../src/sources/sql/index.js';
import { startPostgres, type PostgresHandle } from '../../env/postgres.js';
import { createCa, issue, opensslDate, type Leaf, type TestCa } from '../../env/tls.js';
import { pemBody, serviceRun, visibleText, type ServiceRun } from '../../helpers/service-run.js';
import { exec, fixture, ts } from './helpers.js';

// Skipped where the shared PostgreSQL could not start: the same Debian binaries are needed here.
const skip = !!inject('postgres').unavailable;

const WRONG_PASSWORD = 'Wrong-Pa55word-7f3a';
const PASSPHRASE = 'key-Passphrase-91c2';
const L = { store: 'orders', projection: 'Trip:All' };

/**
 * A dedicated PostgreSQL that accepts TCP only over TLS (`hostssl` lines only in pg_hba.conf),
 * with a server certificate from a CA made here, read by the real store source under the real
 * scheduler with `tls.mode: verify-full`.
 */
describe.skipIf(skip)('PostgreSQL over TLS (hostssl only, verify-full)', () => {
  let dir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let server: Leaf;
  let pg: PostgresHandle;
  let client: Leaf;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-pg-tls-'));
    ca = createCa(dir, 'test-ca');
    otherCa = createCa(dir, 'other-ca');
    server = issue(ca, dir, { cn: 'localhost', san: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
    client = issue(ca, dir, { cn: 'monitor', usage: 'client', passphrase: PASSPHRASE });
    pg = await startPostgres({
      tls: {
        certFile: server.certFile,
        keyFile: server.keyFile,
        caFile: ca.certFile,
        // `monitor` logs in with its client certificate only; everyone else with a password, over TLS.
        hba: ['hostssl all monitor 127.0.0.1/32 cert', 'hostssl all all 127.0.0.1/32 scram-sha-256'],
      },
    });
    // The harness's own connection: TLS, certificate unchecked.
    const admin = `${pg.connectionString}?sslmode=no-verify`;
    await exec(admin, fixture('marten'));
    await exec(
      admin,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
       SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 't', $1::timestamptz + k * interval '1 second' FROM generate_series(1, 10) k`,
      [ts(0)],
    );
    await exec(admin, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 10, $1), ('Trip:All', 7, $1)`, [ts(7)]);
    await exec(admin, `CREATE ROLE monitor LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO monitor`);

    const put = (name: string, text: string): string => {
      const f = join(dir, name);
      writeFileSync(f, text, { mode: 0o600 });
      return `file:${f}`;
    };
    env.password = put('pg-password', pg.password);
    env.wrongPassword = put('pg-wrong-password', WRONG_PASSWORD);
    env.passphrase = put('key-passphrase', PASSPHRASE);
    env.wrongPassphrase = put('key-wrong-passphrase', 'not-the-passphrase-55');
  });

  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A store as the YAML would give it: host/port/user, secrets by file: reference. */
  function run(connection: Record<string, unknown>): ServiceRun {
    const store = storeSchema.parse({
      name: 'orders',
      preset: 'marten',
      statementTimeout: '3s',
      connection: { host: '127.0.0.1', port: pg.port, database: pg.database, user: 'postgres', password: env.password, ...connection },
    });
    return serviceRun((deps) => createSqlSource(store, deps));
  }

  const verifyFull = () => ({ mode: 'verify-full', ca: `file:${ca.certFile}` });

  /** Runs one cycle that must fail, and checks what every failure must show. */
  async function failing(connection: Record<string, unknown>, secrets: string[]): Promise<string> {
    const r = run(connection);
    try {
      const state = await r.cycle();
      expect(state.up).toBe(false);
      expect(await r.up()).toBe(0);
      // Never a made-up value: no lag series for a store that could not be read.
      expect(await r.value('cqrs_projection_lag_events', L)).toBeUndefined();
      const seen = await visibleText(r, state);
      for (const s of [...secrets, pg.password, PASSPHRASE, ...pemBody(client.key), ...pemBody(server.key)])
        expect(seen, 'a secret is visible').not.toContain(s);
      return state.lastError!.message;
    } finally {
      await r.close();
    }
  }

  it('verify-full with the right CA reads checkpoints: cqrs_source_up 1, lag 3 events', async () => {
    const r = run({ tls: verifyFull() });
    try {
      const state = await r.cycle();
      expect(state.lastError).toBeUndefined();
      expect(await r.up()).toBe(1);
      expect(await r.value('cqrs_projection_checkpoint_position', L)).toBe(7);
      expect(await r.value('cqrs_projection_lag_events', L)).toBe(3);
      expect(await visibleText(r, state)).not.toContain(pg.password);
    } finally {
      await r.close();
    }
  });

  it('the server refuses a connection without TLS (hostssl only)', async () => {
    const msg = await failing({ tls: { mode: 'disable' } }, []);
    expect(msg).toMatch(/no pg_hba\.conf entry for host "127\.0\.0\.1", user "postgres", database "cqrs_test", no encryption/);
  });

  it('mode require encrypts without verifying (reads with no CA); ssl: true verifies against the system CAs (refused)', async () => {
    const r = run({ tls: { mode: 'require' } });
    try {
      expect((await r.cycle()).up).toBe(true);
      expect(await r.value('cqrs_projection_lag_events', L)).toBe(3);
    } finally {
      await r.close();
    }
    const msg = await failing({ ssl: true }, []);
    expect(msg).toContain('TLS: the server certificate is not signed by a trusted CA (tls.ca)');
  });

  it('wrong password: "password authentication failed", reason auth, the password nowhere', async () => {
    const msg = await failing({ password: env.wrongPassword, tls: verifyFull() }, [WRONG_PASSWORD]);
    expect(msg).toContain('store "orders" (marten): query "connect" failed (auth)');
    expect(msg).toContain('password authentication failed for user "postgres"');
  });

  it('wrong CA: "not signed by a trusted CA", reason tls', async () => {
    const msg = await failing({ tls: { mode: 'verify-full', ca: `file:${otherCa.certFile}` } }, []);
    expect(msg).toContain('query "connect" failed (tls)');
    expect(msg).toMatch(/TLS: the server certificate is not signed by a trusted CA \(tls\.ca\): self-signed certificate in certificate chain/);
  });

  it('verify-full rejects a certificate naming another host; verify-ca accepts it', async () => {
    const elsewhere = issue(ca, dir, { cn: 'db.example.org', san: ['DNS:db.example.org'], usage: 'server' });
    await pg.setServerCertificate(elsewhere.certFile, elsewhere.keyFile);
    try {
      const msg = await failing({ tls: verifyFull() }, []);
      expect(msg).toMatch(
        /TLS: the server certificate does not name the host connected to: Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/,
      );
      const r = run({ tls: { mode: 'verify-ca', ca: `file:${ca.certFile}` } });
      try {
        expect((await r.cycle()).up).toBe(true);
        expect(await r.value('cqrs_projection_lag_events', L)).toBe(3);
      } finally {
        await r.close();
      }
    } finally {
      await pg.setServerCertificate(server.certFile, server.keyFile);
    }
  });

  it('expired server certificate: "certificate has expired", cqrs_source_up 0', async () => {
    const expired = issue(ca, dir, {
      cn: 'localhost',
      san: ['DNS:localhost', 'IP:127.0.0.1'],
      usage: 'server',
      notBefore: opensslDate(-30),
      notAfter: opensslDate(-1),
    });
    await pg.setServerCertificate(expired.certFile, expired.keyFile);
    try {
      const msg = await failing({ tls: verifyFull() }, []);
      expect(msg).toContain('TLS: the server certificate has expired: certificate has expired');
    } finally {
      await pg.setServerCertificate(server.certFile, server.keyFile);
    }
  });

  it('client certificate with an encrypted key (pg_hba `cert`): reads checkpoints; a wrong passphrase fails clearly', async () => {
    const tls = { ...verifyFull(), cert: `file:${client.certFile}`, key: `file:${client.keyFile}` };
    const r = run({ user: 'monitor', password: undefined, tls: { ...tls, passphrase: env.passphrase } });
    try {
      const state = await r.cycle();
      expect(state.lastError).toBeUndefined();
      expect(await r.up()).toBe(1);
      expect(await r.value('cqrs_projection_lag_events', L)).toBe(3);
      const seen = await visibleText(r, state);
      for (const s of [PASSPHRASE, ...pemBody(client.key)]) expect(seen).not.toContain(s);
    } finally {
      await r.close();
    }
    const msg = await failing({ user: 'monitor', password: undefined, tls: { ...tls, passphrase: env.wrongPassphrase } }, ['not-the-passphrase-55']);
    expect(msg).toContain('TLS: the client key cannot be decrypted (tls.passphrase)');
  });
});

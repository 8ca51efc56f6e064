import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeSchema } from '../../../../src/config/schema/stores.js';
import { pgConnectionOptions } from '../../../../src/sources/sql/pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-connection-'));
writeFileSync(join(dir, 'pw'), 's3cret\n');
writeFileSync(join(dir, 'url'), 'postgres://u@db/app\n');
const connection = (c: Record<string, unknown>) => storeSchema.parse({ name: 's', preset: 'marten', connection: c }).connection;

describe('pgConnectionOptions', () => {
  it('passes only the settings the store has', () => {
    expect(pgConnectionOptions(connection({ host: 'db' }))).toEqual({ host: 'db' });
  });

  it('reveals the password and URL references, and maps tls to node-postgres ssl', () => {
    const o = pgConnectionOptions(
      connection({ host: 'db', port: 5433, database: 'app', user: 'u', password: `file:${join(dir, 'pw')}`, tls: { mode: 'require' } }),
    );
    expect(o).toEqual({ host: 'db', port: 5433, database: 'app', user: 'u', password: 's3cret', ssl: { rejectUnauthorized: false } });
  });

  it('takes the connection string from its reference, and ssl: false as plaintext', () => {
    const o = pgConnectionOptions(connection({ connectionString: `file:${join(dir, 'url')}`, ssl: false }));
    expect(o).toEqual({ connectionString: 'postgres://u@db/app', ssl: false });
  });
});

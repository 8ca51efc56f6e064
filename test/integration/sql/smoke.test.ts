import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';

const env = inject('postgres');

describe.skipIf(!!env.unavailable)('PostgreSQL test environment', () => {
  it('runs a query on the real server over loopback', async () => {
    const client = new pg.Client({ connectionString: env.connectionString });
    await client.connect();
    try {
      const r = await client.query<{ one: number; version: string; addr: string }>(
        "select 1 as one, current_setting('server_version') as version, inet_server_addr()::text as addr",
      );
      expect(r.rows[0]?.one).toBe(1);
      expect(r.rows[0]?.version).toMatch(/^\d+/);
      expect(r.rows[0]?.addr).toMatch(/^127\.0\.0\.1/);
    } finally {
      await client.end();
    }
  });
});

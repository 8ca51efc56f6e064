// Writes assets/demo-pgdata.tgz: an empty PostgreSQL data directory made by the installed PGlite
// (initdb), which the embedded demo loads instead of running initdb at every start. initdb in
// PGlite runs a second PostgreSQL instance next to the first, which doubles the start-up memory
// (docs/performance.md, "The demo's memory"). Re-run after upgrading @electric-sql/pglite:
//   node scripts/demo-pgdata.mjs
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, writeFileSync } from 'node:fs';

const db = await PGlite.create('memory://');
const version = (await db.query('SHOW server_version')).rows[0].server_version;
const file = await db.dumpDataDir('gzip');
await db.close();
mkdirSync('assets', { recursive: true });
const bytes = Buffer.from(await file.arrayBuffer());
writeFileSync('assets/demo-pgdata.tgz', bytes);
console.log(`assets/demo-pgdata.tgz: ${bytes.length} bytes, PostgreSQL ${version}`);

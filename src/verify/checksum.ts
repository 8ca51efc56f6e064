import { storeDialect, type StoreConfig } from '../config/schema/stores.js';
import type { Seconds } from '../core/units.js';
import type { Db } from '../sources/sql/db.js';
import { storeError } from '../sources/sql/errors.js';
import { dbFor, storeSecrets } from '../sources/sql/index.js';
import { mysqlStoreParts } from '../sources/sql/mysql/index.js';
import type { SourceDeps } from '../sources/deps.js';
import type { Reading } from './watch.js';

/**
 * Runs the user's checksum query on a store, in the READ ONLY transaction every store read
 * uses (the check can never write to the read model), and returns the first column of the
 * first row as text. Errors are the store's, with its secrets scrubbed.
 */
export class ChecksumReader {
  readonly #db: Db;
  constructor(
    private readonly store: StoreConfig,
    deps: SourceDeps,
  ) {
    this.#db = storeDialect(store.connection) === 'mysql' ? mysqlStoreParts(store, deps.logger).db : dbFor(store, deps, {});
  }

  async read(sql: string, timeout: Seconds): Promise<Reading<string>> {
    try {
      const r = await this.#db.readOnly(timeout * 1000, (q) => q('checksum', sql));
      const row = r.rows[0];
      const col = r.fields[0];
      if (!row || col === undefined) return { ok: false, error: 'the checksum query returned no row' };
      const v = row[col];
      if (v === null || v === undefined) return { ok: false, error: 'the checksum query returned NULL' };
      return { ok: true, value: v instanceof Buffer ? v.toString('hex') : typeof v === 'object' ? JSON.stringify(v) : String(v) };
    } catch (err) {
      return { ok: false, error: storeError(this.store.name, this.store.preset, err, storeSecrets(this.store)).message };
    }
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

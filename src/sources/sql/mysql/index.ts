import type { Logger } from 'pino';
import type { StoreConfig } from '../../../config/schema/stores.js';
import type { Db } from '../db.js';
import { DeadLetterReader, deadLetterSpec } from '../dead-letters.js';
import { mysqlDialect } from '../dialect.js';
import { GenericReader } from '../generic-reader.js';
import type { StoreReader } from '../reader.js';
import { axonMysqlPreset } from './axon.js';
import { createMysqlDb } from './mysql-db.js';
import { MysqlTableReader } from './table-reader.js';

/** The parts of a MySQL/MariaDB store: its pool, its reader and its dead-letter reader. */
export function mysqlStoreParts(store: StoreConfig, logger: Logger): { db: Db; reader: StoreReader; deadLetters: DeadLetterReader | undefined } {
  let reader: StoreReader;
  if (store.preset === 'generic') {
    if (!store.generic) throw new Error(`store "${store.name}": preset generic needs the generic SQL`);
    reader = new GenericReader(store.generic, mysqlDialect);
  } else if (store.preset === 'axon') {
    reader = new MysqlTableReader(axonMysqlPreset(store.schema), store.schema);
  } else {
    throw new Error(`store "${store.name}": preset ${store.preset} is not available on mysql`);
  }
  const dl = store.deadLetters;
  // deadLetterSpec qualifies names with double quotes: identifiers under ANSI_QUOTES.
  const deadLetters = dl ? new DeadLetterReader(deadLetterSpec(dl, store.schema), dl.maxReasons, mysqlDialect) : undefined;
  return { db: createMysqlDb(store, logger), reader, deadLetters };
}

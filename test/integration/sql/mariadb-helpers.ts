import { storeSchema, type StoreConfig } from '../../../src/config/schema/stores.js';
import type { MariadbHandle } from '../../env/mariadb.js';
import { at } from './helpers.js';

let seq = 0;

/** A MySQL store config through the real schema; the password goes in by env reference like in production. */
export function mariaStore(m: MariadbHandle, raw: Record<string, unknown>, connection: Record<string, unknown> = {}): StoreConfig {
  const env = `CQRS_TEST_MARIA_${process.pid}_${++seq}`;
  process.env[env] = m.password;
  return storeSchema.parse({
    name: 'orders',
    interval: '15s',
    ...raw,
    connection: { dialect: 'mysql', host: m.host, port: m.port, user: m.user, password: `env:${env}`, database: m.database, ...connection },
  });
}

/** DATETIME(3) literal (UTC) for T0 + s seconds. */
export const dt = (seconds: number) => new Date(at(seconds)).toISOString().replace('T', ' ').replace('Z', '');

/** Axon's time_stamp text (Instant.toString) for T0 + s seconds. */
export const iso = (seconds: number) => new Date(at(seconds)).toISOString();

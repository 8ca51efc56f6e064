import { epochMs as pgEpochMs } from './presets/preset.js';

/**
 * The few SQL expressions that differ between PostgreSQL and MySQL/MariaDB in the statements
 * shared by both (the generic preset's wrapper, dead-letter tables). Identifiers are written
 * with double quotes in both: MySQL sessions run with ANSI_QUOTES (see mysql/mysql-db.ts).
 */
export interface SqlDialect {
  readonly name: 'postgres' | 'mysql';
  /** An expression as text (ids, positions: exact whatever their type). */
  text(expr: string): string;
  /** Epoch milliseconds of a timestamp expression, as a number. */
  epochMs(expr: string): string;
  /** A timestamp from epoch milliseconds (a placeholder such as `$1`). */
  fromEpochMs(param: string): string;
}

export const pgDialect: SqlDialect = {
  name: 'postgres',
  text: (e) => `(${e})::text`,
  epochMs: pgEpochMs,
  fromEpochMs: (p) => `to_timestamp(${p}::float8 / 1000)`,
};

/**
 * MySQL/MariaDB. Sessions use time_zone +00:00, so DATETIME columns are read as UTC (like
 * PostgreSQL's `timestamp` in UTC) and TIMESTAMP columns convert exactly.
 */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  text: (e) => `CAST(${e} AS CHAR)`,
  epochMs: (e) => `(UNIX_TIMESTAMP(${e}) * 1000)`,
  fromEpochMs: (p) => `FROM_UNIXTIME(${p} / 1000)`,
};

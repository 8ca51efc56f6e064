import type { SourceErrorReason } from '../../source-error.js';

/**
 * MySQL/MariaDB server error numbers by meaning (MariaDB's error reference; MySQL shares the
 * numbers below 2000 and its own 3024 for max_execution_time).
 */
const AUTH = new Set([1044, 1045, 1698, 1251, 1862]); // access denied (db, user), auth plugin, expired password
const TIMEOUT = new Set([1969, 3024, 1205]); // max_statement_time, max_execution_time, lock wait timeout
const UNREACHABLE = new Set([1040, 1053, 1077, 1927, 2002, 2003, 2006, 2013, 4031]); // too many connections, shutdown, killed, gone away, lost
const MISSING = new Set([1146, 1051]); // no such table
const CONFIG = new Set([1049]); // unknown database

/** mysql2 client-side codes (no server error number). */
const CLIENT: Record<string, SourceErrorReason> = {
  PROTOCOL_SEQUENCE_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  PROTOCOL_CONNECTION_LOST: 'unreachable',
  HANDSHAKE_NO_SSL_SUPPORT: 'tls',
};

/** Classifies a mysql2 error into a bounded reason; undefined when it is no MySQL error. */
export function mysqlReason(err: unknown): SourceErrorReason | undefined {
  const e = err as { errno?: unknown; code?: unknown; sqlState?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code in CLIENT) return CLIENT[code];
  if (typeof e?.errno !== 'number' || typeof e?.sqlState !== 'string') return undefined;
  const n = e.errno;
  if (AUTH.has(n)) return 'auth';
  if (TIMEOUT.has(n)) return 'timeout';
  if (UNREACHABLE.has(n)) return 'unreachable';
  if (MISSING.has(n)) return 'missing_table';
  if (CONFIG.has(n)) return 'config';
  return 'query';
}

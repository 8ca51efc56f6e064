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
  HANDSHAKE_SSL_ERROR: 'tls',
};

/** Node's texts of certificate verification failures and their codes, most specific first. */
const VERIFY_TEXTS: [RegExp, string][] = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/unable to get issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/certificate signature failure/i, 'CERT_SIGNATURE_FAILURE'],
];

/**
 * mysql2 overwrites the code of a failed TLS handshake with HANDSHAKE_SSL_ERROR, losing Node's
 * verification code (CERT_HAS_EXPIRED, ...) that turns it into plain words (tls-error.ts). The
 * message is Node's own text: the code is recovered from it and attached as the error's cause.
 */
export function restoreTlsCode(err: unknown): void {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (e?.code !== 'HANDSHAKE_SSL_ERROR' || e.cause !== undefined || typeof e.message !== 'string') return;
  const hit = VERIFY_TEXTS.find(([re]) => re.test(e.message as string));
  if (hit) e.cause = { code: hit[1], message: e.message };
}

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

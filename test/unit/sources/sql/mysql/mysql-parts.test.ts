import { describe, expect, it } from 'vitest';
import { storeSchema } from '../../../../../src/config/schema/stores.js';
import { QueryFailure } from '../../../../../src/sources/sql/db.js';
import { sqlReason, storeError } from '../../../../../src/sources/sql/errors.js';
import { mysqlReason, restoreTlsCode } from '../../../../../src/sources/sql/mysql/errors.js';
import { parseMysqlUrl } from '../../../../../src/sources/sql/mysql/mysql-db.js';
import { mysqlSslOptions } from '../../../../../src/sources/sql/mysql/mysql-tls.js';
import { sampledPositions } from '../../../../../src/sources/sql/mysql/table-reader.js';

/** A mysql2 server error as the driver builds it (errno, code, sqlState). */
const serverError = (errno: number, code: string, sqlState: string, message: string) =>
  Object.assign(new Error(message), { errno, code, sqlState, fatal: false });

describe('mysqlReason', () => {
  it.each([
    [1045, 'ER_ACCESS_DENIED_ERROR', '28000', "Access denied for user 'app'@'localhost' (using password: YES)", 'auth'],
    [1044, 'ER_DBACCESS_DENIED_ERROR', '42000', "Access denied for user 'app'@'%' to database 'x'", 'auth'],
    [1969, 'ER_STATEMENT_TIMEOUT', '70100', 'Query execution was interrupted (max_statement_time exceeded)', 'timeout'],
    [3024, 'ER_QUERY_TIMEOUT', 'HY000', 'Query execution was interrupted, maximum statement execution time exceeded', 'timeout'],
    [1146, 'ER_NO_SUCH_TABLE', '42S02', "Table 'db.token_entry' doesn't exist", 'missing_table'],
    [1049, 'ER_BAD_DB_ERROR', '42000', "Unknown database 'nope'", 'config'],
    [1053, 'ER_SERVER_SHUTDOWN', '08S01', 'Server shutdown in progress', 'unreachable'],
    [1054, 'ER_BAD_FIELD_ERROR', '42S22', "Unknown column 'x'", 'query'],
  ])('%i %s -> %s', (errno, code, state, message, reason) => {
    expect(sqlReason(new QueryFailure('q', serverError(errno, code, state, message)))).toBe(reason);
  });
  it('client-side codes; other errors are not MySQL errors', () => {
    expect(mysqlReason(Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }))).toBe(
      'unreachable',
    );
    expect(mysqlReason(Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', fatal: true }))).toBe('timeout');
    expect(mysqlReason(Object.assign(new Error('Server does not support secure connection'), { code: 'HANDSHAKE_NO_SSL_SUPPORT', fatal: true }))).toBe('tls');
    expect(mysqlReason(Object.assign(new Error('certificate has expired'), { code: 'HANDSHAKE_SSL_ERROR', fatal: true }))).toBe('tls');
    expect(mysqlReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 }))).toBeUndefined();
    expect(sqlReason(new QueryFailure('connect', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', errno: -111 })))).toBe(
      'unreachable',
    );
  });
});

describe('restoreTlsCode', () => {
  it("recovers Node's verification code from the text mysql2 keeps, so the message says what it means", () => {
    const expired = Object.assign(new Error('certificate has expired'), { code: 'HANDSHAKE_SSL_ERROR' });
    restoreTlsCode(expired);
    expect(storeError('s', 'axon', new QueryFailure('connect', expired), []).message).toBe(
      'store "s" (axon): query "connect" failed (tls): TLS: the server certificate has expired: certificate has expired',
    );
    const chain = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'HANDSHAKE_SSL_ERROR' });
    restoreTlsCode(chain);
    expect(chain.cause).toEqual({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' });
    const other = Object.assign(new Error('something else'), { code: 'HANDSHAKE_SSL_ERROR' });
    restoreTlsCode(other);
    expect(other.cause).toBeUndefined();
  });
});

describe('mysql connection', () => {
  const conn = (connection: Record<string, unknown>) =>
    storeSchema.parse({ name: 's', preset: 'axon', connection: { dialect: 'mysql', host: 'db', ...connection } }).connection;

  it('tls modes map to rejectUnauthorized / verifyIdentity', () => {
    expect(mysqlSslOptions(conn({}))).toBeUndefined();
    expect(mysqlSslOptions(conn({ ssl: true }))).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
    expect(mysqlSslOptions(conn({ tls: { mode: 'disable' } }))).toBeUndefined();
    expect(mysqlSslOptions(conn({ tls: { mode: 'require' } }))).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(mysqlSslOptions(conn({ tls: { mode: 'verify-ca' } }))).toEqual({ rejectUnauthorized: true, verifyIdentity: false });
    expect(mysqlSslOptions(conn({ tls: { mode: 'verify-full' } }))).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
  });

  it('parses mysql:// and mariadb:// URLs (percent-decoded)', () => {
    expect(parseMysqlUrl('mysql://app:p%40ss@db.example:3307/orders')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'orders',
    });
    expect(parseMysqlUrl('mariadb://[::1]/x')).toEqual({ host: '::1', database: 'x' });
  });
});

describe('sampledPositions (what generate_series picks on PostgreSQL)', () => {
  it('every stride-th position in (from, to], at most limit', () => {
    expect(sampledPositions({ projection: 'p', from: 12, to: 16, stride: 1, limit: 10 })).toEqual([13, 14, 15, 16]);
    expect(sampledPositions({ projection: 'p', from: 0, to: 100, stride: 25, limit: 10 })).toEqual([25, 50, 75, 100]);
    expect(sampledPositions({ projection: 'p', from: 0, to: 100, stride: 10, limit: 3 })).toEqual([10, 20, 30]);
    expect(sampledPositions({ projection: 'p', from: 5, to: 5, stride: 1, limit: 3 })).toEqual([]);
  });
});

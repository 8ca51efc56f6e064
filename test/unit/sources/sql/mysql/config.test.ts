import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../../../src/config/load.js';
import { storeDialect } from '../../../../../src/config/schema/stores.js';

process.env.CQRS_TEST_MYSQL_URL = 'mysql://app:pw@db:3306/orders';
process.env.CQRS_TEST_MYSQL_URL_PARAMS = 'mysql://app:pw@db:3306/orders?ssl=true';
process.env.CQRS_TEST_PG_URL = 'postgres://app:pw@db:5432/orders';

const message = (yaml: string): string => {
  try {
    parseConfig(yaml, 'cfg.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('config was accepted');
};

const GENERIC = `generic: {head: "SELECT 1 AS position, now() AS timestamp", checkpoint: "SELECT 1 AS position", eventTime: "SELECT now() AS timestamp"}`;

describe('MySQL/MariaDB store configuration', () => {
  test.each([
    [
      'a PostgreSQL-only preset',
      'stores: [{name: s, preset: marten, connection: {dialect: mysql, host: db}}]',
      'stores[0].preset: marten keeps its tables in PostgreSQL only; on mysql use axon or generic',
    ],
    [
      'pglite with mysql',
      'stores: [{name: s, preset: axon, connection: {dialect: mysql, pglite: "memory://"}}]',
      'stores[0].connection.pglite: pglite is PostgreSQL: not with dialect mysql',
    ],
    [
      'a postgres URL with dialect mysql',
      'stores: [{name: s, preset: axon, connection: {dialect: mysql, connectionString: "env:CQRS_TEST_PG_URL"}}]',
      'stores[0].connection.connectionString: with dialect mysql, must be a mysql:// or mariadb:// URL',
    ],
    [
      'a mysql URL with dialect postgres',
      'stores: [{name: s, preset: axon, connection: {dialect: postgres, connectionString: "env:CQRS_TEST_MYSQL_URL"}}]',
      'stores[0].connection.dialect: is postgres but the connectionString is a mysql URL',
    ],
    [
      'URL parameters',
      'stores: [{name: s, preset: axon, connection: {connectionString: "env:CQRS_TEST_MYSQL_URL_PARAMS"}}]',
      'stores[0].connection.connectionString: URL parameters (ssl) are not read on mysql',
    ],
    [
      'marten dead letters',
      'stores: [{name: s, preset: axon, connection: {dialect: mysql, host: db}, deadLetters: {preset: marten}}]',
      'stores[0].deadLetters.preset: marten dead letters are PostgreSQL only',
    ],
    [
      'dead-letter table without idColumn',
      'stores: [{name: s, preset: axon, connection: {dialect: mysql, host: db}, deadLetters: {table: dl, timeColumn: t}}]',
      'stores[0].deadLetters.idColumn: is required on mysql (there is no ctid)',
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(message(yaml)).toContain(`cfg.yaml: ${expected}`);
  });

  test('valid: dialect by field or by URL scheme; the password never in the parsed text', () => {
    const cfg = parseConfig(
      `stores:
  - {name: a, preset: axon, connection: {connectionString: "env:CQRS_TEST_MYSQL_URL"}, deadLetters: {preset: axon}}
  - {name: b, preset: generic, connection: {dialect: mysql, host: db, user: app, password: "env:CQRS_TEST_MYSQL_URL", tls: {mode: verify-ca}}, ${GENERIC}, deadLetters: {table: dl, idColumn: id, timeColumn: t}}
  - {name: c, preset: marten, connection: {connectionString: "env:CQRS_TEST_PG_URL"}}`,
      'cfg.yaml',
    );
    expect(cfg.stores.map((s) => storeDialect(s.connection))).toEqual(['mysql', 'mysql', 'postgres']);
  });
});

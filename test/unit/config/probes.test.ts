import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { referenceIssues } from '../../../src/config/references.js';

const STORES = `
stores:
  - { name: pg, preset: emmett, connection: { host: db, user: u, password: env:PROBE_TEST_PW } }
  - { name: lite, preset: emmett, connection: { pglite: "memory://" } }
`;

function issues(yaml: string): string[] {
  process.env.PROBE_TEST_PW = 'x';
  try {
    parseConfig(yaml, 'p.yaml');
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('probes config', () => {
  test('an HTTP probe with defaults', () => {
    const cfg = parseConfig(
      `probes:\n  - { name: orders, command: { http: { url: "http://app/orders", body: '{"id":"{{probeId}}"}' } }, query: { http: { url: "http://app/orders/{{probeId}}" }, condition: { jsonPath: $.id, equals: "{{probeId}}" } } }\n`,
      'p.yaml',
    );
    const p = cfg.probes[0]!;
    expect([p.interval, p.timeout, p.pollInterval, p.maxConcurrency, p.idPrefix]).toEqual([30, 30, 0.25, 1, 'cqrs-slo-probe']);
    expect(p.command.http?.method).toBe('POST');
    expect(p.query.http?.method).toBe('GET');
    expect(p.query.condition).toEqual({ status: 200, pendingStatus: [404], jsonPath: '$.id', equals: '{{probeId}}' });
  });

  test('each mistake is named by its field path', () => {
    const bad = `
probes:
  - { name: a, command: { http: { url: "http://app/x" }, sql: { statement: "select 1" } }, query: { http: { url: "ftp://app/{{probeID}}" } } }
  - { name: b, command: { sql: { statement: "insert into t values ('{{probeId}}')" } }, query: { sql: { statement: "select 1 from t where id = $2", params: ["{{probeId}}"] } } }
  - { name: c, command: { sql: { statement: "insert into t values ($1)", params: ["{{probeId}}"] } }, query: { http: { url: "http://app/" }, condition: { equals: x, status: 404 } } }
  - { name: d, pollInterval: 5s, timeout: 1s, command: { http: { url: "http://u:p@app/" } }, query: { http: { url: "http://app/" } } }
`;
    expect(issues(bad)).toEqual(
      expect.arrayContaining([
        'probes[0].command: needs exactly one of http or sql',
        'probes[0].query.http.url: only {{probeId}} can be filled in, got {{probeID}}',
        'probes[0].query.http.url: must be an http(s) URL, got "ftp://app/{{probeID}}"',
        'probes[1].command.sql.statement: must not contain {{...}}: pass the probe id as a bound parameter ($1) through params',
        'probes[1].query.sql.params: statement uses $2: needs 2 params, got 1',
        'probes[1].store: is required when a step is sql',
        'probes[2].query.condition.equals: needs jsonPath',
        'probes[2].query.condition.pendingStatus: must not contain status 404',
        'probes[3].command.http.url: must not carry credentials: use secretHeaders',
        'probes[3].pollInterval: must be at most the timeout (1 s), got "5s"',
      ]),
    );
  });

  test('sql steps run on a configured PostgreSQL store', () => {
    const step = 'command: { sql: { statement: "insert into t values ($1)", params: ["{{probeId}}"] } }, query: { http: { url: "http://app/" } }';
    expect(
      issues(`${STORES}\nprobes:\n  - { name: a, store: nope, ${step} }\n  - { name: b, store: lite, ${step} }\n  - { name: c, store: pg, ${step} }\n`),
    ).toEqual(['probes[0].store: no store named "nope"', 'probes[1].store: store "lite" is not a PostgreSQL server: sql probe steps run on PostgreSQL only']);
  });

  test('secret headers are references, never inline', () => {
    const yaml = (v: string) =>
      `probes:\n  - { name: a, command: { http: { url: "http://app/", secretHeaders: { Authorization: "${v}" } } }, query: { http: { url: "http://app/" } } }\n`;
    expect(issues(yaml('Bearer abc'))).toEqual([
      'probes[0].command.http.secretHeaders.Authorization: inline secrets are not accepted: give a reference env:NAME or file:/path',
    ]);
    process.env.PROBE_TEST_TOKEN = 'Bearer abc';
    const cfg = parseConfig(yaml('env:PROBE_TEST_TOKEN'), 'p.yaml');
    expect(JSON.stringify(cfg.probes[0]!.command.http!.secretHeaders)).toBe('{"Authorization":"[redacted env:PROBE_TEST_TOKEN]"}');
  });

  test('a read_after_write SLO names a configured probe (checked by run and validate)', () => {
    const cfg = parseConfig(`slos:\n  - { name: s, objective: 99, sli: { kind: read_after_write, probe: orders, threshold: 2s } }\n`, 'p.yaml');
    expect(referenceIssues(cfg)).toEqual([{ path: 'slos[0].sli.probe', message: 'no probe named "orders" in probes' }]);
  });
});

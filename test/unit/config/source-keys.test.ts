import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load.js';
import { sourceKeys } from '../../../src/config/source-keys.js';

const base = `clusters: [{name: k, brokers: ["h:1"]}, {name: k2, brokers: ["h:2"]}]
stores: [{name: s, preset: marten, connection: {host: h}}, {name: t, preset: marten, connection: {host: h}}]
streams: [{name: st, cluster: k, topics: [a], eventId: {header: id}}]
slos: [{name: o, objective: 99, sli: {kind: duplicates, stream: st}}]
`;

describe('sourceKeys: what a reload keeps', () => {
  test('an identical configuration keeps every source; a change rebuilds only what reads it', () => {
    const a = sourceKeys(parseConfig(base, 'x.yaml'));
    expect([...a.keys()].sort()).toEqual(['kafka:k', 'kafka:k2', 'slo:o', 'store:s', 'store:t', 'stream:st']);
    expect(sourceKeys(parseConfig(base, 'x.yaml'))).toEqual(a);

    const b = sourceKeys(parseConfig(base.replace('{name: k, brokers: ["h:1"]}', '{name: k, brokers: ["h:9"]}'), 'x.yaml'));
    const changed = [...a.keys()].filter((n) => a.get(n) !== b.get(n)).sort();
    // The stream reads its cluster's brokers; the other cluster, the stores and the SLOs do not.
    expect(changed).toEqual(['kafka:k', 'stream:st']);

    const c = sourceKeys(
      parseConfig(
        base.replace('{name: t, preset: marten, connection: {host: h}}', '{name: t, preset: marten, connection: {host: h}, interval: 30s}'),
        'x.yaml',
      ),
    );
    expect([...a.keys()].filter((n) => a.get(n) !== c.get(n))).toEqual(['store:t']);
  });

  test('a probe is rebuilt when it or the store its sql steps run on changes', () => {
    const probe = `probes: [{name: p, store: s, command: {sql: {statement: "insert into t values ($1)", params: ["{{probeId}}"]}}, query: {http: {url: "http://app/{{probeId}}"}}}]\n`;
    const a = sourceKeys(parseConfig(base + probe, 'x.yaml'));
    expect(a.has('probe:p')).toBe(true);
    const store = sourceKeys(
      parseConfig(base.replace('{name: s, preset: marten, connection: {host: h}}', '{name: s, preset: marten, connection: {host: h2}}') + probe, 'x.yaml'),
    );
    expect([...a.keys()].filter((n) => a.get(n) !== store.get(n)).sort()).toEqual(['probe:p', 'store:s']);
    const own = sourceKeys(parseConfig(base + probe.replace('name: p,', 'name: p, interval: 10s,'), 'x.yaml'));
    expect([...a.keys()].filter((n) => a.get(n) !== own.get(n))).toEqual(['probe:p']);
  });

  test('a rotated secret file changes the key of the source that uses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    writeFileSync(join(dir, 'pw'), 'one');
    const yaml = `stores: [{name: s, preset: marten, connection: {host: h, password: "file:${join(dir, 'pw')}"}}]`;
    const before = sourceKeys(parseConfig(yaml, 'x.yaml')).get('store:s');
    writeFileSync(join(dir, 'pw'), 'two');
    const after = sourceKeys(parseConfig(yaml, 'x.yaml')).get('store:s');
    expect(after).not.toBe(before);
    expect(after).not.toContain('two');
  });
});

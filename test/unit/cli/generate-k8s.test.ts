import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// The built CLI, as a user runs it (`npm test` builds first).
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
const SLOS = 'slos: [{name: a, objective: 99, sli: {kind: duplicates, stream: s}}]\n';
// Absolute link bases: generate refuses to write links that would not open from a pager.
const LINKS = ['--runbook-base-url', 'https://runbooks.example/docs', '--grafana-base-url', 'https://grafana.example'];

function tmp(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-slo-gen-'));
  writeFileSync(join(dir, 'c.yaml'), text);
  return { dir, file: join(dir, 'c.yaml') };
}

describe('cqrs-slo generate --format k8s', () => {
  test('--k8s-namespace, --k8s-name and --k8s-label set the PrometheusRule metadata', () => {
    const { dir, file } = tmp(SLOS);
    const r = cli(
      'generate',
      'alerts',
      '--config',
      file,
      '--out',
      dir,
      ...LINKS,
      '--format',
      'k8s',
      '--k8s-namespace',
      'obs',
      '--k8s-name',
      'orders',
      '--k8s-label',
      'release=kps',
      'team=orders',
    );
    expect(r.status, r.stderr).toBe(0);
    const docs = parseAllDocuments(readFileSync(join(dir, 'prometheus-rule.yaml'), 'utf8')).map(
      (d) => d.toJS() as { metadata: { name: string; namespace: string; labels: Record<string, string> } },
    );
    expect(docs.map((d) => d.metadata.name)).toEqual(['orders-slos', 'orders-operational']);
    for (const d of docs) {
      expect(d.metadata.namespace).toBe('obs');
      expect(d.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'cqrs-slo',
        'app.kubernetes.io/managed-by': 'cqrs-slo-generate',
        release: 'kps',
        team: 'orders',
      });
    }
  });

  test('without the flags: monitoring / cqrs-slo / prometheus=k8s role=alert-rules', () => {
    const { dir, file } = tmp(SLOS);
    expect(cli('generate', 'alerts', '--config', file, '--out', dir, ...LINKS, '--format', 'k8s').status).toBe(0);
    const first = parseAllDocuments(readFileSync(join(dir, 'prometheus-rule.yaml'), 'utf8'))[0]!.toJS() as {
      metadata: { name: string; namespace: string; labels: Record<string, string> };
    };
    expect(first.metadata).toMatchObject({ name: 'cqrs-slo-slos', namespace: 'monitoring', labels: { prometheus: 'k8s', role: 'alert-rules' } });
  });

  test('a bad label or name exits 2 naming the flag', () => {
    const { dir, file } = tmp(SLOS);
    const bad = cli('generate', 'alerts', '--config', file, '--out', dir, '--format', 'k8s', '--k8s-label', 'release');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--k8s-label must be key=value');
    const name = cli('generate', 'alerts', '--config', file, '--out', dir, '--format', 'k8s', '--k8s-name', 'Bad_Name');
    expect(name.status).toBe(2);
    expect(name.stderr).toContain('--k8s-name must be a DNS-1123 label');
  });
});

describe('cqrs-slo generate reads secret references without resolving them', () => {
  test('a service config whose secret file exists only in its container generates', () => {
    const { dir, file } = tmp(`stores: [{name: o, preset: emmett, connection: {host: db, password: "file:/run/secrets/nowhere"}}]\n${SLOS}`);
    const r = cli('generate', 'alerts', '--config', file, '--out', dir, ...LINKS);
    expect(r.status, r.stderr).toBe(0);
    // validate still resolves it.
    expect(cli('validate', '--config', file).status).toBe(2);
  });

  test('a misspelt top-level key still exits 2 (not an empty rule file)', () => {
    const { dir, file } = tmp(SLOS.replace('slos:', 'sloz:'));
    const r = cli('generate', 'alerts', '--config', file, '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: sloz: is not a known field`);
  });

  test('a bad SLO still exits 2 naming its field path', () => {
    const { dir, file } = tmp('slos: [{name: a, objective: 150, sli: {kind: duplicates, stream: s}}]\n');
    const r = cli('generate', 'alerts', '--config', file, '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: slos[0].objective: must be between 0 and 100, got 150`);
  });
});

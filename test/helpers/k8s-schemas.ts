import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * JSON schemas for kubeconform, built offline from Go modules on the module proxy (kubeconform
 * downloads its schemas from GitHub, which tests cannot reach): the Kubernetes OpenAPI v2 spec
 * of k8s.io/kubernetes (api/openapi-spec/swagger.json) for built-in kinds, and the CRDs of
 * github.com/prometheus-operator/prometheus-operator for ServiceMonitor and PrometheusRule.
 * Like kubeconform's `-strict` schemas: objects reject unknown fields, apiVersion and kind must
 * be the kind's own. File layout: <dir>/<kind>-<group>-<version>.json (lower-case kind; group `v1` for the core group).
 */
export const K8S_MODULE = 'k8s.io/kubernetes@v1.37.2';
export const PROMETHEUS_OPERATOR_MODULE = 'github.com/prometheus-operator/prometheus-operator@v0.85.0';

/** kubeconform -schema-location template for the files written by `writeSchemas`. */
export const schemaLocation = (dir: string) => `${dir}/{{ .ResourceKind }}-{{ .Group }}-{{ .ResourceAPIVersion }}.json`;

/** The directory of a Go module in the module cache (downloading it when needed), or undefined. */
export function goModuleDir(module: string): string | undefined {
  const r = spawnSync('go', ['mod', 'download', '-json', module], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (r.status !== 0) return undefined;
  const dir = (JSON.parse(r.stdout) as { Dir?: string }).Dir;
  return dir && existsSync(dir) ? dir : undefined;
}

type Schema = Record<string, unknown>;

/** Makes a schema strict and swaps the OpenAPI string forms of int-or-string and quantities. */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const s = node as Schema;
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') return { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'format' || k === 'description' || k.startsWith('x-kubernetes-')) continue;
    out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, strict(ps)])) : strict(v);
  }
  if (out.properties && out.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

function pinKind(schema: Schema, group: string, version: string, kind: string): Schema {
  const props = (schema.properties ?? {}) as Schema;
  return {
    ...schema,
    properties: { ...props, apiVersion: { type: 'string', enum: [group ? `${group}/${version}` : version] }, kind: { type: 'string', enum: [kind] } },
    required: [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind'])],
  };
}

/** Writes schemas for `kinds` (built-ins) and the Prometheus Operator CRDs into `dir`. Returns the file names. */
export function writeSchemas(dir: string, k8sDir: string, operatorDir: string, kinds: { group: string; version: string; kind: string }[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const swagger = JSON.parse(readFileSync(join(k8sDir, 'api/openapi-spec/swagger.json'), 'utf8')) as { definitions: Record<string, Schema> };
  const defs = strict(swagger.definitions) as Record<string, Schema>;
  // Quantities are written as numbers too (cpu: 1).
  defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
  for (const k of kinds) {
    const name = Object.entries(swagger.definitions).find(([, d]) =>
      ((d['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? []).some(
        (g) => g.group === k.group && g.version === k.version && g.kind === k.kind,
      ),
    )?.[0];
    if (!name) throw new Error(`no definition for ${k.group}/${k.version} ${k.kind} in ${K8S_MODULE}`);
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...pinKind(defs[name]!, k.group, k.version, k.kind), definitions: defs };
    // kubeconform's {{ .Group }} is the part of apiVersion before the slash: `v1` for the core group.
    const file = `${k.kind.toLowerCase()}-${k.group || k.version}-${k.version}.json`;
    writeFileSync(join(dir, file), JSON.stringify(schema));
    written.push(file);
  }
  for (const crdFile of ['servicemonitors-crd.json', 'prometheusrules-crd.json']) {
    const crd = JSON.parse(readFileSync(join(operatorDir, 'jsonnet/prometheus-operator', crdFile), 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
    };
    for (const v of crd.spec.versions) {
      // The CRD leaves metadata open; the API server checks it as an ObjectMeta, so do we.
      const root = pinKind(strict(v.schema.openAPIV3Schema) as Schema, crd.spec.group, v.name, crd.spec.names.kind);
      root.properties = { ...(root.properties as Schema), metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } };
      const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions: defs };
      const file = `${crd.spec.names.kind.toLowerCase()}-${crd.spec.group}-${v.name}.json`;
      writeFileSync(join(dir, file), JSON.stringify(schema));
      written.push(file);
    }
  }
  return written;
}

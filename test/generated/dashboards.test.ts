import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { dashboardExpressions, dashboardPanels, generateDashboards } from '../../src/generate/dashboards/index.js';
import { generate, type RuleFormat } from '../../src/generate/index.js';
import { exportedSeriesNames } from '../../src/metrics/catalog.js';

const ROOT = join(import.meta.dirname, '../..');
const config = loadConfig(join(ROOT, 'config/example.yaml'));
const FORMATS: RuleFormat[] = ['prometheus', 'sloth'];

const parsed = (format: RuleFormat) =>
  Object.fromEntries(generateDashboards(config, { format }).map((f) => [f.path, JSON.parse(f.text) as Record<string, unknown>]));

/** Names recorded by the rule files generated for the same config and format. */
function recordedNames(format: RuleFormat): Set<string> {
  const names = new Set<string>();
  for (const f of generate(config, 'alerts', { format })) {
    const doc = parse(f.text) as { groups?: { rules?: { record?: string }[] }[] } | null;
    for (const g of doc?.groups ?? []) for (const r of g.rules ?? []) if (r.record) names.add(r.record);
  }
  return names;
}

describe('dashboards/ is current with config/example.yaml', () => {
  const files = generateDashboards(config);
  test.each(files.map((f) => [f.path, f.text] as const))('%s has no difference (run `npm run generate` to update)', (path, text) => {
    expect(readFileSync(join(ROOT, 'dashboards', path), 'utf8')).toBe(text);
  });

  test('holds no stale dashboards', () => {
    expect(readdirSync(join(ROOT, 'dashboards')).sort()).toEqual(files.map((f) => f.path).sort());
  });
});

describe.each(FORMATS)('dashboards in %s format', (format) => {
  const all = parsed(format);

  test('every metric a query names is in the catalog or recorded by the rules of the same format', () => {
    const known = new Set([...exportedSeriesNames(), ...recordedNames(format)]);
    const unknown: string[] = [];
    for (const [file, d] of Object.entries(all)) {
      for (const expr of dashboardExpressions(d)) {
        // Metric names: cqrs_* and the recordings' level:metric:operation names.
        for (const m of expr.matchAll(/\b(?:cqrs_[a-zA-Z0-9_:]+|[a-z_]+:[a-zA-Z0-9_:]+)/g)) if (!known.has(m[0])) unknown.push(`${file}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test('Grafana dashboard schema basics', () => {
    for (const [file, d] of Object.entries(all)) {
      expect(d.schemaVersion, file).toBe(39);
      expect(typeof d.uid).toBe('string');
      expect(typeof d.title).toBe('string');
      const vars = (d.templating as { list: Record<string, unknown>[] }).list;
      expect(vars[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      for (const v of vars.slice(1)) {
        expect(v, `${file} ${String(v.name)}`).toMatchObject({ type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' }, refresh: 2 });
        for (const k of ['name', 'label', 'definition', 'current', 'options', 'hide', 'includeAll', 'multi'])
          expect(v, `${file} ${String(v.name)}.${k}`).toHaveProperty(k);
        expect(v.query).toMatchObject({ query: v.definition });
        expect(String(v.definition)).toMatch(/^label_values\(/);
        if (v.includeAll) expect(v.allValue).toBe('.*');
      }
      const panels = dashboardPanels(d);
      expect(new Set(panels.map((p) => p.id)).size, `${file} ids`).toBe(panels.length);
      for (const p of panels) {
        const g = p.gridPos as { x: number; y: number; w: number; h: number };
        expect(g.x + g.w, `${file} ${String(p.title)}`).toBeLessThanOrEqual(24);
        expect(g.w > 0 && g.h > 0 && g.x >= 0 && g.y >= 0).toBe(true);
        if (p.type === 'row') continue;
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        const targets = p.targets as { refId: string; expr: string }[];
        expect(targets.length, `${file} ${String(p.title)}`).toBeGreaterThan(0);
        expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
        for (const t of targets) expect(t.expr.length).toBeGreaterThan(0);
      }
    }
  });

  test('panels do not overlap (top level, and inside each collapsed row)', () => {
    for (const d of Object.values(all)) {
      const top = d.panels as { id: number; gridPos: { x: number; y: number; w: number; h: number }; panels?: (typeof top)[number][] }[];
      const groups = [top, ...top.filter((p) => p.panels?.length).map((p) => p.panels!)];
      for (const panels of groups)
        for (const a of panels)
          for (const b of panels) {
            if (a === b) continue;
            const overlap =
              a.gridPos.x < b.gridPos.x + b.gridPos.w &&
              b.gridPos.x < a.gridPos.x + a.gridPos.w &&
              a.gridPos.y < b.gridPos.y + b.gridPos.h &&
              b.gridPos.y < a.gridPos.y + a.gridPos.h;
            expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
          }
    }
  });

  test('the uids alert links point at', () => {
    expect(Object.values(all).map((d) => d.uid)).toEqual(['cqrs-slo-oncall', 'cqrs-slo-debug', 'cqrs-slo-executive']);
  });
});

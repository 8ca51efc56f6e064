import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { dashboardExpressions, dashboards, renderDashboard } from '../../src/generate/dashboards/index.js';
import { exportedSeriesNames } from '../../src/metrics/catalog.js';

const root = new URL('../../', import.meta.url).pathname;

/** Names recorded by the committed rule files (alerts/*.yml). */
function recordedNames(): Set<string> {
  const names = new Set<string>();
  if (!existsSync(`${root}alerts`)) return names;
  for (const f of readdirSync(`${root}alerts`)) {
    if (!/\.ya?ml$/.test(f) || f === 'alertmanager.yml') continue;
    const doc = parse(readFileSync(`${root}alerts/${f}`, 'utf8')) as { groups?: { rules?: { record?: string }[] }[] } | null;
    for (const g of doc?.groups ?? []) for (const r of g.rules ?? []) if (r.record) names.add(r.record);
  }
  return names;
}

describe('Grafana dashboards', () => {
  const all = dashboards();

  test.each(Object.keys(all))('%s is current', (file) => {
    expect(readFileSync(`${root}dashboards/${file}`, 'utf8')).toBe(renderDashboard(all[file]!));
  });

  test('every metric a panel names exists in the catalog or the generated recording rules', () => {
    const known = new Set([...exportedSeriesNames(), ...recordedNames()]);
    const unknown: string[] = [];
    for (const [file, d] of Object.entries(all)) {
      for (const expr of dashboardExpressions(d)) {
        for (const m of expr.matchAll(/\bcqrs_[a-zA-Z0-9_:]+/g)) if (!known.has(m[0])) unknown.push(`${file}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test('panel ids are unique and panels do not overlap', () => {
    for (const d of Object.values(all)) {
      const panels = d.panels as { id: number; gridPos: { x: number; y: number; w: number; h: number } }[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const a of panels)
        for (const b of panels) {
          if (a === b) continue;
          const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
        }
    }
  });
});

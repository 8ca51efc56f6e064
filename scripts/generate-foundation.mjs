// Writes the artifacts generated from code: config/schema.json, docs/metrics.md and the
// Grafana dashboards. Run after `npm run build` (the `generate` npm script does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderConfigJsonSchema } from '../dist/config/json-schema.js';
import { renderMetricsDoc } from '../dist/metrics/metrics-doc.js';
import { dashboards, renderDashboard } from '../dist/generate/dashboards/index.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('config/schema.json', root), renderConfigJsonSchema());
writeFileSync(new URL('docs/metrics.md', root), renderMetricsDoc());
mkdirSync(new URL('dashboards/', root), { recursive: true });
for (const [file, d] of Object.entries(dashboards())) writeFileSync(new URL(`dashboards/${file}`, root), renderDashboard(d));
console.log('wrote config/schema.json, docs/metrics.md, dashboards/*.json');

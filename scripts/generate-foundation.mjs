// Writes the artifacts generated from code alone: config/schema.json and docs/metrics.md.
// Run after `npm run build` (the `generate` npm script does both); the dashboards come from
// `cqrs-slo generate all --dashboards-out dashboards` like a user's.
import { writeFileSync } from 'node:fs';
import { renderConfigJsonSchema } from '../dist/config/json-schema.js';
import { renderMetricsDoc } from '../dist/metrics/metrics-doc.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('config/schema.json', root), renderConfigJsonSchema());
writeFileSync(new URL('docs/metrics.md', root), renderMetricsDoc());
console.log('wrote config/schema.json, docs/metrics.md');

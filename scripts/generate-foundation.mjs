// Writes the artifacts generated from code: config/schema.json and docs/metrics.md.
// Run after `npm run build` (the `generate` npm script does both).
import { writeFileSync } from 'node:fs';
import { renderConfigJsonSchema } from '../dist/config/json-schema.js';
import { renderMetricsDoc } from '../dist/metrics/metrics-doc.js';

writeFileSync(new URL('../config/schema.json', import.meta.url), renderConfigJsonSchema());
writeFileSync(new URL('../docs/metrics.md', import.meta.url), renderMetricsDoc());
console.log('wrote config/schema.json, docs/metrics.md');

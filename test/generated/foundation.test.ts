import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderConfigJsonSchema } from '../../src/config/json-schema.js';
import { renderMetricsDoc } from '../../src/metrics/metrics-doc.js';

// Committed artifacts must equal what the code generates; run `npm run generate` after changes.
const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

test('config/schema.json is current', () => {
  expect(read('config/schema.json')).toBe(renderConfigJsonSchema());
});

test('docs/metrics.md is current', () => {
  expect(read('docs/metrics.md')).toBe(renderMetricsDoc());
});

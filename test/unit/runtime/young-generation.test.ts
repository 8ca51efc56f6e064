import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { semiSpaceGrowthFlag } from '../../../src/runtime/young-generation.js';

/** Young-generation size (MB) of a fresh process that sets `flag` after start, then allocates. */
function youngGenerationMB(flag: string | undefined): number {
  const script = `
    const v8 = require('node:v8');
    if (${JSON.stringify(flag ?? '')}) v8.setFlagsFromString(${JSON.stringify(flag ?? '')});
    const keep = [];
    for (let i = 0; i < 2e6; i++) { const o = { a: i, b: [i] }; if (i % 64 === 0) keep.push(o); if (keep.length > 4096) keep.length = 0; }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

describe('semiSpaceGrowthFlag', () => {
  test('the V8 flag, none for 0', () => {
    expect(semiSpaceGrowthFlag(1)).toBe('--semi-space-growth-factor=1');
    expect(semiSpaceGrowthFlag(0)).toBeUndefined();
  });
  // A fresh process per case: the flag is process-wide and would change the test runner's heap.
  test('set after start-up, 1 keeps the young generation at its initial size; without it V8 grows it', () => {
    expect(youngGenerationMB(semiSpaceGrowthFlag(1))).toBeLessThanOrEqual(2);
    expect(youngGenerationMB(semiSpaceGrowthFlag(0))).toBeGreaterThan(2);
  });
});

import { describe, expect, it } from 'vitest';
import { readAfterWriteCounts } from '../../../../src/core/slo/index.js';
import type { ProbeOutcome } from '../../../../src/core/probe/outcome.js';

const visible = (seconds: number): ProbeOutcome => ({ result: 'visible', seconds });

describe('read_after_write counts', () => {
  it('good within the threshold (inclusive), bad later or timed out, unknown without a verdict', () => {
    const runs: ProbeOutcome[] = [
      visible(0.4),
      visible(2),
      visible(2.01),
      { result: 'timeout' },
      { result: 'command_failed' },
      { result: 'query_failed' },
      { result: 'query_failed' },
    ];
    // 2 good (0.4, 2), 2 bad (2.01, timeout) -> total 4; 3 without a verdict.
    expect(readAfterWriteCounts(runs, 2)).toEqual({ good: 2, total: 4, unknown: { reason: 'unreadable', count: 3 } });
  });

  it('no runs: nothing counted', () => {
    expect(readAfterWriteCounts([], 2)).toEqual({ good: 0, total: 0 });
  });

  it('only failed runs: unknown only, never bad', () => {
    expect(readAfterWriteCounts([{ result: 'command_failed' }], 2)).toEqual({ good: 0, total: 0, unknown: { reason: 'unreadable', count: 1 } });
  });
});

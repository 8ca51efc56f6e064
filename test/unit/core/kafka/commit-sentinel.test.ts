import { describe, expect, it } from 'vitest';
import { commitPosition, readCommitted } from '../../../../src/core/kafka/commit-sentinel.js';
import { redelivered } from '../../../../src/core/kafka/redelivery.js';
import { groupStatus } from '../../../../src/core/kafka/status.js';
import { offsetLag } from '../../../../src/core/kafka/offset-lag.js';
import { windowOf } from '../../../../src/core/kafka/sample-window.js';

const wm = { low: 10, high: 30 };

describe('commit sentinels', () => {
  it('-2 stands for the low watermark, -1 for the high watermark; other negatives are no commit', () => {
    expect(commitPosition(25, wm)).toEqual({ kind: 'offset', position: 25 });
    expect(commitPosition(-2, wm)).toEqual({ kind: 'earliest', position: 10 });
    expect(commitPosition(-1, wm)).toEqual({ kind: 'latest', position: 30 });
    expect(commitPosition(-3, wm)).toBeUndefined();
    expect(commitPosition(undefined, wm)).toBeUndefined();
    expect([readCommitted(0), readCommitted(-1), readCommitted(-2), readCommitted(-3)]).toEqual([0, -1, -2, undefined]);
  });
  it('a reset to earliest after a commit at 30 is a rewind re-delivering 30 - low (20)', () => {
    const pos = offsetLag(-2, wm).position;
    expect(redelivered(30, pos, wm.low)).toBe(20);
    // The window holds positions: 30, 30, then 10.
    const w = windowOf([
      { committed: 30, ...wm },
      { committed: 30, ...wm },
      { committed: pos, ...wm },
    ]);
    expect(groupStatus({ readable: true, members: 0, partitions: [w], totals: [] })).toBe('REWOUND');
  });
  it('a reset to latest after a commit at 25 moves forward: no rewind, nothing re-delivered, lag 0', () => {
    const pos = offsetLag(-1, wm).position;
    expect(redelivered(25, pos, wm.low)).toBe(0);
    expect(offsetLag(-1, wm).lag).toBe(0);
    const w = windowOf([
      { committed: 25, ...wm },
      { committed: pos, ...wm },
    ]);
    expect(groupStatus({ readable: true, members: 0, partitions: [w], totals: [] })).toBe('OK');
  });
});

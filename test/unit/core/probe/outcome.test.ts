import { describe, expect, test } from 'vitest';
import { afterPoll } from '../../../../src/core/probe/outcome.js';

// Command accepted at t = 10 000 ms; 5 s timeout; a query every 250 ms.
const plan = { ackAt: 10_000, timeout: 5, pollInterval: 0.25 };

describe('afterPoll', () => {
  test('a visible answer ends the run with the time since the command was accepted', () => {
    expect(afterPoll(plan, 'visible', 12_000, 12_030)).toEqual({ done: { result: 'visible', seconds: 2.03 } });
  });

  test('visible on the first query right after the command: 0.012 s', () => {
    expect(afterPoll(plan, 'visible', 10_001, 10_012)).toEqual({ done: { result: 'visible', seconds: 0.012 } });
  });

  test('not yet: the next query starts one poll interval after this one started', () => {
    // Started at 11 000, answered at 11 040: wait 210 ms, next start 11 250.
    expect(afterPoll(plan, 'pending', 11_000, 11_040)).toEqual({ waitMs: 210 });
  });

  test('a query slower than the poll interval: the next one starts at once', () => {
    expect(afterPoll(plan, 'pending', 11_000, 11_400)).toEqual({ waitMs: 0 });
  });

  test('the last query runs at the deadline, never after it', () => {
    // Deadline 15 000; a query started at 14 900 would be followed at 15 150: clamped to 15 000.
    expect(afterPoll(plan, 'pending', 14_900, 14_920)).toEqual({ waitMs: 80 });
  });

  test('not visible at the deadline: timeout (bad)', () => {
    expect(afterPoll(plan, 'pending', 15_000, 15_000)).toEqual({ done: { result: 'timeout' } });
    expect(afterPoll(plan, 'pending', 14_990, 15_200)).toEqual({ done: { result: 'timeout' } });
  });

  test('a failed query at the deadline: query_failed (no verdict), not timeout', () => {
    expect(afterPoll(plan, 'error', 14_990, 15_010)).toEqual({ done: { result: 'query_failed' } });
  });

  test('a failed query before the deadline is retried like a pending one', () => {
    expect(afterPoll(plan, 'error', 12_000, 12_100)).toEqual({ waitMs: 150 });
  });

  test('a visible answer after the deadline is visible with its latency (the histogram holds what was measured)', () => {
    expect(afterPoll(plan, 'visible', 14_990, 15_500)).toEqual({ done: { result: 'visible', seconds: 5.5 } });
  });
});

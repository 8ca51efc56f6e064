import { describe, expect, test } from 'vitest';
import { findIncidents, worstIncidents, type IncidentTier, type RatioPoint } from '../../../src/report/incidents.js';

// A 99 % SLO (budget 0.01) with two tiers: page when 1h and 5m ratios exceed 0.144 (14.4 x 0.01),
// ticket when 1d and 2h ratios exceed 0.03 (3 x 0.01). Steps of 60 s from t = 1000.
const tiers: IncidentTier[] = [
  { id: 'page_fast', severity: 'page', longWindow: 3600, shortWindow: 300, threshold: 0.144 },
  { id: 'ticket_fast', severity: 'ticket', longWindow: 86_400, shortWindow: 7200, threshold: 0.03 },
];
const step = 60;
const t0 = 1000;
/** A series on the step grid from values; `undefined` leaves the step out (no sample). */
const grid = (values: (number | undefined)[]): RatioPoint[] => values.flatMap((v, i) => (v === undefined ? [] : [[t0 + i * step, v] as const]));
const input = (s: Record<number, (number | undefined)[]>, end = t0 + 9 * step) => ({
  tiers,
  series: new Map(Object.entries(s).map(([w, v]) => [Number(w), grid(v)])),
  budget: 0.01,
  step,
  end,
});

describe('findIncidents', () => {
  test('adjacent burning steps merge; a step under the threshold ends the range', () => {
    const got = findIncidents(
      input({
        3600: [0, 0.2, 0.3, 0.2, 0.1, 0.2, 0, 0, 0, 0],
        300: [0, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0],
      }),
    );
    expect(got).toEqual([
      // steps 1..3 burn (0.2 > 0.144): [1060, 1240); peak 0.3 / 0.01 = 30
      { start: 1060, end: 1240, severity: 'page', tiers: ['page_fast'], peakBurnRate: 30, ongoing: false },
      // step 4: 0.1 < 0.144 ends it; step 5 alone
      { start: 1300, end: 1360, severity: 'page', tiers: ['page_fast'], peakBurnRate: 20, ongoing: false },
    ]);
  });

  test('both windows must exceed the threshold: a short spike alone is no incident', () => {
    const got = findIncidents(input({ 3600: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 300: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9] }));
    expect(got).toEqual([]);
  });

  test('a ticket burn that turns into a page is one incident of severity page, tiers in order', () => {
    const got = findIncidents(
      input({
        86400: [0.04, 0.04, 0.05, 0.05, 0.02, 0, 0, 0, 0, 0],
        7200: [0.04, 0.04, 0.05, 0.05, 0.05, 0, 0, 0, 0, 0],
        3600: [0, 0, 0.15, 0.15, 0, 0, 0, 0, 0, 0],
        300: [0, 0, 0.2, 0.2, 0, 0, 0, 0, 0, 0],
      }),
    );
    // page burn rate 0.15 / 0.01 = 15 beats the ticket's 0.05 / 0.01 = 5
    expect(got).toEqual([{ start: 1000, end: 1240, severity: 'page', tiers: ['page_fast', 'ticket_fast'], peakBurnRate: 15, ongoing: false }]);
  });

  test('a missing sample splits a range; NaN (no traffic) never burns', () => {
    const got = findIncidents(
      input({
        3600: [0.2, 0.2, undefined, 0.2, Number.NaN, 0.2, 0, 0, 0, 0],
        300: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0, 0],
      }),
    );
    expect(got.map((i) => [i.start, i.end])).toEqual([
      [1000, 1120],
      [1180, 1240],
      [1300, 1360],
    ]);
  });

  test('burning at the last step: ongoing, end clipped to the range end', () => {
    const got = findIncidents(input({ 3600: [0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5], 300: [0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5] }, t0 + 9 * step + 30));
    expect(got).toEqual([{ start: 1420, end: 1570, severity: 'page', tiers: ['page_fast'], peakBurnRate: 50, ongoing: true }]);
  });

  test('no series, no incidents', () => {
    expect(findIncidents(input({}))).toEqual([]);
  });
});

describe('worstIncidents', () => {
  const inc = (start: number, end: number, severity: 'page' | 'ticket', peakBurnRate: number) => ({
    start,
    end,
    severity,
    tiers: [],
    peakBurnRate,
    ongoing: false,
  });
  test('pages first, then peak burn rate, then duration, then start; limited', () => {
    const list = [inc(0, 60, 'ticket', 90), inc(100, 160, 'page', 20), inc(200, 500, 'page', 20), inc(600, 660, 'page', 40), inc(700, 1000, 'page', 20)];
    expect(worstIncidents(list, 4).map((i) => i.start)).toEqual([600, 200, 700, 100]);
    expect(worstIncidents(list, 0)).toEqual([]);
  });
});

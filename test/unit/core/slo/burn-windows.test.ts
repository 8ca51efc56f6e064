import { describe, expect, it } from 'vitest';
import {
  burnFactor,
  recordingWindows,
  resolveBurnTiers,
  UnreachableBurnTierError,
  InvalidBurnTierError,
  WindowTooShortError,
  minWindow,
  WORKBOOK_TIERS,
  calendarMonth,
} from '../../../../src/core/slo/index.js';

const DAY = 86_400;

describe('burnFactor', () => {
  it('derives the SRE workbook factors for 30 days', () => {
    expect(burnFactor(2, 30 * DAY, 3600)).toBeCloseTo(14.4, 10);
    expect(burnFactor(5, 30 * DAY, 6 * 3600)).toBeCloseTo(6, 10);
    expect(burnFactor(10, 30 * DAY, DAY)).toBeCloseTo(3, 10);
    expect(burnFactor(10, 30 * DAY, 3 * DAY)).toBeCloseTo(1, 10);
  });
  it('gives 13.44 for 2% of 28 days in one hour', () => {
    expect(burnFactor(2, 28 * DAY, 3600)).toBeCloseTo(13.44, 10);
  });
});

describe('resolveBurnTiers', () => {
  it('keeps the workbook windows, factors and thresholds for a 30-day 99.9% SLO', () => {
    const tiers = resolveBurnTiers(30 * DAY, 99.9);
    expect(tiers.map((t) => [t.id, t.severity, t.longWindow, t.shortWindow])).toEqual([
      ['page_fast', 'page', 3600, 300],
      ['page_slow', 'page', 21_600, 1800],
      ['ticket_fast', 'ticket', DAY, 7200],
      ['ticket_slow', 'ticket', 3 * DAY, 21_600],
    ]);
    const [a, b, c, d] = tiers;
    expect(a!.factor).toBeCloseTo(14.4, 10);
    expect(b!.factor).toBeCloseTo(6, 10);
    expect(c!.factor).toBeCloseTo(3, 10);
    expect(d!.factor).toBeCloseTo(1, 10);
    expect(a!.threshold).toBeCloseTo(0.0144, 12);
    expect(d!.threshold).toBeCloseTo(0.001, 12);
    expect(tiers.map((t) => t.for)).toEqual([120, 720, 2880, 8640]);
  });
  it('scales windows with the period and keeps the factors', () => {
    const tiers = resolveBurnTiers(28 * DAY, 99.5);
    // 1h x 28/30 = 56m, short 5m x 28/30 = 280s
    expect(tiers[0]).toMatchObject({ longWindow: 56 * 60, shortWindow: 280 });
    expect(tiers[0]!.factor).toBeCloseTo(14.4, 10);
    const week = resolveBurnTiers(7 * DAY, 99);
    // 3d x 7/30 = 16.8h = 1008m
    expect(week[3]).toMatchObject({ longWindow: 1008 * 60 });
    expect(week[3]!.factor).toBeCloseTo(1, 10);
  });
  it('applies overrides and derives the factor from the overridden window', () => {
    const tiers = resolveBurnTiers(3600, 99, { page_fast: { longWindow: 60, shortWindow: 15, for: 0, budgetPercent: 50 }, ticket_slow: { enabled: false } });
    // 50% x 3600s / 60s = 30; threshold 30 x 0.01 = 0.3
    expect(tiers[0]!.factor).toBeCloseTo(30, 10);
    expect(tiers[0]!.threshold).toBeCloseTo(0.3, 10);
    expect(tiers[3]!.enabled).toBe(false);
  });
  it('rejects a tier that can never fire, with a message that says why and what to do', () => {
    // 14.4 x 10% = 1.44 > 1
    expect(() => resolveBurnTiers(30 * DAY, 90)).toThrow(UnreachableBurnTierError);
    expect(() => resolveBurnTiers(30 * DAY, 90)).toThrow(
      'burn tier page_fast can never fire: it needs an error ratio above 1.44 (14.4x the 10% error budget of a 90% objective), and an error ratio cannot exceed 1; disable the tier (alerting.tiers.page_fast.enabled: false), lengthen its longWindow or lower its budgetPercent',
    );
    // ... and accepts the same SLO with the tier switched off (6 x 0.1 = 0.6 is reachable)
    expect(resolveBurnTiers(30 * DAY, 90, { page_fast: { enabled: false } })[1]!.threshold).toBeCloseTo(0.6, 10);
  });
  it('accepts a 100% objective: any error exceeds a threshold of 0', () => {
    expect(resolveBurnTiers(30 * DAY, 100).every((t) => t.threshold === 0)).toBe(true);
  });
  it('rejects inconsistent windows', () => {
    expect(() => resolveBurnTiers(30 * DAY, 99, { page_fast: { longWindow: 300, shortWindow: 300 } })).toThrow(InvalidBurnTierError);
    expect(() => resolveBurnTiers(DAY, 99, { ticket_slow: { longWindow: 2 * DAY } })).toThrow(/must not exceed the SLO period/);
  });
  it('writes the reference table as data, 1/12 short windows', () => {
    for (const t of WORKBOOK_TIERS) expect(t.shortWindow * 12).toBe(t.longWindow);
  });
});

describe('resolveBurnTiers at a scrape interval', () => {
  it('floors windows at 4 scrape intervals', () => {
    expect(minWindow(60)).toBe(240);
    expect(minWindow(15)).toBe(60);
  });
  it('leaves the 30-day windows alone at 1m: the shortest, 5m, is over 4m', () => {
    expect(resolveBurnTiers(30 * DAY, 99.9, {}, undefined, { scrapeInterval: 60 })).toEqual(resolveBurnTiers(30 * DAY, 99.9));
  });
  it('raises a scaled short window to the floor and keeps the factor (7 days at 1m: 1m10s -> 4m)', () => {
    const [fast] = resolveBurnTiers(7 * DAY, 99, {}, undefined, { scrapeInterval: 60 });
    // long 1h x 7/30 = 14m; short 5m x 7/30 = 70s, raised to 240s; for = 40% x 240s = 96s
    expect(fast).toMatchObject({ enabled: true, longWindow: 840, shortWindow: 240, for: 96 });
    expect(fast!.factor).toBeCloseTo(14.4, 10);
    expect(fast!.disabledReason).toBeUndefined();
  });
  it('switches off a default tier whose long window is not longer than the floor, saying why (1h at 1m)', () => {
    const tiers = resolveBurnTiers(3600, 99, {}, undefined, { scrapeInterval: 60 });
    // long windows: 1h/720 = 5s, 6h/720 = 30s, 1d/720 = 2m, 3d/720 = 6m
    expect(tiers.map((t) => [t.id, t.enabled, t.longWindow, t.shortWindow])).toEqual([
      ['page_fast', false, 5, 240],
      ['page_slow', false, 30, 240],
      ['ticket_fast', false, 120, 240],
      ['ticket_slow', true, 360, 240],
    ]);
    expect(tiers[0]!.disabledReason).toBe(
      'its 5s long window (1h scaled to the 1h period) is not longer than 4 scrape intervals (4m); set alerting.tiers.page_fast.longWindow above 4m to enable it',
    );
    // ticket_slow: 10% x 3600 / 100 / 360 = 1
    expect(tiers[3]!.factor).toBeCloseTo(1, 10);
  });
  it('refuses windows written in the config under the floor, and an explicit enable that cannot fit', () => {
    expect(() => resolveBurnTiers(3600, 99, { page_fast: { longWindow: 20, shortWindow: 5 } }, undefined, { scrapeInterval: 60 })).toThrow(WindowTooShortError);
    expect(() => resolveBurnTiers(3600, 99, { page_fast: { longWindow: 600, shortWindow: 60 } }, undefined, { scrapeInterval: 60 })).toThrow(
      'burn tier page_fast: shortWindow 1m is under 4 scrape intervals (4 × 1m = 4m)',
    );
    expect(() => resolveBurnTiers(3600, 99, { page_fast: { enabled: true } }, undefined, { scrapeInterval: 60 })).toThrow(
      /page_fast: longWindow 5s is under 4 scrape intervals/,
    );
    // The same overrides are fine at a 1s scrape interval.
    expect(resolveBurnTiers(3600, 99, { page_fast: { longWindow: 20, shortWindow: 5 } }, undefined, { scrapeInterval: 1 })[0]!.enabled).toBe(true);
  });
});

describe('recordingWindows', () => {
  it('are the standard windows plus the period for 30 days', () => {
    expect(recordingWindows(30 * DAY, resolveBurnTiers(30 * DAY, 99.9))).toEqual([300, 1800, 3600, 7200, 21_600, DAY, 3 * DAY, 30 * DAY]);
  });
});

describe('calendarMonth', () => {
  it('spans the UTC month', () => {
    const m = calendarMonth(Date.UTC(2024, 1, 15, 12));
    expect(m.start).toBe(Date.UTC(2024, 1, 1));
    expect(m.length).toBe(29 * DAY);
  });
});

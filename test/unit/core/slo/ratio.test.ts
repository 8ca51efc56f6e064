import { describe, expect, it } from 'vitest';
import { attainmentPercent, budgetRemaining, burnRate, errorBudget, errorRatio } from '../../../../src/core/slo/index.js';

describe('errorBudget', () => {
  it('is 1 - objective/100, without binary noise', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(99)).toBe(0.01);
    expect(errorBudget(90)).toBe(0.1);
    expect(errorBudget(100)).toBe(0);
  });
  it('rejects objectives outside (0, 100]', () => {
    expect(() => errorBudget(0)).toThrow(/objective must be in \(0, 100\], got 0/);
    expect(() => errorBudget(150)).toThrow(/got 150/);
  });
});

describe('errorRatio', () => {
  it('is bad / total', () => {
    // 1000 events, 998 good -> 2 bad -> 0.002
    expect(errorRatio(998, 1000)).toBeCloseTo(0.002, 12);
    expect(errorRatio(1000, 1000)).toBe(0);
    expect(errorRatio(0, 5)).toBe(1);
  });
  it('is undefined without traffic', () => {
    expect(errorRatio(0, 0)).toBeUndefined();
  });
  it('rejects impossible counts', () => {
    expect(() => errorRatio(6, 5)).toThrow(/cannot exceed/);
    expect(() => errorRatio(-1, 5)).toThrow(/negative/);
  });
});

describe('burnRate', () => {
  it('divides the error ratio by the budget', () => {
    // 99.9%: budget 0.001; error ratio 0.0144 -> burn 14.4
    expect(burnRate(0.0144, 99.9)).toBeCloseTo(14.4, 10);
    // 99%: 0.01 errors -> exactly 1 (the whole budget over the period)
    expect(burnRate(0.01, 99)).toBeCloseTo(1, 12);
  });
  it('is undefined without traffic and 0 without errors', () => {
    expect(burnRate(undefined, 99.9)).toBeUndefined();
    expect(burnRate(0, 99.9)).toBe(0);
  });
  it('is infinite for any error at a 100% objective, 0 without errors', () => {
    expect(burnRate(0.0001, 100)).toBe(Number.POSITIVE_INFINITY);
    expect(burnRate(0, 100)).toBe(0);
  });
});

describe('budgetRemaining', () => {
  it('is 1 - ratio/budget', () => {
    // 99.9%, 1,000,000 events, 250 bad: ratio 0.00025 = a quarter of the budget -> 0.75 left
    expect(budgetRemaining(999_750, 1_000_000, 99.9)).toBeCloseTo(0.75, 10);
    // exactly spent
    expect(budgetRemaining(999, 1000, 99.9)).toBeCloseTo(0, 10);
    // overspent: 3 bad of 1000 at 99.9% -> 1 - 3 = -2
    expect(budgetRemaining(997, 1000, 99.9)).toBeCloseTo(-2, 10);
  });
  it('leaves the budget untouched without traffic', () => {
    expect(budgetRemaining(0, 0, 99.9)).toBe(1);
  });
  it('is 1 or 0 for a 100% objective', () => {
    expect(budgetRemaining(10, 10, 100)).toBe(1);
    expect(budgetRemaining(9, 10, 100)).toBe(0);
  });
});

describe('attainmentPercent', () => {
  it('is the good share in percent', () => {
    expect(attainmentPercent(999, 1000)).toBeCloseTo(99.9, 10);
    expect(attainmentPercent(0, 0)).toBeUndefined();
  });
});

import type { BurnTierId } from './burn-tier-id.js';
import { durationText as d } from './duration-text.js';

/** A burn tier whose settings contradict each other. */
export class InvalidBurnTierError extends Error {
  override readonly name = 'InvalidBurnTierError';
  constructor(
    readonly tier: BurnTierId,
    readonly field: string,
    detail: string,
  ) {
    super(`burn tier ${tier}: ${field} ${detail}`);
  }
}

/**
 * A burn tier that can never fire: its threshold (factor × error budget) is at least 1, and an
 * error ratio cannot exceed 1. Generating it would ship a dead alert, so it is rejected.
 */
export class UnreachableBurnTierError extends Error {
  override readonly name = 'UnreachableBurnTierError';
  constructor(
    readonly tier: BurnTierId,
    readonly factor: number,
    readonly objectivePercent: number,
    readonly threshold: number,
  ) {
    const budget = Math.round((100 - objectivePercent) * 1e6) / 1e6;
    super(
      `burn tier ${tier} can never fire: it needs an error ratio above ${round(threshold)} ` +
        `(${round(factor)}x the ${budget}% error budget of a ${objectivePercent}% objective), and an error ratio cannot exceed 1; ` +
        `disable the tier (alerting.tiers.${tier}.enabled: false), lengthen its longWindow or lower its budgetPercent`,
    );
  }
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}

/**
 * A window under `MIN_SCRAPES_PER_WINDOW` scrape intervals: rate() over it holds fewer samples
 * than it needs, so the tier would (almost) never fire. Names the tier, the field and the fix.
 */
export class WindowTooShortError extends Error {
  override readonly name = 'WindowTooShortError';
  constructor(
    readonly tier: BurnTierId,
    readonly field: 'longWindow' | 'shortWindow',
    readonly window: number,
    readonly scrapeInterval: number,
  ) {
    super(
      `burn tier ${tier}: ${field} ${d(window)} is ${window < 4 * scrapeInterval ? 'under' : 'not longer than'} 4 scrape intervals (4 × ${d(scrapeInterval)} = ${d(4 * scrapeInterval)}): rate() over it has too few samples, the tier could not fire; ` +
        `set alerting.tiers.${tier}.${field} to at least ${d(4 * scrapeInterval)}${field === 'shortWindow' ? '' : ' (and longer than its shortWindow)'}, disable the tier (alerting.tiers.${tier}.enabled: false), ` +
        'or give the scrape interval your Prometheus really uses (alerting.scrapeInterval, --scrape-interval)',
    );
  }
}

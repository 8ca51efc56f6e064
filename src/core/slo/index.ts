export { errorBudget, errorRatio, burnRate, budgetRemaining, attainmentPercent } from './ratio.js';
export { counterIncrease, samplesInWindow, windowCounts } from './counter.js';
export type { CounterSample, SloCounterSamples } from './counter.js';
export {
  BURN_TIER_IDS,
  WORKBOOK_TIERS,
  REFERENCE_PERIOD,
  STANDARD_WINDOWS,
  burnFactor,
  defaultFor,
  resolveBurnTiers,
  recordingWindows,
  minWindow,
  MIN_SCRAPES_PER_WINDOW,
} from './burn-windows.js';
export type { BurnTier, BurnTierContext, BurnTierId, BurnTierOverride, BurnTierSpec, Severity } from './burn-windows.js';
export { calendarMonth, monthElapsed, CALENDAR_MONTH_BURN_PERIOD } from './calendar.js';
export { InvalidBurnTierError, UnreachableBurnTierError, WindowTooShortError } from './errors.js';
export { freshnessTick, latencyCounts, eventCounts, readAfterWriteCounts, UNKNOWN_REASONS } from './tick.js';
export type { TickCounts, FreshnessPolicy, FreshnessReading, UnknownReason } from './tick.js';

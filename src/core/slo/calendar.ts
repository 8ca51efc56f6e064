import type { EpochMillis, Seconds } from '../units.js';

/** Start and end (exclusive) of the UTC calendar month containing `at`. */
export function calendarMonth(at: EpochMillis): { start: EpochMillis; end: EpochMillis; length: Seconds } {
  const d = new Date(at);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { start, end, length: (end - start) / 1000 };
}

/**
 * Period length used for burn windows of calendar-month SLOs: 30 days. The month's true
 * length varies (28-31 days); burn-rate alerting needs a fixed horizon, and the SRE workbook's
 * windows are written for 30 days.
 */
export const CALENDAR_MONTH_BURN_PERIOD: Seconds = 30 * 86_400;

/** Share of the calendar month elapsed at `at`, in [0, 1). */
export function monthElapsed(at: EpochMillis): number {
  const m = calendarMonth(at);
  return (at - m.start) / (m.end - m.start);
}

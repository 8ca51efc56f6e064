import type { BurnIncident } from './incidents.js';
import type { ReportSlo, SloChange } from './report-model.js';
import { budgetText } from './slo-report.js';
import { humanDuration } from './slo-explain.js';

/** Pure texts shared by the Markdown, HTML and webhook renderings (plain text, not escaped). */

/** `2026-12-07 08:00 UTC`: reports state every time in UTC, whatever the schedule's zone. */
export function utcText(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-12-01 14:02 – 14:40 UTC (38 min)`; the end's date is repeated when it differs. */
export function incidentRange(i: BurnIncident): string {
  const start = utcText(i.start).replace(' UTC', '');
  const end = utcText(i.end).replace(' UTC', '');
  const endText = end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end;
  return `${start} – ${endText} UTC (${humanDuration(i.end - i.start)}${i.ongoing ? ', ongoing' : ''})`;
}

/** `page, burn rate up to 30.0× (page_fast)` */
export function incidentText(i: BurnIncident): string {
  return `${incidentRange(i)}: ${i.severity}, burn rate up to ${i.peakBurnRate.toFixed(1)}× (${i.tiers.join(', ')})`;
}

export const percentText = (v: number | undefined, digits = 3): string => (v === undefined || !Number.isFinite(v) ? 'no data' : `${v.toFixed(digits)}%`);

/** Attainment with the coverage when partial: `99.812% (measured for 3 d of 7 d)`. */
export function attainmentText(s: ReportSlo): string {
  const a = percentText(s.attainment);
  return s.coverage && s.attainment !== undefined ? `${a} (${s.coverage})` : a;
}

/** Budget left and spent: `62.0% left, 38.0% spent`, or `budget spent 3.2×` once over. */
export function budgetLine(s: ReportSlo): string {
  if (s.budgetRemaining === undefined || !Number.isFinite(s.budgetRemaining)) return 'no data';
  const text = budgetText(s);
  return s.budgetRemaining >= 0 ? `${text}, ${(100 * (s.budgetSpent ?? 1 - s.budgetRemaining)).toFixed(1)}% spent` : text;
}

const signed = (v: number, digits: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;

/** `attainment +0.012 pp, budget left −4.0 points (was healthy)`, or `first report`. */
export function changeText(c: SloChange | undefined): string {
  if (!c) return 'first report';
  const parts = [
    c.attainment === undefined ? undefined : `attainment ${signed(c.attainment, 3)} pp`,
    c.budgetRemaining === undefined ? undefined : `budget left ${signed(100 * c.budgetRemaining, 1)} points`,
  ].filter((p): p is string => p !== undefined);
  return `${parts.length ? parts.join(', ') : 'no comparable numbers'} since ${utcText(c.previousAt)} (was ${c.previousState})`;
}

/** `3 incidents; worst:` lines, or why there are none to show. */
export function incidentsHeading(s: ReportSlo): string {
  if (s.incidents === undefined) return 'incidents: no data';
  if (s.incidentCount === 0) return 'no burn above the page or ticket thresholds';
  const n = s.incidentCount ?? s.incidents.length;
  return `${n} burn incident${n === 1 ? '' : 's'}${n > s.incidents.length ? `, the ${s.incidents.length} worst` : ''}:`;
}

import { escapeHtml, userText } from '../report/html.js';
import { budgetText, type SloReportRow } from '../report/slo-report.js';

export { budgetText };
import { budgetSparkline } from './sparkline.js';

const pct = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}%`);

/** What each state means; the page's legend. */
export const STATE_LEGEND: readonly { state: SloReportRow['state']; meaning: string }[] = [
  { state: 'healthy', meaning: 'at least 25 % of the error budget left' },
  { state: 'at risk', meaning: 'less than 25 % of the error budget left' },
  { state: 'exhausted', meaning: 'the budget is spent: the objective is missed for the time measured' },
  { state: 'no data', meaning: 'nothing measured yet, never shown as 100 %' },
];

const BASIS: Record<SloReportRow['basis'], string> = {
  prometheus: 'over the period, from Prometheus',
  monitor: 'since this monitor started',
  none: 'no data yet',
};

const cls = (state: string) => escapeHtml(state.replace(' ', '-'));

function row(r: SloReportRow): string {
  const budget = r.budgetRemaining === undefined ? undefined : 100 * r.budgetRemaining;
  const width = budget === undefined ? 0 : Math.max(0, Math.min(100, budget));
  const meta = [r.owner ? `owner ${r.owner}` : undefined, r.tier ? `tier ${r.tier}` : undefined].filter((m): m is string => m !== undefined);
  const soFar = r.coverage !== undefined && r.attainment !== undefined;
  return `<tr class="state-${cls(r.state)}">
  <td><div class="name">${userText(r.name)}</div>${r.description ? `<div class="desc">${userText(r.description)}</div>` : ''}
    <div class="what">Watches ${userText(r.target)}. Good: ${userText(r.measures)}.</div>${meta.length ? `<div class="meta">${userText(meta.join(' · '))}</div>` : ''}</td>
  <td class="num">${escapeHtml(String(r.objective))}%<div class="basis">over ${escapeHtml(r.period)}</div></td>
  <td class="num">${pct(r.attainment, 3)}${soFar ? ' <span class="sofar">so far</span>' : ''}<div class="basis">${escapeHtml(r.coverage ?? BASIS[r.basis])}</div></td>
  <td class="budget"><div class="bar"><span style="width:${width.toFixed(1)}%"></span></div>${escapeHtml(budgetText(r))}${r.history ? budgetSparkline(r.history) : ''}</td>
  <td><span class="pill">${escapeHtml(r.state)}</span><div class="why">${escapeHtml(r.why)}</div></td>
</tr>`;
}

/** The executive page: what each SLO measures, objective, attainment so far, budget, state and why. Every text is escaped. */
export function renderSloPage(rows: readonly SloReportRow[], meta: { generatedAt: Date; note?: string | undefined }): string {
  const counts = (['healthy', 'at risk', 'exhausted', 'no data'] as const)
    .map((s) => [s, rows.filter((r) => r.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const legend = STATE_LEGEND.map(
    (l) => `<li class="state-${cls(l.state)}"><span class="pill">${escapeHtml(l.state)}</span> ${escapeHtml(l.meaning)}</li>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<title>SLOs — cqrs-slo</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2430; max-width: 80rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .sub, .intro { color: #5b6575; margin-bottom: .75rem; } .intro { max-width: 60rem; }
  a { color: #1c7ed6; }
  table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
  th, td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid #e3e7ee; vertical-align: top; }
  th { font-weight: 600; color: #5b6575; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; }
  .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .name { font-weight: 600; } .desc { margin: .1rem 0; } .what, .meta, .basis, .why { color: #5b6575; font-size: .8rem; }
  .why { max-width: 22rem; margin-top: .3rem; }
  .sofar { font-size: .8rem; color: #5b6575; }
  .budget { white-space: nowrap; } .spark { display: block; margin-top: .3rem; color: #2f9e44; }
  .bar { height: .5rem; width: 8rem; background: #e3e7ee; border-radius: .25rem; overflow: hidden; margin-bottom: .2rem; }
  .bar span { display: block; height: 100%; background: #2f9e44; }
  .pill { padding: .1rem .5rem; border-radius: 1rem; font-size: .8rem; background: #e3e7ee; white-space: nowrap; }
  .state-healthy .pill { background: #d3f9d8; color: #2b8a3e; }
  .state-at-risk .pill { background: #fff3bf; color: #e67700; } .state-at-risk .bar span { background: #f59f00; } .state-at-risk .spark { color: #f59f00; }
  .state-exhausted .pill { background: #ffe3e3; color: #c92a2a; } .state-exhausted .bar span { background: #e03131; } .state-exhausted .spark { color: #e03131; }
  .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; color: #5b6575; font-size: .85rem; margin-top: 1rem; }
</style>
</head>
<body>
<h1>Service level objectives</h1>
<div class="sub">${rows.length} SLOs${counts.length ? ` · ${escapeHtml(counts.join(' · '))}` : ''} · generated ${escapeHtml(meta.generatedAt.toISOString())}${meta.note ? ` · ${userText(meta.note)}` : ''} · <a href="/">overview</a></div>
<p class="intro">Each SLO is a promise about one part of the pipeline: the share of checks or events that must be good over a period (the objective). The error budget is the share allowed to be bad; "budget spent 2×" means twice as much was bad as the objective allows. With less data than the period, attainment and budget are shown "so far", with how long they were measured: a verdict on the time measured, not yet on the period.</p>
<table>
<thead><tr><th>SLO — what it measures</th><th>Objective</th><th>Attainment</th><th>Error budget</th><th>State — why</th></tr></thead>
<tbody>
${rows.map(row).join('\n')}
</tbody>
</table>
<ul class="legend">${legend}</ul>
</body>
</html>
`;
}

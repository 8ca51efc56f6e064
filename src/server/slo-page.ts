import { escapeHtml, userText } from './html.js';
import type { SloReportRow } from './slo-report.js';

const pct = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}%`);

const BASIS: Record<SloReportRow['basis'], string> = {
  prometheus: 'over the period (Prometheus)',
  monitor: 'since the monitor started',
  none: 'no data yet',
};

/** The executive page: one row per SLO, objective, attainment, budget left. Every text is escaped; user text is isolated in <bdi>. */
export function renderSloPage(rows: readonly SloReportRow[], meta: { generatedAt: Date; note?: string | undefined }): string {
  const body = rows
    .map((r) => {
      const budget = r.budgetRemaining === undefined ? undefined : 100 * r.budgetRemaining;
      const width = budget === undefined ? 0 : Math.max(0, Math.min(100, budget));
      return `<tr class="state-${escapeHtml(r.state.replace(' ', '-'))}">
  <td><div class="name">${userText(r.name)}</div><div class="desc">${userText(r.description)}</div></td>
  <td>${userText(r.owner)}</td>
  <td>${userText(r.tier)}</td>
  <td class="num">${escapeHtml(String(r.objective))}%</td>
  <td class="num">${pct(r.attainment, 3)}<div class="basis">${escapeHtml(BASIS[r.basis])}</div></td>
  <td class="budget"><div class="bar"><span style="width:${width.toFixed(1)}%"></span></div>${pct(budget, 1)}</td>
  <td><span class="pill">${escapeHtml(r.state)}</span></td>
  <td>${escapeHtml(r.period)}</td>
</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<title>SLOs — cqrs-slo</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2430; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .sub { color: #5b6575; margin-bottom: 1.25rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid #e3e7ee; vertical-align: top; }
  th { font-weight: 600; color: #5b6575; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; }
  .num { font-variant-numeric: tabular-nums; }
  .name { font-weight: 600; } .desc, .basis { color: #5b6575; font-size: .8rem; }
  .bar { height: .5rem; width: 8rem; background: #e3e7ee; border-radius: .25rem; overflow: hidden; margin-bottom: .2rem; }
  .bar span { display: block; height: 100%; background: #2f9e44; }
  .pill { padding: .1rem .5rem; border-radius: 1rem; font-size: .8rem; background: #e3e7ee; }
  .state-healthy .pill { background: #d3f9d8; color: #2b8a3e; }
  .state-at-risk .pill { background: #fff3bf; color: #e67700; } .state-at-risk .bar span { background: #f59f00; }
  .state-exhausted .pill { background: #ffe3e3; color: #c92a2a; } .state-exhausted .bar span { background: #e03131; }
</style>
</head>
<body>
<h1>Service level objectives</h1>
<div class="sub">${rows.length} SLOs · generated ${escapeHtml(meta.generatedAt.toISOString())}${meta.note ? ` · ${userText(meta.note)}` : ''}</div>
<table>
<thead><tr><th>SLO</th><th>Owner</th><th>Tier</th><th>Objective</th><th>Attainment</th><th>Error budget left</th><th>State</th><th>Period</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}

import { escapeHtml, userText } from './html.js';
import type { ReportSlo, SloReportDoc } from './report-model.js';
import { attainmentText, budgetLine, changeText, incidentsHeading, incidentText, utcText } from './report-text.js';

const cls = (state: string) => escapeHtml(state.replace(' ', '-'));

function section(s: ReportSlo, at: number): string {
  const incidents = (s.incidents ?? []).map((i) => `<li class="${escapeHtml(i.severity)}">${escapeHtml(incidentText(i))}</li>`).join('');
  return `<section class="state-${cls(s.state)}">
<h2>${userText(s.name)} <span class="pill">${escapeHtml(s.state)}</span></h2>
${s.description ? `<p class="desc">${userText(s.description)}</p>` : ''}
<dl>
<dt>Watches</dt><dd>${userText(s.target)}; good: ${userText(s.measures)}${s.owner ? `; owner ${userText(s.owner)}` : ''}</dd>
<dt>Period</dt><dd>${escapeHtml(utcText(at - s.periodSeconds))} to ${escapeHtml(utcText(at))} (${escapeHtml(s.period)})</dd>
<dt>Attainment</dt><dd>${escapeHtml(attainmentText(s))} (objective ${escapeHtml(String(s.objective))}%)</dd>
<dt>Error budget</dt><dd>${escapeHtml(budgetLine(s))}</dd>
<dt>Why</dt><dd>${escapeHtml(s.why)}</dd>
<dt>Change</dt><dd>${escapeHtml(changeText(s.change))}</dd>
<dt>Incidents</dt><dd>${escapeHtml(incidentsHeading(s))}${incidents ? `<ul>${incidents}</ul>` : ''}</dd>
</dl>
</section>`;
}

/** Pure: the report as a standalone HTML page (no scripts, no external resources); every text escaped. */
export function renderHtml(doc: SloReportDoc): string {
  const rows = doc.slos
    .map(
      (s) =>
        `<tr class="state-${cls(s.state)}"><td>${userText(s.name)}</td><td class="num">${escapeHtml(String(s.objective))}% over ${escapeHtml(s.period)}</td><td class="num">${escapeHtml(attainmentText(s))}</td><td>${escapeHtml(budgetLine(s))}</td><td><span class="pill">${escapeHtml(s.state)}</span></td><td class="num">${s.incidentCount === undefined ? 'no data' : s.incidentCount}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SLO report, ${escapeHtml(utcText(doc.at))}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:72rem}
table{border-collapse:collapse;width:100%}th,td{padding:.35rem .6rem;border-bottom:1px solid #dde1e8;text-align:left}
.num{text-align:right;white-space:nowrap}.pill{border-radius:1rem;padding:0 .5rem;font-size:12px;background:#e8ebf0}
.state-healthy .pill{background:#d3f2dc}.state-at-risk .pill{background:#fdeec6}.state-exhausted .pill{background:#fbd5d5}
.note{background:#fff4d6;padding:.5rem .8rem}dt{font-weight:600;float:left;width:8rem;clear:left}dd{margin-left:8.5rem}
li.page{color:#a11}section{margin-top:1.5rem}
</style>
</head>
<body>
<h1>SLO report, ${escapeHtml(utcText(doc.at))}</h1>
${doc.note ? `<p class="note">${escapeHtml(doc.note)}</p>` : ''}
<p>${escapeHtml(doc.previousAt === undefined ? 'First report: nothing to compare with.' : `Compared with the report of ${utcText(doc.previousAt)}.`)}</p>
<table>
<thead><tr><th>SLO</th><th>Objective</th><th>Attainment</th><th>Error budget</th><th>State</th><th>Incidents</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${doc.slos.map((s) => section(s, doc.at)).join('\n')}
</body>
</html>
`;
}

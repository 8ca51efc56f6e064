import type { SourceState } from '../scheduler/source-state.js';
import { escapeHtml, userText } from '../report/html.js';
import type { SloReportRow } from '../report/slo-report.js';
import { budgetText } from './slo-page.js';
import { humanDuration } from '../report/slo-explain.js';
import type { WatchedItem } from './watched.js';

export { watchedInventory, type WatchedItem } from './watched.js';

const TITLES: Record<WatchedItem['kind'], string> = { kafka: 'Kafka clusters', store: 'SQL stores', stream: 'Event streams', dlq: 'Dead-letter queues' };

/** Data of the landing page. */
export interface LandingData {
  readonly version: string;
  readonly startedAt: number;
  readonly now: number;
  readonly watched: readonly WatchedItem[];
  readonly states: readonly SourceState[];
  readonly slos: readonly SloReportRow[];
  readonly note?: string | undefined;
}

function health(s: SourceState, now: number): { cls: string; text: string; detail: string } {
  const last = s.lastEnd === undefined ? 'no cycle yet' : `last cycle ${humanDuration((now - s.lastEnd) / 1000)} ago`;
  if (!s.completedOnce) return { cls: 'pending', text: 'starting', detail: last };
  if (s.up) return { cls: 'up', text: 'up', detail: last };
  const why = s.lastError ? `${s.lastError.reason}: ${s.lastError.message}` : 'unreadable';
  return { cls: 'down', text: 'down', detail: `${last} · ${why}` };
}

function pending(source: string): SourceState {
  return { name: source, interval: 0, up: false, running: false, completedOnce: false, succeededOnce: false, cycles: 0, errors: 0, skipped: 0 };
}

function section(title: string, items: readonly WatchedItem[], states: ReadonlyMap<string, SourceState>, now: number): string {
  const lis = items
    .map((it) => {
      const h = health(states.get(it.source) ?? pending(it.source), now);
      const via = it.via ? ` <span class="muted">(${userText(it.via)})</span>` : '';
      return `<li><span class="dot ${h.cls}"></span><b>${userText(it.name)}</b>${via} <span class="h-${h.cls}">${escapeHtml(h.text)}</span> <span class="muted">${userText(h.detail)}</span></li>`;
    })
    .join('');
  return `<section><h3>${escapeHtml(title)} (${items.length})</h3><ul class="plain">${lis}</ul></section>`;
}

/** The landing page at `/`: what is watched, how each source is doing, each SLO's state, where to go next. Every text is escaped. */
export function renderLandingPage(d: LandingData): string {
  const states = new Map(d.states.map((s) => [s.name, s]));
  const kinds = (Object.keys(TITLES) as WatchedItem['kind'][]).filter((k) => d.watched.some((w) => w.kind === k));
  const sources = kinds.length
    ? kinds
        .map((k) =>
          section(
            TITLES[k],
            d.watched.filter((w) => w.kind === k),
            states,
            d.now,
          ),
        )
        .join('\n')
    : '<p>No sources configured: add clusters, stores, streams or dlqs to the config.</p>';
  const slos = d.slos.length
    ? `<table><thead><tr><th>SLO</th><th>Watches</th><th>Objective</th><th>Error budget</th><th>State</th></tr></thead><tbody>${d.slos
        .map(
          (r) =>
            `<tr class="state-${escapeHtml(r.state.replace(' ', '-'))}"><td>${userText(r.name)}</td><td>${userText(r.target)}</td><td class="num">${escapeHtml(String(r.objective))}% over ${escapeHtml(r.period)}</td><td class="num">${escapeHtml(budgetText(r))}</td><td><span class="pill">${escapeHtml(r.state)}</span></td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>No SLOs configured.</p>';
  const down = new Set(d.watched.map((w) => w.source).filter((n) => states.get(n)?.completedOnce && !states.get(n)?.up)).size;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="30">
<title>cqrs-slo</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2430; max-width: 70rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; } h3 { font-size: .95rem; margin: .75rem 0 .25rem; }
  .muted, .sub { color: #5b6575; } .sub { margin-bottom: 1rem; }
  a { color: #1c7ed6; } code { background: #f1f3f5; padding: .05rem .3rem; border-radius: .2rem; white-space: nowrap; }
  ul.plain { list-style: none; padding: 0; margin: 0; } ul.plain li { padding: .2rem 0; }
  .dot { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; margin-right: .4rem; background: #adb5bd; }
  .dot.up { background: #2f9e44; } .dot.down { background: #e03131; }
  .h-up { color: #2b8a3e; } .h-down { color: #c92a2a; font-weight: 600; } .h-pending { color: #5b6575; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e3e7ee; }
  th { font-weight: 600; color: #5b6575; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; }
  .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .pill { padding: .1rem .5rem; border-radius: 1rem; font-size: .8rem; background: #e3e7ee; white-space: nowrap; }
  .state-healthy .pill { background: #d3f9d8; color: #2b8a3e; } .state-at-risk .pill { background: #fff3bf; color: #e67700; }
  .state-exhausted .pill { background: #ffe3e3; color: #c92a2a; }
  nav a { margin-right: 1rem; }
</style>
</head>
<body>
<h1>cqrs-slo</h1>
<div class="sub">Watches the asynchronous half of CQRS systems — event streams, projections, consumer groups, dead-letter queues — and turns them into SLOs, Prometheus metrics and alerts. Version ${escapeHtml(d.version)}, running for ${escapeHtml(humanDuration((d.now - d.startedAt) / 1000))}${down ? ` · <b class="h-down">${down} source${down > 1 ? 's' : ''} down</b>` : ''}.</div>
<nav><a href="/slo">SLO page</a><a href="/metrics">/metrics</a><a href="/api/status">/api/status</a><a href="/api/slos">/api/slos</a><a href="/readyz">/readyz</a></nav>
<h2>What it watches</h2>
${sources}
<h2>SLOs</h2>
${d.note ? `<p class="muted">${userText(d.note)}</p>` : ''}
${slos}
<p><a href="/slo">What each SLO measures, attainment so far and why →</a></p>
<h2>Next step</h2>
<ul>
<li>The whole stack with Kafka, PostgreSQL, Prometheus, Alertmanager and Grafana: <code>docker compose up</code> (see <code>docker-compose.yml</code>).</li>
<li>Your own system: copy <code>config/example.yaml</code>, point it at your Kafka clusters, stores and dead-letter queues, check it with <code>npx cqrs-slo validate --config my.yaml</code> and run <code>npx cqrs-slo run --config my.yaml</code> (<code>docs/configuration.md</code>).</li>
<li>Alerts and dashboards for it: <code>npx cqrs-slo generate all --config my.yaml</code> (<code>docs/alerting.md</code>, <code>docs/dashboards.md</code>).</li>
</ul>
</body>
</html>
`;
}

import type { Config } from '../config/schema/index.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { gatherReport } from './gather.js';
import { readPrevious, writeReport } from './history.js';
import { buildReport, type SloReportDoc } from './report-model.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { renderSlack } from './render-slack.js';
import { postWebhook } from './webhook.js';

/** Result label of `cqrs_report_runs_total`. */
export type ReportResult = 'success' | 'no_data' | 'error';

export interface ReportRun {
  readonly result: ReportResult;
  readonly doc?: SloReportDoc | undefined;
  /** Paths written (JSON, HTML, Markdown). */
  readonly files: readonly string[];
  /** Why the run failed or has no data. */
  readonly reason?: string | undefined;
}

/** Defaults of a report run when the config has no `reports` section (the CLI). */
const DEFAULTS = { outDir: 'reports', keep: 12, maxIncidents: 5 } as const;

/**
 * Makes one report for the periods ending at `at` (epoch seconds): reads the previous report
 * kept in the output directory, gathers the numbers, writes JSON, HTML and Markdown, POSTs the
 * webhook when configured, and counts the run. Never throws: the outcome is in the result.
 */
export async function runReport(
  config: Config,
  opts: { at: number; outDir?: string | undefined; metrics?: Metrics | undefined; clock?: () => number },
): Promise<ReportRun> {
  const r = config.reports;
  const outDir = opts.outDir ?? r?.outDir ?? DEFAULTS.outDir;
  const clock = opts.clock ?? Date.now;
  const done = (run: ReportRun): ReportRun => {
    opts.metrics?.report.runs.inc({ result: run.result });
    if (run.result === 'success') opts.metrics?.report.lastSuccess.set(clock() / 1000);
    return run;
  };
  let doc: SloReportDoc | undefined;
  let files: string[] = [];
  try {
    const previous = await readPrevious(outDir, opts.at);
    const gathered = await gatherReport(config, opts.at);
    doc = buildReport({
      at: opts.at,
      rows: gathered.rows,
      incidents: gathered.incidents,
      maxIncidents: r?.maxIncidents ?? DEFAULTS.maxIncidents,
      previous,
      note: gathered.note,
    });
    files = await writeReport(
      outDir,
      opts.at,
      { json: `${JSON.stringify(doc, null, 2)}\n`, html: renderHtml(doc), md: renderMarkdown(doc) },
      r?.keep ?? DEFAULTS.keep,
    );
    if (r?.webhook) await postWebhook(r.webhook.url, renderSlack(doc), r.webhook.timeoutSeconds * 1000);
  } catch (err) {
    return done({ result: 'error', doc, files, reason: (err as Error).message });
  }
  return done(doc.note ? { result: 'no_data', doc, files, reason: doc.note } : { result: 'success', doc, files });
}

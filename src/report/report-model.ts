import type { SloReportRow } from './slo-report.js';
import { worstIncidents, type BurnIncident } from './incidents.js';

/** Format tag of the JSON kept in the history: a report of another format is not compared with. */
export const REPORT_FORMAT = 'cqrs-slo-report/1';

/** How an SLO moved since the previous report. Deltas are absent when either side had no number. */
export interface SloChange {
  /** Epoch seconds of the previous report. */
  readonly previousAt: number;
  readonly previousState: SloReportRow['state'];
  /** Attainment now minus then, in percentage points. */
  readonly attainment?: number | undefined;
  /** Budget left now minus then, as a share of the budget (-0.1 = 10 points of budget more spent). */
  readonly budgetRemaining?: number | undefined;
}

/** One SLO of a report. */
export interface ReportSlo {
  readonly name: string;
  readonly description: string;
  readonly owner?: string | undefined;
  readonly target: string;
  readonly measures: string;
  /** Objective in percent. */
  readonly objective: number;
  readonly period: string;
  readonly periodSeconds: number;
  readonly state: SloReportRow['state'];
  /** Attainment in percent over the covered part of the period. */
  readonly attainment?: number | undefined;
  readonly budgetRemaining?: number | undefined;
  readonly budgetSpent?: number | undefined;
  readonly coverage?: string | undefined;
  readonly coverageSeconds?: number | undefined;
  readonly why: string;
  /** Worst burn incidents of the period; absent when they could not be read (never an empty guess). */
  readonly incidents?: readonly BurnIncident[] | undefined;
  /** How many incidents the period had in all. */
  readonly incidentCount?: number | undefined;
  readonly change?: SloChange | undefined;
}

/** A whole report, as kept in the history (JSON) and rendered to HTML, Markdown and the webhook. */
export interface SloReportDoc {
  readonly format: typeof REPORT_FORMAT;
  /** End of every SLO's period, epoch seconds. */
  readonly at: number;
  /** Why numbers are missing (Prometheus unreachable). */
  readonly note?: string | undefined;
  /** Epoch seconds of the report compared with. */
  readonly previousAt?: number | undefined;
  readonly slos: readonly ReportSlo[];
}

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
const delta = (now: number | undefined, then: number | undefined) => (finite(now) && finite(then) ? now - then : undefined);

/**
 * Pure: a report from the rows of the /slo page's model (numbers over each SLO's period ending
 * at `at`), the incidents found per SLO (absent: unreadable) and the previous report.
 */
export function buildReport(input: {
  readonly at: number;
  readonly rows: readonly SloReportRow[];
  readonly incidents: ReadonlyMap<string, readonly BurnIncident[]>;
  readonly maxIncidents: number;
  readonly previous?: SloReportDoc | undefined;
  readonly note?: string | undefined;
}): SloReportDoc {
  const { at, rows, incidents, maxIncidents, previous, note } = input;
  const before = new Map(previous?.slos.map((s) => [s.name, s]));
  const slos = rows.map((r): ReportSlo => {
    const found = incidents.get(r.name);
    const was = before.get(r.name);
    return {
      name: r.name,
      description: r.description,
      owner: r.owner,
      target: r.target,
      measures: r.measures,
      objective: r.objective,
      period: r.period,
      periodSeconds: r.periodSeconds,
      state: r.state,
      attainment: r.attainment,
      budgetRemaining: r.budgetRemaining,
      budgetSpent: r.budgetSpent,
      coverage: r.coverage,
      coverageSeconds: r.coverageSeconds,
      why: r.why,
      incidents: found ? worstIncidents(found, maxIncidents) : undefined,
      incidentCount: found?.length,
      change:
        was && previous
          ? {
              previousAt: previous.at,
              previousState: was.state,
              attainment: delta(r.attainment, was.attainment),
              budgetRemaining: delta(r.budgetRemaining, was.budgetRemaining),
            }
          : undefined,
    };
  });
  return { format: REPORT_FORMAT, at, note, previousAt: previous?.at, slos };
}

/** Pure: a previous report read back from JSON, or undefined when it is not one of ours. */
export function parseReportDoc(value: unknown): SloReportDoc | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<SloReportDoc>;
  if (v.format !== REPORT_FORMAT || typeof v.at !== 'number' || !Array.isArray(v.slos)) return undefined;
  const slos = v.slos.filter((s): s is ReportSlo => typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.state === 'string');
  return { ...(v as SloReportDoc), slos };
}

import { GenerateError } from './errors.js';
import type { GenerateOptions } from './options.js';

/** Uids of the dashboards that ship in dashboards/ (test/unit/generate/links.test.ts checks them). */
export const DASHBOARD_UIDS = { oncall: 'cqrs-slo-oncall', executive: 'cqrs-slo-executive', debug: 'cqrs-slo-debug' } as const;

const ABSOLUTE = /^https?:\/\/[^\s/]+/;

/** runbook_url of an alert: `<runbookBaseUrl>/<alert>.md` (checked by `requireLinkBases`). */
export function runbookUrl(opts: GenerateOptions, alert: string): string {
  return `${opts.runbookBaseUrl!.replace(/\/+$/, '')}/${alert}.md`;
}

/** The on-call dashboard filtered to one SLO. */
export function sloDashboardUrl(opts: GenerateOptions, slo: string): string {
  return `${opts.grafanaBaseUrl!.replace(/\/+$/, '')}/d/${DASHBOARD_UIDS.oncall}/?var-slo=${encodeURIComponent(slo)}`;
}

/**
 * Refuses to generate links nobody can open from a pager: the runbook base must be an absolute
 * URL, and so must the Grafana base unless every SLO brings its own dashboardUrl; an SLO's own
 * runbookUrl / dashboardUrl must be absolute too. The message says what to set.
 */
export function requireLinkBases(opts: GenerateOptions, slos: readonly { name: string; runbookUrl?: string; dashboardUrl?: string }[]): void {
  const problems: string[] = [];
  if (!opts.runbookBaseUrl || !ABSOLUTE.test(opts.runbookBaseUrl)) {
    problems.push(
      `runbook links: set alerting.runbookBaseUrl in the config or --runbook-base-url to the absolute URL where docs/runbooks/ is served (e.g. https://git.example.com/org/cqrs-slo/blob/main/docs/runbooks)${opts.runbookBaseUrl ? `, got ${JSON.stringify(opts.runbookBaseUrl)}` : ''}`,
    );
  }
  const needGrafana = slos.filter((s) => s.dashboardUrl === undefined).map((s) => s.name);
  if (needGrafana.length > 0 && (!opts.grafanaBaseUrl || !ABSOLUTE.test(opts.grafanaBaseUrl))) {
    problems.push(
      `dashboard links of ${needGrafana.join(', ')}: set alerting.grafanaBaseUrl in the config or --grafana-base-url to Grafana's absolute URL (e.g. https://grafana.example.com)${opts.grafanaBaseUrl ? `, got ${JSON.stringify(opts.grafanaBaseUrl)}` : ''}`,
    );
  }
  slos.forEach((s) => {
    for (const key of ['runbookUrl', 'dashboardUrl'] as const) {
      const u = s[key];
      if (u !== undefined && !ABSOLUTE.test(u)) problems.push(`SLO ${s.name}: ${key} must be an absolute http(s) URL, got ${JSON.stringify(u)}`);
    }
  });
  if (problems.length > 0) throw new GenerateError(`alert links would not open from a pager:\n  ${problems.join('\n  ')}`);
}

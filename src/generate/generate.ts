import type { Config } from '../config/schema/index.js';
import type { SloConfig } from '../config/schema/slos.js';
import type { DlqConfig } from '../config/schema/dlqs.js';
import { buildSloModel, type SloModel, type SloModelContext } from './model/slo-model.js';
import { optionsFromConfig, resolveGenerateOptions, type GenerateOptions } from './options.js';
import { requireLinkBases } from './links.js';
import type { StoreRebuildObjectives } from './rules/rebuild.js';
import { sloGroups } from './rules/slo-groups.js';
import { operationalGroup } from './rules/operational.js';
import { prometheusRule } from './rules/prometheus-rule.js';
import type { RuleFile } from './rules/types.js';
import { alertmanagerConfig, PAGER_INTEGRATIONS_COMMENT } from './alertmanager/alertmanager.js';
import { promtoolTests } from './promtool/unit-tests.js';
import { header, toYaml, type GeneratedFile } from './writer.js';
import { GenerateError } from './errors.js';
import { generateDashboards, type DashboardConfig } from './dashboards/index.js';
import type { GenerateTarget } from './targets.js';

export { GENERATE_TARGETS, type GenerateTarget } from './targets.js';

/** Folder of the dashboards inside the output directory of `generate all`. */
export const DASHBOARDS_DIR = 'dashboards';

/** File names inside the output directory. */
export const FILES = {
  sloRules: 'slo-rules.yml',
  operationalRules: 'operational-rules.yml',
  prometheusRule: 'prometheus-rule.yaml',
  testsDir: 'tests',
  alertmanager: 'alertmanager.yml',
} as const;

/** What the generators read from a config: the SLOs, and where present the stores, DLQs and `alerting`. */
export type GenerateInput = Pick<Config, 'slos'> & Partial<Pick<Config, 'stores' | 'dlqs' | 'alerting'>>;

/** Config sections besides the SLOs that shape the rules: store rebuild objectives, DLQ kinds (SLO sources). */
export interface AlertsContext {
  readonly stores?: readonly StoreRebuildObjectives[];
  readonly dlqs?: readonly DlqConfig[];
}

/** Spec -> model for every SLO; errors name the SLO (and, for windows, the tier and the fix). */
export function buildModels(slos: readonly SloConfig[], context: SloModelContext = {}): SloModel[] {
  return slos.map((slo, i) => {
    try {
      return buildSloModel(slo, context);
    } catch (err) {
      throw new GenerateError(`slos[${i}] (${slo.name}): ${(err as Error).message}`, { cause: err });
    }
  });
}

/** Notes on tiers switched off because their windows do not fit the scrape interval, one line each. */
export function disabledTierNotes(slos: readonly SloConfig[], models: readonly SloModel[]): string[] {
  return models.flatMap((m, i) =>
    m.tiers
      .filter((t) => t.disabledReason !== undefined && slos[i]!.alerting.tiers[t.id]?.enabled !== false)
      .map((t) => `slos[${i}] (${m.name}): burn tier ${t.id} is off: ${t.disabledReason}`),
  );
}

/** Prometheus rule files (and optional promtool tests) for the configured SLOs. */
export function generateAlerts(slos: readonly SloConfig[], partial: Partial<GenerateOptions> = {}, context: AlertsContext = {}): GeneratedFile[] {
  const opts = resolveGenerateOptions(partial);
  const models = buildModels(slos, { scrapeInterval: opts.scrapeInterval, ...(context.dlqs ? { dlqs: context.dlqs } : {}) });
  requireLinkBases(opts, models);
  const sloFile: RuleFile = { groups: models.flatMap((m) => sloGroups(m, opts)) };
  const opsFile: RuleFile = { groups: [operationalGroup(opts, context.stores)] };
  const modeNote =
    opts.format === 'sloth'
      ? 'SLO recording and burn-rate alert rules, Sloth-compatible names (slo:*, sloth_*).'
      : 'SLO recording and multiwindow multi-burn-rate alert rules.';
  if (opts.format === 'k8s') {
    if (opts.withTests) throw new GenerateError('--with-tests writes promtool tests for plain rule files: use --format prometheus or sloth');
    const docs = [prometheusRule(sloFile.groups, opts, 'slos'), prometheusRule(opsFile.groups, opts, 'operational')];
    return [
      { path: FILES.prometheusRule, text: header('Kubernetes PrometheusRule resources (Prometheus Operator).') + docs.map((d) => toYaml(d)).join('---\n') },
    ];
  }
  const files: GeneratedFile[] = [
    { path: FILES.sloRules, text: header(modeNote) + toYaml(sloFile) },
    { path: FILES.operationalRules, text: header('Operational alerts on the pipeline and the monitor (not SLOs).') + toYaml(opsFile) },
  ];
  if (opts.withTests) {
    const { files: tests, skipped } = promtoolTests(models, opts, `../${FILES.sloRules}`);
    const note = skipped.length > 0 ? `# Not covered (input series cannot be synthesised from free-form PromQL): ${skipped.join(', ')}\n` : '';
    for (const t of tests) {
      files.push({
        path: `${FILES.testsDir}/${t.slo}.test.yml`,
        text: header(`promtool unit tests of the burn alerts of SLO ${t.slo}: promtool test rules alerts/tests/*.test.yml`) + note + toYaml(t.file),
      });
    }
  }
  return files;
}

/** alertmanager.yml with the pager/ticket routes and the inhibitions. */
export function generateAlertmanager(partial: Partial<GenerateOptions> = {}): GeneratedFile[] {
  const opts = resolveGenerateOptions(partial);
  const yaml = toYaml(alertmanagerConfig(opts)).replace(/\ninhibit_rules:/, `${PAGER_INTEGRATIONS_COMMENT.trimEnd()}\ninhibit_rules:`);
  return [
    {
      path: FILES.alertmanager,
      text: header("Alertmanager routing: the monitor's own alerts -> monitor, severity=page -> pager, severity=ticket -> ticket.") + yaml,
    },
  ];
}

/** Everything `cqrs-slo generate <target>` writes. */
export function generate(config: GenerateInput & DashboardConfig, target: GenerateTarget, flags: Partial<GenerateOptions> = {}): GeneratedFile[] {
  const partial = optionsFromConfig(config.alerting, flags);
  const out: GeneratedFile[] = [];
  if (target === 'alerts' || target === 'all')
    out.push(...generateAlerts(config.slos, partial, { ...(config.stores ? { stores: config.stores } : {}), ...(config.dlqs ? { dlqs: config.dlqs } : {}) }));
  if (target === 'alertmanager' || target === 'all') out.push(...generateAlertmanager(partial));
  if (target === 'dashboards') out.push(...generateDashboards(config, partial));
  // With everything else, the dashboards go to their own folder (GeneratedFile paths are relative).
  if (target === 'all') out.push(...generateDashboards(config, partial).map((f) => ({ ...f, path: `${DASHBOARDS_DIR}/${f.path}` })));
  return out;
}

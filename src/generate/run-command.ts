import { loadConfigForGenerate } from '../config/load.js';
import { ConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { DASHBOARDS_DIR, generate, GENERATE_TARGETS, type GenerateTarget } from './generate.js';
import { DEFAULT_OPTIONS, RULE_FORMATS, type GenerateOptions, type RuleFormat } from './options.js';
import { writeFilesMoving } from './writer.js';
import { GenerateError } from './errors.js';
import { InputError, readSloInputs } from '../input/index.js';
import { checkAlerting, parseScrapeInterval } from './check.js';

export interface CliOptions {
  config: string;
  out?: string;
  dashboardsOut?: string;
  withTests?: boolean;
  format: string;
  runbookBaseUrl?: string;
  grafanaBaseUrl?: string;
  scrapeInterval?: string;
  evaluationInterval?: string;
  pagerUrl?: string;
  ticketUrl?: string;
  monitorUrl?: string;
  input?: string[];
  k8sNamespace?: string;
  k8sName?: string;
  k8sLabel?: string[];
}

/** `key=value` pairs of --k8s-label; Kubernetes label keys and values. */
function parseLabels(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^((?:[a-z0-9.-]+\/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,62})=([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/.exec(p);
    if (!m) throw new GenerateError(`--k8s-label must be key=value with a Kubernetes label key and value, got ${JSON.stringify(p)}`);
    out[m[1]!] = m[2] ?? '';
  }
  return out;
}

/** `cqrs-slo generate <what>`: the command's work, imported when the command runs (command.ts). */
export function runGenerateCommand(what: string, o: CliOptions): void {
  try {
    if (!(GENERATE_TARGETS as readonly string[]).includes(what))
      throw new GenerateError(`unknown target ${JSON.stringify(what)}: expected ${GENERATE_TARGETS.join(', ')}`);
    if (!(RULE_FORMATS as readonly string[]).includes(o.format))
      throw new GenerateError(`--format must be one of ${RULE_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}`);
    const config = loadConfigForGenerate(o.config);
    const input = { ...config, slos: [...config.slos, ...(o.input ? readSloInputs(o.input, (w) => process.stderr.write(`warning: ${w}\n`)) : [])] };
    const opts: Partial<GenerateOptions> = { format: o.format as RuleFormat, withTests: o.withTests ?? false };
    if (o.runbookBaseUrl) opts.runbookBaseUrl = o.runbookBaseUrl;
    if (o.grafanaBaseUrl) opts.grafanaBaseUrl = o.grafanaBaseUrl;
    if (o.pagerUrl) opts.pagerUrl = o.pagerUrl;
    if (o.ticketUrl) opts.ticketUrl = o.ticketUrl;
    if (o.monitorUrl) opts.monitorUrl = o.monitorUrl;
    const scrape = parseScrapeInterval(o.scrapeInterval);
    if (scrape !== undefined) opts.scrapeInterval = scrape;
    for (const [flag, v] of [
      ['--k8s-namespace', o.k8sNamespace],
      ['--k8s-name', o.k8sName],
    ] as const) {
      if (v !== undefined && !/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(v))
        throw new GenerateError(`${flag} must be a DNS-1123 label (lower-case letters, digits, -), got ${JSON.stringify(v)}`);
    }
    opts.k8s = {
      namespace: o.k8sNamespace ?? DEFAULT_OPTIONS.k8s.namespace,
      name: o.k8sName ?? DEFAULT_OPTIONS.k8s.name,
      labels: o.k8sLabel ? parseLabels(o.k8sLabel) : DEFAULT_OPTIONS.k8s.labels,
    };
    if (o.evaluationInterval) {
      const s = parseDuration(o.evaluationInterval);
      if (s === undefined) throw new GenerateError(`--evaluation-interval must be a duration like 30s, got ${JSON.stringify(o.evaluationInterval)}`);
      opts.evaluationInterval = s;
    }
    const files = generate(input, what as GenerateTarget, opts);
    if (what !== 'alertmanager' && what !== 'dashboards') for (const note of checkAlerting(input, scrape)) process.stderr.write(`note: ${note}\n`);
    const out = o.out ?? (what === 'dashboards' ? 'dashboards' : 'alerts');
    const written = writeFilesMoving(out, files, DASHBOARDS_DIR, what === 'all' ? o.dashboardsOut : undefined);
    for (const p of written) process.stdout.write(`wrote ${p}\n`);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof GenerateError || err instanceof InputError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

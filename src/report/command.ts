import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/load.js';

/** `--at`: an ISO 8601 time (`2026-12-07T08:00:00Z`) or Unix seconds; exits 2 otherwise. */
export function parseAt(value: string): number {
  const seconds = /^\d{9,11}(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('must be an ISO 8601 time such as 2026-12-07T08:00:00Z or Unix seconds.');
  return Math.floor(seconds);
}

/**
 * `cqrs-slo report`: one SLO report now (or for periods ending at `--at`), written like the
 * scheduled ones. Exit 0 when the report has data and its webhook (if any) accepted it, 1 when
 * Prometheus was unreadable (the files say "no data") or writing or posting failed, 2 for a bad
 * configuration or option.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Write one SLO report (HTML, Markdown, JSON; webhook when configured) from the recording rules in Prometheus')
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .option('-o, --out <dir>', 'output directory (overrides reports.outDir)')
    .option('--at <time>', 'end of the reported periods: ISO 8601 time or Unix seconds (default: now)', parseAt)
    .action(async (opts: { config: string; out?: string; at?: number }) => {
      const config = loadConfig(opts.config);
      const { runReport } = await import('./run-report.js');
      const run = await runReport(config, { at: opts.at ?? Math.floor(Date.now() / 1000), outDir: opts.out });
      for (const f of run.files) process.stdout.write(`${f}\n`);
      if (run.result !== 'success') {
        process.stderr.write(`cqrs-slo report: ${run.result}: ${run.reason ?? ''}\n`);
        process.exitCode = 1;
      }
    });
}

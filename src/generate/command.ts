import type { Command } from 'commander';

/** Adds `cqrs-slo generate ...` subcommands to the CLI. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Generate Prometheus rules, Alertmanager config and dashboards from the config')
    .argument('<what>', 'alerts | alertmanager | all')
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .action(() => {
      process.stderr.write('generate: not implemented yet\n');
      process.exitCode = 1;
    });
}

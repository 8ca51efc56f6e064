import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { loadConfig } from '../config/load.js';
import { checkReferences } from '../config/references.js';
import type { Config } from '../config/schema/index.js';
import type { Seconds } from '../core/units.js';
import { createLogger } from '../telemetry/logger.js';
import type { Hook } from './hooks.js';
import { stderrProgress } from './progress.js';
import { stamp, writeReport, type VerifyReport } from './report.js';
import type { BacklogTarget } from './watch.js';

/** Bad flags or a flag naming nothing in the config: exit 2 with the flag or field named. */
export class VerifyUsageError extends Error {
  override readonly name = 'VerifyUsageError';
}

interface CommonFlags {
  config: string;
  reportDir: string;
  interval: string;
  logLevel: string;
}
interface DrainFlags extends CommonFlags {
  store?: string;
  projection?: string;
  cluster?: string;
  group?: string;
  stream?: string;
  pause: string;
  limit: string;
  drainedAt: string;
  rateWindow: string;
  settle?: string;
  pauseHook?: string;
  pauseUrl?: string;
  resumeHook?: string;
  resumeUrl?: string;
  hookTimeout: string;
}
interface RebuildFlags extends CommonFlags {
  store?: string;
  projection?: string;
  checksumSql?: string;
  checksumTimeout: string;
  window: string;
  startHook?: string;
  startUrl?: string;
}

function seconds(flag: string, v: string, min = 0): Seconds {
  const s = parseDuration(v);
  if (s === undefined || s < min)
    throw new VerifyUsageError(`${flag} must be a duration like 30s, 10m or 1h${min > 0 ? ` of at least ${min} s` : ''}, got ${JSON.stringify(v)}`);
  return s;
}

function hook(flags: [string, string | undefined][], urlFlag: [string, string | undefined]): Hook | undefined {
  const [cmdFlag, command] = flags[0]!;
  const [uFlag, url] = urlFlag;
  if (command !== undefined && url !== undefined) throw new VerifyUsageError(`give ${cmdFlag} or ${uFlag}, not both`);
  if (command !== undefined) {
    if (!command.trim()) throw new VerifyUsageError(`${cmdFlag} must not be empty`);
    return { kind: 'shell', command };
  }
  if (url !== undefined) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new VerifyUsageError(`${uFlag} must be an http(s) URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new VerifyUsageError(`${uFlag} must be an http(s) URL, got protocol ${u.protocol}`);
    return { kind: 'http', url };
  }
  return undefined;
}

function load(file: string): Config {
  const config = loadConfig(file);
  checkReferences(config, file);
  return config;
}

function names(list: readonly { name: string }[]): string {
  return list.length ? list.map((x) => JSON.stringify(x.name)).join(', ') : 'none';
}

/** The backlog target named by the flags, checked against the config. */
function backlogTarget(
  config: Config,
  f: { store?: string | undefined; projection?: string | undefined; cluster?: string | undefined; group?: string | undefined },
): BacklogTarget {
  const byStore = f.store !== undefined || f.projection !== undefined;
  const byGroup = f.cluster !== undefined || f.group !== undefined;
  if (byStore === byGroup) throw new VerifyUsageError('give --store and --projection, or --cluster and --group');
  if (byStore) {
    if (!f.store || !f.projection) throw new VerifyUsageError('--store and --projection go together');
    if (!config.stores.some((s) => s.name === f.store))
      throw new VerifyUsageError(`--store: no stores[].name ${JSON.stringify(f.store)} in the config (stores: ${names(config.stores)})`);
    return { kind: 'projection', store: f.store, projection: f.projection };
  }
  if (!f.cluster || !f.group) throw new VerifyUsageError('--cluster and --group go together');
  if (!config.clusters.some((c) => c.name === f.cluster))
    throw new VerifyUsageError(`--cluster: no clusters[].name ${JSON.stringify(f.cluster)} in the config (clusters: ${names(config.clusters)})`);
  return { kind: 'group', cluster: f.cluster, group: f.group };
}

/** Prints the verdict, writes the reports, sets the exit code (0 pass, 1 fail). */
function finish(report: VerifyReport, dir: string, startedAt: number): void {
  const files = writeReport(dir, `verify-${report.check}-${stamp(startedAt)}`, report);
  for (const r of report.reasons) process.stderr.write(`  - ${r}\n`);
  process.stdout.write(
    `${report.verdict.toUpperCase()}: verify ${report.check}${report.reasons.length ? ` (${report.reasons.length} reason${report.reasons.length > 1 ? 's' : ''})` : ''}\n`,
  );
  for (const f of files) process.stdout.write(`wrote ${f}\n`);
  process.exitCode = report.verdict === 'pass' ? 0 : 1;
}

/** Runs an action, turning usage and config errors into exit 2 with their message. */
async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof VerifyUsageError || err instanceof ConfigError) {
      process.stderr.write(`${err instanceof VerifyUsageError ? 'usage: ' : 'invalid configuration:\n'}${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'];
function logger(level: string) {
  if (!LOG_LEVELS.includes(level)) throw new VerifyUsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  // Logs go to stderr with the progress: stdout carries only the verdict and the report paths.
  return createLogger(level as 'warn', process.stderr);
}

/** Adds `cqrs-slo verify drain|rebuild`: game-day checks with pass/fail exit codes and reports (docs/verify.md). */
export function registerVerifyCommand(program: Command): void {
  const verify = program
    .command('verify')
    .description('Game-day checks: a paused consumer drains its backlog in time; a rebuild finishes in its window with the same read model');

  verify
    .command('drain')
    .description(
      'Pause a projection or consumer group (hook or by hand), resume it, and check that its backlog drains within the limit with no lost or duplicated event',
    )
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .option('--store <name>', 'stores[].name holding the projection')
    .option('--projection <name>', 'projection whose lag (head - checkpoint) is the backlog')
    .option('--cluster <name>', 'clusters[].name of the consumer group')
    .option('--group <id>', 'consumer group whose total offset lag is the backlog')
    .option('--stream <name>', 'streams[].name tailed for lost (missing aggregate versions) and duplicated events')
    .option('--pause <duration>', 'how long the consumer stays paused', '10m')
    .option('--limit <duration>', 'time allowed from the resume until the backlog is drained', '15m')
    .option('--drained-at <n>', 'backlog at or under this counts as drained', '0')
    .option('--interval <duration>', 'time between readings', '1s')
    .option('--rate-window <duration>', 'span of readings the drain rate and ETA are computed over', '30s')
    .option(
      '--settle <duration>',
      "after the drain, read the stream until it is at its end and the stream's settle has passed, this long at most (default: the stream's settle + 5s)",
    )
    .option('--pause-hook <command>', 'shell command that pauses the consumer')
    .option('--pause-url <url>', 'URL POSTed to pause the consumer')
    .option('--resume-hook <command>', 'shell command that resumes the consumer')
    .option('--resume-url <url>', 'URL POSTed to resume the consumer')
    .option('--hook-timeout <duration>', 'a pause or resume hook that takes longer fails', '30s')
    .option('--report-dir <dir>', 'where the JSON and Markdown reports are written', 'verify-reports')
    .option('--log-level <level>', 'log level of the sources (stderr)', 'warn')
    .action((f: DrainFlags) =>
      guarded(async () => {
        const interval = seconds('--interval', f.interval, 0.1);
        const pause = seconds('--pause', f.pause);
        const limit = seconds('--limit', f.limit, 0.1);
        const rateWindow = seconds('--rate-window', f.rateWindow, 0.1);
        const hookTimeout = seconds('--hook-timeout', f.hookTimeout, 0.1);
        if (!/^\d+$/.test(f.drainedAt)) throw new VerifyUsageError(`--drained-at must be a whole number, got ${JSON.stringify(f.drainedAt)}`);
        const pauseHook = hook([['--pause-hook', f.pauseHook]], ['--pause-url', f.pauseUrl]);
        const resumeHook = hook([['--resume-hook', f.resumeHook]], ['--resume-url', f.resumeUrl]);
        if ((pauseHook === undefined) !== (resumeHook === undefined))
          throw new VerifyUsageError('give both a pause and a resume hook, or neither (pause and resume by hand)');
        const log = logger(f.logLevel);
        const config = load(f.config);
        const target = backlogTarget(config, f);
        let streamSettle = 0;
        if (f.stream !== undefined) {
          const s = config.streams.find((x) => x.name === f.stream);
          if (!s) throw new VerifyUsageError(`--stream: no streams[].name ${JSON.stringify(f.stream)} in the config (streams: ${names(config.streams)})`);
          streamSettle = s.kind === 'sql' ? s.settle : 0;
        }
        const settle = f.settle !== undefined ? seconds('--settle', f.settle) : streamSettle + 5;
        const startedAt = Date.now();
        const { runDrain } = await import('./drain.js');
        const report = await runDrain(
          config,
          {
            target,
            stream: f.stream,
            pause,
            limit,
            interval,
            drainedAt: Number(f.drainedAt),
            rateWindow,
            settle,
            streamSettle,
            pauseHook,
            resumeHook,
            hookTimeout,
          },
          stderrProgress,
          log,
        );
        finish(report, f.reportDir, startedAt);
      }),
    );

  verify
    .command('rebuild')
    .description('Time a projection rebuild and compare a checksum query of the read model before and after')
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .option('--store <name>', 'stores[].name holding the projection and its read model')
    .option('--projection <name>', 'projection being rebuilt')
    .option(
      '--checksum-sql <sql>',
      "query whose first column of the first row is the read model checksum, e.g. select md5(string_agg(t::text, ',' order by id)) from t",
    )
    .option('--checksum-timeout <duration>', 'statement timeout of the checksum query', '5m')
    .option('--window <duration>', 'time the rebuild may take', '30m')
    .option('--interval <duration>', 'time between readings', '1s')
    .option('--start-hook <command>', 'shell command that starts (or runs) the rebuild; its timeout is the window')
    .option('--start-url <url>', 'URL POSTed to start the rebuild')
    .option('--report-dir <dir>', 'where the JSON and Markdown reports are written', 'verify-reports')
    .option('--log-level <level>', 'log level of the sources (stderr)', 'warn')
    .action((f: RebuildFlags) =>
      guarded(async () => {
        const interval = seconds('--interval', f.interval, 0.1);
        const window = seconds('--window', f.window, 1);
        const checksumTimeout = seconds('--checksum-timeout', f.checksumTimeout, 1);
        if (!f.checksumSql?.trim()) throw new VerifyUsageError('--checksum-sql is required');
        const startHook = hook([['--start-hook', f.startHook]], ['--start-url', f.startUrl]);
        const log = logger(f.logLevel);
        const config = load(f.config);
        const target = backlogTarget(config, { store: f.store, projection: f.projection });
        if (target.kind !== 'projection') throw new VerifyUsageError('--store and --projection are required');
        const store = config.stores.find((s) => s.name === target.store)!;
        const startedAt = Date.now();
        const { runRebuild } = await import('./rebuild.js');
        const report = await runRebuild(
          config,
          { store, projection: target.projection, checksumSql: f.checksumSql, checksumTimeout, window, interval, startHook },
          stderrProgress,
          log,
        );
        finish(report, f.reportDir, startedAt);
      }),
    );
}

/**
 * What importing each part of the service costs in memory (not a timed test).
 *
 *   npm run build && npx vite-node bench/import-footprint.ts
 *   RUNS=5 ONLY=kafkajs,cli+run npx vite-node bench/import-footprint.ts
 *
 * For every step below, RUNS (default 3) fresh `node` processes import the step's modules (npm
 * packages by name, the service's own from dist/, so build first) and report, just after the
 * imports, VmRSS and VmHWM from /proc/self/status and heapUsed from process.memoryUsage(); the
 * table gives medians and the difference to a bare process importing nothing. Packages are
 * measured alone; the last steps are the CLI as any command loads it and the `run` path (with the
 * Kafka source, which `run` imports at start-up when a cluster is configured), and the packages of
 * the run path together and each left out (what one adds on top of the others).
 * ONLY (comma-separated step names) restricts the steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round } from './service-probe.js';

const RUNS = Number(process.env.RUNS ?? 3);
const dist = (p: string): string => pathToFileURL(resolve('dist', p)).href;

/** The npm packages `run` loads at start-up with one Kafka cluster. */
const RUN_PACKAGES = ['zod', 'yaml', 'pino', 'prom-client', 'kafkajs', 'commander', '@opentelemetry/api'];

/** Step name -> modules imported in that order. */
const STEPS: [string, string[]][] = [
  ['bare', []],
  ['zod', ['zod']],
  ['yaml', ['yaml']],
  ['pino', ['pino']],
  ['prom-client', ['prom-client']],
  ['kafkajs', ['kafkajs']],
  ['commander', ['commander']],
  ['express', ['express']],
  ['node-cron', ['node-cron']],
  ['@opentelemetry/api', ['@opentelemetry/api']],
  ['pg', ['pg']],
  ['mysql2', ['mysql2']],
  ['amqplib', ['amqplib']],
  ['config schema', [dist('config/schema/index.js')]],
  ['config loader', [dist('config/load.js')]],
  ['generate/ (the generators)', [dist('generate/generate.js')]],
  ['report/ command', [dist('report/command.js')]],
  ['verify/ command', [dist('verify/command.js')]],
  ['server', [dist('server/server.js')]],
  ['pages (/ and /slo)', [dist('server/landing-page.js'), dist('server/slo-page.js')]],
  ['probes', [dist('sources/probe/index.js')]],
  ['kafka source', [dist('sources/kafka/index.js')]],
  ['metrics', [dist('metrics/create-metrics.js')]],
  ['cli', [dist('cli.js')]],
  ['cli+run', [dist('cli.js'), dist('run.js')]],
  // What `run` loads before its first cycle with one Kafka cluster configured.
  ['cli+run+kafka', [dist('cli.js'), dist('run.js'), dist('sources/kafka/index.js')]],
  // The packages the run path still loads, together and each left out: what one of them adds on
  // top of the others (the single rows above overlap, as each pays for Node's module loaders).
  ['run packages', RUN_PACKAGES],
  ...RUN_PACKAGES.map((p): [string, string[]] => [`run packages without ${p}`, RUN_PACKAGES.filter((q) => q !== p)]),
];

interface Footprint {
  rssMB: number;
  hwmMB: number;
  heapMB: number;
}

const PROBE = `
for (const m of JSON.parse(process.env.FOOTPRINT_MODULES)) await import(m);
const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
const kb = (k) => Number(new RegExp(k + ':\\\\s+(\\\\d+) kB').exec(status)[1]);
console.log(JSON.stringify({ rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024, heapMB: process.memoryUsage().heapUsed / 1048576 }));
`;

function measure(modules: string[]): Footprint {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    env: { ...process.env, FOOTPRINT_MODULES: JSON.stringify(modules) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`import of ${modules.join(', ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Footprint;
}

function main(): void {
  if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` first');
  const only = process.env.ONLY?.split(',').map((s) => s.trim());
  const steps = STEPS.filter(([name]) => name === 'bare' || !only || only.includes(name));
  const rows: { step: string; rssMB: number; hwmMB: number; heapMB: number }[] = [];
  for (const [step, modules] of steps) {
    const runs = Array.from({ length: RUNS }, () => measure(modules));
    const med = (k: keyof Footprint) => round(median(runs.map((x) => x[k])));
    rows.push({ step, rssMB: med('rssMB'), hwmMB: med('hwmMB'), heapMB: med('heapMB') });
  }
  const bare = rows[0]!;
  console.log(`medians of ${RUNS} processes each, Node ${process.version}; +RSS and +heap against the bare process`);
  console.log('| step | VmRSS MB | +RSS | VmHWM MB | heapUsed MB | +heap |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.step} | ${r.rssMB} | ${round(r.rssMB - bare.rssMB)} | ${r.hwmMB} | ${r.heapMB} | ${round(r.heapMB - bare.heapMB)} |`);
  }
  const all = rows.find((r) => r.step === 'run packages');
  if (!all) return;
  console.log('\nWhat each run package adds on top of the others (run packages minus the row without it):');
  for (const r of rows.filter((x) => x.step.startsWith('run packages without '))) {
    console.log(`| ${r.step.slice('run packages without '.length)} | ${round(all.rssMB - r.rssMB)} MB RSS | ${round(all.heapMB - r.heapMB)} MB heap |`);
  }
}

main();

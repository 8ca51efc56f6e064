import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { startReportSchedule } from '../../../src/report/schedule.js';
import { errorRatioRecord } from '../../../src/generate/rules/slo-recordings.js';
import { nativeNaming } from '../../../src/generate/rules/naming.js';
import type { SloReportDoc } from '../../../src/report/report-model.js';
import { eventually, freePort, startPrometheus, toolsAvailable, type ServerHandle } from '../../env/prometheus.js';

// Scheduled SLO reports against a real Prometheus holding known history: recorded series
// backfilled with promtool, then every number and incident range asserted exactly.
const strict = process.env.CI === 'true';
const skip = !strict && !toolsAvailable(['prometheus', 'promtool']).ok;

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
// End of the reported periods: a whole minute two minutes ago, so that the samples at `at` are
// within Prometheus' 5-minute lookback for the scheduled runs too.
const at = Math.floor(Date.now() / 1000 / MIN) * MIN - 2 * MIN;
const earlier = at - 12 * HOUR;

// The burn windows of a 7d SLO at the default 1m scrape interval (src/core/slo/burn-windows.ts):
// page_fast 14m/4m (short raised to 4 scrapes), page_slow 1h24m/7m, ticket_fast 5h36m/28m,
// ticket_slow 16h48m/1h24m; thresholds 14.4, 6, 3 and 1 x the 1 % budget.
const WINDOWS = [4 * MIN, 7 * MIN, 14 * MIN, 28 * MIN, 84 * MIN, 336 * MIN, 1008 * MIN];

/** Error ratio of orders-fresh at t, the same in every window: three bursts over a 0.1x baseline. */
function burn(t: number): number {
  if (t >= at - 2 * DAY && t < at - 2 * DAY + 30 * MIN) return 0.5; // every tier: page, burn 50x
  if (t >= at - DAY && t < at - DAY + 10 * MIN) return 0.2; // every tier: page, burn 20x
  if (t >= at - 5 * DAY && t < at - 5 * DAY + 2 * HOUR) return 0.02; // ticket_slow only (> 0.01): ticket, 2x
  return 0.001;
}

function backfill(): string {
  const lines: string[] = [];
  for (let t = at - 8 * DAY; t <= at; t += MIN) {
    const late = t > earlier;
    lines.push(`cqrs_slo:sli_error:ratio_period{slo="orders-fresh"} ${late ? 0.004 : 0.003} ${t}`);
    lines.push(`cqrs_slo:error_budget_remaining:ratio{slo="orders-fresh"} ${late ? 0.6 : 0.7} ${t}`);
    lines.push(`cqrs_slo:sli_error:ratio_period{slo="billing-lag"} 0.032 ${t}`);
    lines.push(`cqrs_slo:error_budget_remaining:ratio{slo="billing-lag"} -2.2 ${t}`);
    // billing-lag was measured for the last 3 days only: its coverage.
    if (t >= at - 3 * DAY) lines.push(`cqrs_slo_total{slo="billing-lag"} ${(t - (at - 3 * DAY)) / MIN} ${t}`);
    for (const w of WINDOWS) {
      lines.push(`${errorRatioRecord(nativeNaming, w)}{slo="orders-fresh"} ${burn(t)} ${t}`);
      lines.push(`${errorRatioRecord(nativeNaming, w)}{slo="billing-lag"} 0 ${t}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

const configText = (promUrl: string, outDir: string, extra = '') => `prometheus: {url: "${promUrl}", timeout: 10s}
reports:
  outDir: ${JSON.stringify(outDir)}
  keep: 5
  maxIncidents: 2
${extra}
slos:
  - {name: orders-fresh, description: "Order view <b>fresh</b> | fast", objective: 99, period: 7d, sli: {kind: duplicates, stream: s}}
  - {name: billing-lag, objective: 99, period: 7d, sli: {kind: duplicates, stream: s}}
  - {name: not-recorded, objective: 99.9, period: 7d, sli: {kind: duplicates, stream: s}}
`;

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/cqrs-slo.js', ...args], { encoding: 'utf8', timeout: 120_000 });

let prom: ServerHandle | undefined;
let dir = '';
afterAll(async () => {
  await prom?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('SLO reports on a real Prometheus with backfilled history', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cqrs-report-'));
    prom = await startPrometheus({ backfill: backfill(), readyTimeoutMs: 60_000 });
  }, 120_000);

  test('cqrs-slo report: attainment, budget, coverage, worst incidents, change since the previous report', async () => {
    const out = join(dir, 'cli');
    await writeFile(join(dir, 'cli.yaml'), configText(prom!.url, join(dir, 'unused')));
    const first = cli(['report', '--config', join(dir, 'cli.yaml'), '--out', out, '--at', new Date(earlier * 1000).toISOString()]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const second = cli(['report', '--config', join(dir, 'cli.yaml'), '--out', out, '--at', String(at)]);
    expect(second.status).toBe(0);
    expect((await readdir(out)).sort()).toHaveLength(6);
    const files = second.stdout.trim().split('\n');
    const doc = JSON.parse(await readFile(files.find((f) => f.endsWith('.json'))!, 'utf8')) as SloReportDoc;
    expect(doc.at).toBe(at);
    expect(doc.previousAt).toBe(earlier);
    const [orders, billing, none] = doc.slos;

    expect(orders!.attainment).toBeCloseTo(99.6, 10);
    expect(orders!.budgetRemaining).toBe(0.6);
    expect(orders!.budgetSpent).toBeCloseTo(0.4, 10);
    expect(orders!.change!.attainment).toBeCloseTo(-0.1, 10); // 99.6 - 99.7
    expect(orders!.change!.budgetRemaining).toBeCloseTo(-0.1, 10); // 0.6 - 0.7
    expect(orders!.change!.previousState).toBe('healthy');
    // Three incidents; the two worst: pages before the ticket, higher burn first.
    expect(orders!.incidentCount).toBe(3);
    expect(orders!.incidents).toEqual([
      {
        start: at - 2 * DAY,
        end: at - 2 * DAY + 30 * MIN,
        severity: 'page',
        tiers: ['page_fast', 'page_slow', 'ticket_fast', 'ticket_slow'],
        peakBurnRate: 50,
        ongoing: false,
      },
      {
        start: at - DAY,
        end: at - DAY + 10 * MIN,
        severity: 'page',
        tiers: ['page_fast', 'page_slow', 'ticket_fast', 'ticket_slow'],
        peakBurnRate: 20,
        ongoing: false,
      },
    ]);

    expect(billing!.state).toBe('exhausted');
    expect(billing!.budgetSpent).toBeCloseTo(3.2, 10);
    // Coverage: at minus the first point of the coverage subquery (10080 s steps, aligned to the
    // epoch) at or after the first cqrs_slo_total sample (at - 3d).
    const step = 10_080;
    const firstPoint = Math.ceil((at - 3 * DAY) / step) * step;
    expect(billing!.coverageSeconds).toBe(at - firstPoint);
    expect(billing!.coverage).toMatch(/^measured for 3\u00a0d of 7\u00a0d$/);
    expect(billing!.incidentCount).toBe(0);

    expect(none).toMatchObject({ name: 'not-recorded', state: 'no data' });
    expect(none!.attainment).toBeUndefined();
    expect(none!.incidents).toBeUndefined();

    const md = await readFile(files.find((f) => f.endsWith('.md'))!, 'utf8');
    expect(md).toContain('| orders\\-fresh | 99% over 7d | 99\\.600% | 60\\.0% left, 40\\.0% spent | healthy | 3 |');
    expect(md).toContain('budget spent 3\\.2×');
    expect(md).toContain('Order view \\<b\\>fresh\\</b\\> \\| fast');
    const html = await readFile(files.find((f) => f.endsWith('.html'))!, 'utf8');
    expect(html).toContain('Order view &#60;b&#62;fresh&#60;/b&#62; | fast');
    expect(html).not.toContain('<b>fresh');
    expect(html).toContain('burn rate up to 50.0×');
  }, 180_000);

  test('Prometheus unreachable: every SLO says "no data", exit 1, files still written', async () => {
    const port = await freePort();
    const out = join(dir, 'down');
    await writeFile(join(dir, 'down.yaml'), configText(`http://127.0.0.1:${port}`, out));
    const r = cli(['report', '--config', join(dir, 'down.yaml'), '--at', String(at)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no_data: Prometheus unreachable/);
    const doc = JSON.parse(
      await readFile(
        r.stdout
          .trim()
          .split('\n')
          .find((f) => f.endsWith('.json'))!,
        'utf8',
      ),
    ) as SloReportDoc;
    expect(doc.slos.map((s) => [s.state, s.attainment, s.incidents])).toEqual([
      ['no data', undefined, undefined],
      ['no data', undefined, undefined],
      ['no data', undefined, undefined],
    ]);
    expect(
      await readFile(
        r.stdout
          .trim()
          .split('\n')
          .find((f) => f.endsWith('.md'))!,
        'utf8',
      ),
    ).not.toContain('100');
  }, 60_000);

  test('the schedule fires every second, writes files, POSTs the webhook and keeps at most `keep` reports', async () => {
    const posts: { text: string; blocks: { type: string }[] }[] = [];
    let fail = true;
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        // The first POST is refused: the run counts as an error and the schedule goes on.
        if (fail) {
          fail = false;
          res.writeHead(500).end();
          return;
        }
        posts.push(JSON.parse(body) as (typeof posts)[number]);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookPort = (receiver.address() as { port: number }).port;
    const out = join(dir, 'scheduled');
    process.env.CQRS_TEST_REPORT_HOOK = `http://127.0.0.1:${hookPort}/hook`;
    const config = parseConfig(
      configText(prom!.url, out, `  schedule: "*/1 * * * * *"\n  webhook: {url: "env:CQRS_TEST_REPORT_HOOK", timeoutSeconds: 5}`),
      join(dir, 'x.yaml'),
    );
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const schedule = startReportSchedule(config, { metrics, logger: pino({ level: 'silent' }) })!;
    try {
      await eventually(async () => (posts.length >= 6 ? true : undefined), 60_000, 'six accepted webhook POSTs', 200);
    } finally {
      await schedule.stop();
      await new Promise((resolve) => receiver.close(resolve));
    }
    expect(posts[0]!.text).toMatch(/^SLO report, .* UTC: 1 healthy, 1 exhausted, 1 no data$/);
    expect(posts[0]!.blocks[0]!.type).toBe('header');
    expect(posts[0]!.blocks).toHaveLength(4);
    const names = await readdir(out);
    expect(names.filter((n) => n.endsWith('.json')).length).toBeLessThanOrEqual(5);
    expect(names.filter((n) => n.endsWith('.html')).length).toBe(names.filter((n) => n.endsWith('.json')).length);
    const text = await registry.metrics();
    expect(text).toMatch(/cqrs_report_runs_total\{result="error"\} 1\n/);
    expect(Number(/cqrs_report_runs_total\{result="success"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(6);
    expect(Number(/^cqrs_report_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(at);
  }, 90_000);
});

import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { parseConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';
import { startPrometheus, eventually, promQuery, toolsAvailable, type ServerHandle } from '../../env/prometheus.js';

// The executive page in a real browser (Debian's chromium via playwright-core), with numbers
// from a real Prometheus (recording rules) and from the monitor's own counters.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const strict = process.env.CI === 'true';
const skip = !strict && (!CHROMIUM || !toolsAvailable(['prometheus']).ok);

let app: App | undefined;
let prom: ServerHandle | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await prom?.stop();
});

describe.skipIf(skip)('executive SLO page', () => {
  test('renders objective, attainment and budget from Prometheus, escaped, in Chromium', async () => {
    if (!CHROMIUM) throw new Error('chromium not installed (Debian package "chromium")');
    // Recording rules standing in for the generated ones: fixed values per SLO, after 27 days of
    // backfilled history (up to 10 minutes ago): orders-fresh spends its budget slowly
    // down to 80 %, billing-lag loses 60 % in one incident 10 days ago and drifts to 10 %.
    const now = Math.floor(Date.now() / 1000);
    const lines = ['# TYPE cqrs_slo:error_budget_remaining:ratio gauge'];
    // Every 4 minutes, as a recording rule would leave them (a range query sees a sample only
    // within the 5-minute lookback before each step).
    const N = 27 * 24 * 15;
    for (let k = N; k >= 1; k--) {
      const t = now - 600 - (k - 1) * 240;
      const done = 1 - k / N;
      lines.push(`cqrs_slo:error_budget_remaining:ratio{slo="orders-fresh"} ${(1 - 0.2 * done).toFixed(4)} ${t}`);
      const tenDays = 10 * 24 * 15;
      const billing = k > tenDays ? 1 - 0.1 * done : 0.4 - 0.3 * ((tenDays - k) / tenDays);
      lines.push(`cqrs_slo:error_budget_remaining:ratio{slo="billing-lag"} ${billing.toFixed(4)} ${t}`);
    }
    prom = await startPrometheus({
      backfill: `${lines.join('\n')}\n# EOF\n`,
      evaluationInterval: '1s',
      ruleFiles: {
        'fixed.rules.yml': `groups:
  - name: fixed
    rules:
      - record: cqrs_slo:sli_error:ratio_period
        expr: vector(0.002)
        labels: { slo: orders-fresh }
      - record: cqrs_slo:error_budget_remaining:ratio
        expr: vector(0.8)
        labels: { slo: orders-fresh }
      - record: cqrs_slo:sli_error:ratio_period
        expr: vector(0.009)
        labels: { slo: billing-lag }
      - record: cqrs_slo:error_budget_remaining:ratio
        expr: vector(0.1)
        labels: { slo: billing-lag }
`,
      },
    });
    await eventually(
      async () => ((await promQuery(prom!.url, 'cqrs_slo:error_budget_remaining:ratio')).length === 2 ? true : undefined),
      30_000,
      'recording rules evaluated',
    );

    const config = parseConfig(
      `server: {port: 0}
prometheus: {url: "${prom.url}"}
slos:
  - {name: orders-fresh, description: "Order view <fresh> & fast", owner: orders-team, objective: 99, sli: {kind: duplicates, stream: s}}
  - {name: billing-lag, owner: billing, objective: 99, period: 28d, sli: {kind: duplicates, stream: s}}
  - {name: not-measured, owner: nobody, objective: 99.9, sli: {kind: duplicates, stream: s}}`,
      'x.yaml',
    );
    app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });

    const api = (await (await fetch(`${app.url}/api/slos`)).json()) as {
      slos: { name: string; basis: string; state: string; budgetRemaining?: number; history?: [number, number][] }[];
    };
    // The budget history comes from a range query over the period: the rules exist only for the
    // last seconds, so its newest point holds the recorded value.
    expect(api.slos[0]!.history?.at(-1)?.[1]).toBe(0.8);
    // ...and the backfilled days before it: a point per step of the period.
    expect(api.slos[0]!.history!.length).toBeGreaterThan(20);
    expect(api.slos[1]!.history!.some(([, v]) => v > 0.9)).toBe(true);
    expect(api.slos.map((s) => [s.name, s.basis, s.state])).toEqual([
      ['orders-fresh', 'prometheus', 'healthy'],
      ['billing-lag', 'prometheus', 'at risk'],
      ['not-measured', 'none', 'no data'],
    ]);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1200, height: 500 } });
    const res = await page.goto(`${app.url}/slo`);
    expect(res?.status()).toBe(200);
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('orders-fresh');
    expect(rows[0]).toContain('Order view <fresh> & fast'); // shown as text, not markup
    expect(rows[0]).toContain('99.800%');
    expect(rows[0]).toContain('80.0%');
    expect(rows[1]).toContain('at risk');
    expect(rows[1]).toContain('28d');
    expect(rows[2]).toContain('no data');
    // The budget sparklines are drawn: one polyline per SLO with a history, of many points.
    const sparks = await page.locator('svg.spark polyline').evaluateAll((els) => els.map((e) => (e.getAttribute('points') ?? '').trim().split(/\s+/).length));
    expect(sparks).toHaveLength(2);
    for (const n of sparks) expect(n).toBeGreaterThan(20);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/slo-page.png', fullPage: true });
    // The page with a Prometheus, as docs/executive-page.md shows it.
    await page.screenshot({ path: 'docs/images/slo-page-prometheus.png', fullPage: true });
  });

  test('falls back to the monitor counters, and says so, when Prometheus is down', async () => {
    await prom!.stop();
    app!.metrics.slo.total.inc({ slo: 'not-measured' }, 1000);
    app!.metrics.slo.good.inc({ slo: 'not-measured' }, 999);
    // The report is shared for REPORT_CACHE_MS (5 s): the fallback shows once the window is over.
    type Api = { note?: string; slos: { name: string; basis: string; attainment?: number }[] };
    const api = await eventually(
      async () => {
        const a = (await (await fetch(`${app!.url}/api/slos`)).json()) as Api;
        return a.note ? a : undefined;
      },
      15_000,
      'the fallback note',
    );
    expect(api.note).toMatch(/Prometheus unreachable/);
    expect(api.slos[2]).toMatchObject({ name: 'not-measured', basis: 'monitor', attainment: 99.9 });
    expect(api.slos[0]).toMatchObject({ basis: 'none' });
  });
});

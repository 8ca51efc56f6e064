import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';
import { seriesValue } from '../../helpers/deps.js';

// `npm start` as a newcomer sees it: the default config (the embedded demo) must show every
// family within a minute - a stall, a rebuild, dead letters and their replay - and the landing
// page and the SLO page must render them in a real browser (Debian's chromium). The test writes
// the screenshots in docs/images/ that the docs show.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const strict = process.env.CI === 'true';

let app: App | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!strict && !CHROMIUM)('the demo as a newcomer sees it', () => {
  test('within a minute: stall, rebuild, dead letters and replay; / and /slo render them', async () => {
    if (!CHROMIUM) throw new Error('chromium not installed (Debian package "chromium")');
    const config = loadConfig('config/default.yaml');
    config.server.port = 0;
    // Counted from before the start, as a newcomer's minute is.
    const started = Date.now();
    app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });
    const r = app.registry;
    const seen = { stalled: false, rebuilding: false, deadLetters: false, replayed: false, sloMissed: false, sloMet: false };
    let maxDepth = 0;
    while (Date.now() - started < 75_000 && !Object.values(seen).every(Boolean)) {
      await sleep(1000);
      if ((await seriesValue(r, 'cqrs_projection_status', { store: 'demo', projection: 'customer_stats', status: 'STALLED' })) === 1) seen.stalled = true;
      if ((await seriesValue(r, 'cqrs_projection_rebuild_duration_seconds', { store: 'demo', projection: 'shipping_board' })) !== undefined)
        seen.rebuilding = true;
      const depth = (await seriesValue(r, 'cqrs_dlq_messages', { dlq: 'demo-dlq' })) ?? 0;
      if ((await seriesValue(r, 'cqrs_dlq_messages_total', { dlq: 'demo-dlq', source: 'order_summary', reason: 'InvalidAmount' })) !== undefined)
        seen.deadLetters = true;
      maxDepth = Math.max(maxDepth, depth);
      // A replay shows as depth falling back below its highest value.
      if (maxDepth > 0 && depth < maxDepth) seen.replayed = true;
      // SLOs met and missed on purpose.
      const slos = ((await (await fetch(`${app.url}/api/slos`)).json()) as { slos: { name: string; state: string }[] }).slos;
      if (slos.find((s) => s.name === 'demo-customer-stats-apply-latency')?.state === 'exhausted') seen.sloMissed = true;
      if (slos.find((s) => s.name === 'demo-order-delivery')?.state === 'healthy') seen.sloMet = true;
    }
    expect(seen).toEqual({ stalled: true, rebuilding: true, deadLetters: true, replayed: true, sloMissed: true, sloMet: true });
    const elapsed = (Date.now() - started) / 1000;
    expect(elapsed).toBeLessThan(60);
    const events = await app.demo!.db.query<{ dupes: number }>(
      'SELECT count(*)::int AS dupes FROM (SELECT message_id FROM emt_messages GROUP BY message_id HAVING count(*) > 1) d',
    );
    expect(events.rows[0]!.dupes).toBeGreaterThan(0);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    mkdirSync('docs/images', { recursive: true });

    const landing = await page.goto(`${app.url}/`);
    expect(landing?.status()).toBe(200);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered (hidden parts apart) is what is checked
    const text = await page.locator('body').innerText();
    for (const key of [
      'What it watches',
      'SQL stores (1)',
      'Dead-letter queues (1)',
      'demo-dlq',
      'up',
      'demo-customer-stats-freshness',
      'docker compose up',
      'config/example.yaml',
    ])
      expect(text).toContain(key);
    expect(await page.locator('a[href="/slo"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'docs/images/landing.png', fullPage: true });

    const slo = await page.goto(`${app.url}/slo`);
    expect(slo?.status()).toBe(200);
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(6);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered (hidden parts apart) is what is checked
    const all = await page.locator('body').innerText();
    for (const key of [
      'so far',
      'measured for',
      'Watches projection order_summary in store demo',
      'Watches dead-letter queue demo-dlq',
      'healthy',
      'objective allows',
      'exhausted',
    ])
      expect(all).toContain(key);
    expect(all).not.toContain('Tier');
    expect(all).not.toMatch(/-\d+(\.\d+)?% left/);
    await page.screenshot({ path: 'docs/images/slo-page.png', fullPage: true });
    expect(errors).toEqual([]);
  }, 150_000);
});

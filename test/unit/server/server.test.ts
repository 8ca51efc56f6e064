import { afterEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';
import type { Source } from '../../../src/sources/source.js';
import { pino } from 'pino';

let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

async function start(yaml: string, extra: Source[] = [], server = 'server: {port: 0}') {
  const config = parseConfig(`${server}\n${yaml}`, 'test.yaml');
  app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: true, extraSources: () => extra });
  return app;
}

describe('HTTP server', () => {
  test('/healthz, /metrics with process and monitor metrics, 404 in JSON', async () => {
    const a = await start('');
    const h = await fetch(`${a.url}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: 'ok' });
    const m = await (await fetch(`${a.url}/metrics`)).text();
    expect(m).toContain('# TYPE cqrs_source_up gauge');
    expect(m).toContain('cqrs_build_info{version=');
    expect(m).toContain('process_cpu_user_seconds_total');
    const nf = await fetch(`${a.url}/nope`);
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toMatch(/application\/json/);
    expect(await nf.json()).toEqual({ error: 'not found', path: '/nope' });
  });

  test('/readyz is 503 with reasons until every source completed a cycle, then 200', async () => {
    const g = gate();
    const src: Source = {
      name: 'gated',
      interval: 60,
      timeout: 30,
      collect: async () => {
        await g.p;
        return { items: 2 };
      },
      clear() {},
      async close() {},
    };
    const a = await start('', [src]);
    const r1 = await fetch(`${a.url}/readyz`);
    expect(r1.status).toBe(503);
    expect(await r1.json()).toEqual({ ready: false, reasons: ['source gated has not completed a cycle yet'] });
    g.open();
    await a.scheduler.runOnce('gated');
    const r2 = await fetch(`${a.url}/readyz`);
    expect(r2.status).toBe(200);
    const st = (await (await fetch(`${a.url}/api/status`)).json()) as { sources: { name: string; up: boolean; lastReport: unknown }[] };
    expect(st.sources[0]).toMatchObject({ name: 'gated', up: true, lastReport: { items: 2 } });
  });

  test('a failing source shows in /api/status and does not crash the server', async () => {
    const src: Source = {
      name: 'broken',
      interval: 60,
      timeout: 5,
      collect: async () => {
        throw new Error('password=hunter2 rejected');
      },
      clear() {},
      async close() {},
    };
    const a = await start('', [src]);
    await a.scheduler.runOnce('broken');
    const st = (await (await fetch(`${a.url}/api/status`)).json()) as { sources: { up: boolean; lastError: { message: string } }[] };
    expect(st.sources[0]!.up).toBe(false);
    expect(st.sources[0]!.lastError.message).not.toContain('hunter2');
    expect((await fetch(`${a.url}/metrics`)).status).toBe(200);
  });

  test('routing as express 5 did: case, one trailing slash, query, HEAD, other methods, ETag and 304', async () => {
    const a = await start('');
    for (const path of ['/HEALTHZ', '/healthz/', '/healthz?x=%ff']) {
      const r = await fetch(`${a.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('etag'), path).toBe('W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"');
    }
    const nf = await fetch(`${a.url}/healthz//?q=1`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ error: 'not found', path: '/healthz//' });
    const post = await fetch(`${a.url}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);
    expect(await post.json()).toEqual({ error: 'not found', path: '/metrics' });
    const head = await fetch(`${a.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('15');
    expect(await head.text()).toBe('');
    const cached = await fetch(`${a.url}/healthz`, {
      // fetch adds `Cache-Control: no-cache` to a conditional request (which is never fresh) unless one is given.
      headers: { 'if-none-match': 'W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"', 'cache-control': 'max-age=0' },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('content-type')).toBeNull();
    const page = await fetch(`${a.url}/slo/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const m = await fetch(`${a.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(m.headers.get('vary')).toBe('Accept-Encoding');
    expect(m.headers.get('content-encoding')).toBe('gzip');
  });

  test('bearer token protects everything but /healthz', async () => {
    process.env.CQRS_SLO_TEST_BEARER = 'sekret-token';
    const a = await start('', [], 'server: {port: 0, bearerToken: "env:CQRS_SLO_TEST_BEARER"}');
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    for (const path of ['/', '/slo', '/metrics', '/readyz', '/api/status', '/nope']) {
      const r = await fetch(`${a.url}${path}`);
      expect(r.status, path).toBe(401);
      expect(await r.json()).toEqual({ error: 'unauthorized' });
      expect(r.headers.get('www-authenticate'), path).toBe('Bearer realm="cqrs-slo"');
    }
    expect((await fetch(`${a.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${a.url}/metrics`, { headers: { authorization: 'Bearer sekret-token' } })).status).toBe(200);
    const landing = await fetch(`${a.url}/`, { headers: { authorization: 'Bearer sekret-token' } });
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('What it watches');
  });
});

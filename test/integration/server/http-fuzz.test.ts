import { afterAll, describe, expect, test } from 'vitest';
import { connect } from 'node:net';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import { startApp, type App } from '../../../src/app.js';

// Seeded hostile requests to the HTTP layer (methods, paths, headers, bodies, and raw bytes that
// are not HTTP): never a 5xx, never a stack trace in a body, and the server stays up.
const SEED = 4242;
const CASES = 400;
const TOKEN = 'fuzz-token-value';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let app: App | undefined;
afterAll(async () => {
  await app?.stop();
});

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get'];
const PATHS = [
  '/',
  '/metrics',
  '/healthz',
  '/readyz',
  '/api/status',
  '/api/slos',
  '/slo',
  '/slo/',
  '/../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%zz',
  '/%00',
  '/metrics%00',
  '//metrics',
  '/metrics?x=%ff',
  '/api/slos?__proto__[x]=1',
  '/slo?q=<script>',
  `/${'a'.repeat(8000)}`,
  '/api/%F0%9F%98%80',
  '/\u202Eevil',
  '*',
  'http://evil/metrics',
];
const HEADERS: [string, string][] = [
  ['authorization', `Bearer ${TOKEN}`],
  ['authorization', 'Bearer '],
  ['authorization', `bearer ${TOKEN}x`],
  ['authorization', 'Basic Zm9vOmJhcg=='],
  ['authorization', `Bearer ${'x'.repeat(6000)}`],
  ['accept', 'text/html;q=0.9, */*;q=abc'],
  ['accept-encoding', 'gzip;q=nan'],
  ['content-type', 'application/json; charset=../../'],
  ['content-type', 'multipart/form-data; boundary='],
  ['range', 'bytes=-1-2'],
  ['if-none-match', '*'],
  ['x-forwarded-for', '::1, 256.256.256.256'],
  ['transfer-encoding', 'chunked'],
  ['expect', '100-continue'],
  ['host', ''],
];

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Sends raw bytes and returns the raw response (or '' when the server just closes). */
function raw(url: string, bytes: Buffer | string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(u.port), u.hostname);
    let out = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (c: Buffer) => (out += c.toString('latin1')));
    s.on('close', () => resolve(out));
    s.on('error', () => undefined);
    s.end(bytes);
  });
}

describe('HTTP fuzz', () => {
  test(`${CASES} seeded hostile requests: no 5xx, no stack trace, server stays up`, async () => {
    process.env.CQRS_HTTP_FUZZ_TOKEN = TOKEN;
    const config = parseConfig(
      'server: {port: 0, bearerToken: "env:CQRS_HTTP_FUZZ_TOKEN"}\nslos: [{name: a, objective: 99, description: "<b>x</b>", sli: {kind: duplicates, stream: s}}]',
      'x.yaml',
    );
    app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false });
    const r = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const method = pick(METHODS);
      const path = pick(PATHS);
      const headers = Array.from({ length: Math.floor(r() * 4) }, () => pick(HEADERS));
      const body = r() < 0.3 ? randomBytes(r, Math.floor(r() * 2048)) : Buffer.alloc(0);
      let request: Buffer;
      if (r() < 0.15)
        request = randomBytes(r, 1 + Math.floor(r() * 300)); // not HTTP at all
      else {
        const head = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', ...headers.map(([k, v]) => `${k}: ${v}`)];
        if (!headers.some(([k]) => k === 'transfer-encoding')) head.push(`content-length: ${body.length}`);
        head.push('connection: close');
        request = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
      }
      const res = await raw(app.url, request);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(res)?.[1] ?? 0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const what = `${request.toString('latin1').slice(0, 200)}\n->\n${res.slice(0, 400)}`;
      expect(status, what).toBeLessThan(500);
      expect(res, what).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);
      expect(res, what).not.toContain(TOKEN);
    }
    // The corpus reaches the handlers (2xx) and the refusals (401, 404, 400), not only the parser.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    const h = await fetch(`${app.url}/healthz`);
    expect(h.status).toBe(200);
  }, 120_000);
});

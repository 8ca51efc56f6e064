import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHook } from '../../../src/verify/hooks.js';

/** The hooks on the real shell and a real HTTP server on loopback (no global services needed). */
describe('verify hooks', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(204).end(), 3000);
      res.writeHead(req.url?.startsWith('/ok') ? 204 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('shell: exit 0 is ok; a non-zero exit fails with its stderr; a hang is killed at the timeout', async () => {
    expect(await runHook({ kind: 'shell', command: 'true' }, 5)).toEqual({ ok: true, detail: 'exit 0' });
    expect(await runHook({ kind: 'shell', command: 'echo no such consumer >&2; exit 3' }, 5)).toEqual({ ok: false, detail: 'exit 3: no such consumer' });
    const t0 = Date.now();
    expect(await runHook({ kind: 'shell', command: 'sleep 30' }, 0.5)).toEqual({ ok: false, detail: 'timed out after 0.5 s' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('http: POST, 2xx ok, other statuses and timeouts fail; nothing of the URL beyond the status is echoed', async () => {
    expect(await runHook({ kind: 'http', url: `${base}/ok?token=s3cret` }, 5)).toEqual({ ok: true, detail: 'HTTP 204' });
    expect(await runHook({ kind: 'http', url: `${base}/down` }, 5)).toEqual({ ok: false, detail: 'HTTP 503' });
    expect(await runHook({ kind: 'http', url: `${base}/slow` }, 0.5)).toEqual({ ok: false, detail: 'timed out after 0.5 s' });
    expect(seen.slice(0, 3)).toEqual(['POST /ok?token=s3cret', 'POST /down', 'POST /slow']);
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await runHook({ kind: 'http', url: `http://127.0.0.1:${port}/pause` }, 5);
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/^request failed: .*ECONNREFUSED/);
  });
});

import { afterAll, expect, test } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config/load.js';
import { startApp } from '../../../src/app.js';
import type { Source } from '../../../src/sources/source.js';
import { SourceError } from '../../../src/sources/source-error.js';

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

// A local OTLP/HTTP receiver: collects the JSON trace exports the service sends.
const spans: OtlpSpan[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    if (req.url === '/v1/traces') {
      const doc = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(() => receiver.close());

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue))) : undefined;
};

test('one span per collection cycle, with a child per source request, arrives over OTLP/HTTP', async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const config = parseConfig(`server: {port: 0}\ntelemetry: {otlpEndpoint: "${endpoint}"}`, 'x.yaml');
  let n = 0;
  const source: Source = {
    name: 'fake',
    interval: 3600,
    timeout: 5,
    async collect(ctx) {
      n++;
      await ctx.span('list groups', async () => 7, { 'kafka.cluster': 'main' });
      if (n === 2) throw new SourceError('broker went away', { reason: 'unreachable' });
      return { groups: 7, partitions: 21 };
    },
    clear() {},
    async close() {},
  };
  const prev = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const app = await startApp(config, { logger: pino({ level: 'silent' }), processMetrics: false, extraSources: () => [source] });
  await app.scheduler.runOnce('fake');
  await app.scheduler.runOnce('fake');
  await app.stop(); // flushes telemetry
  if (prev !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = prev;

  const cycles = spans.filter((s) => s.name === 'collect fake');
  expect(cycles).toHaveLength(2);
  const [ok, failed] = cycles;
  expect(attr(ok!, 'cqrs.source')).toBe('fake');
  expect(attr(ok!, 'cqrs.groups')).toBe(7);
  expect(attr(ok!, 'cqrs.partitions')).toBe(21);
  expect(attr(ok!, 'cqrs.outcome')).toBe('ok');
  expect(attr(failed!, 'cqrs.outcome')).toBe('error');
  expect(attr(failed!, 'cqrs.error_reason')).toBe('unreachable');
  expect(failed!.status?.code).toBe(2);
  const children = spans.filter((s) => s.name === 'list groups');
  expect(children).toHaveLength(2);
  expect(children[0]!.parentSpanId).toBe(ok!.spanId);
  expect(children[0]!.traceId).toBe(ok!.traceId);
  expect(attr(children[0]!, 'kafka.cluster')).toBe('main');
});

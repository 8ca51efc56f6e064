import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issue, type TestCa } from '../../env/tls.js';
import { testDeps } from '../../helpers/deps.js';
import { Secret } from '../../../src/config/secret.js';
import { DeadLetterShadow } from '../../../src/sources/rabbitmq/dead-letter-shadow.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { cycle, declareDeadLettered, rabbitConfig, rabbitSource, skipRabbit, until, useRabbit, value } from './helpers.js';

/**
 * A node with TLS listeners for the management API and AMQP, its certificate from a CA made
 * here with openssl: the monitor reads over https and amqps with that CA; another CA, no CA and
 * a wrong password fail with a typed reason and words naming the setting.
 */
describe.skipIf(skipRabbit)('RabbitMQ over TLS: management API on https, dead-letter inflow on amqps (real rabbitmq-server 3.10)', () => {
  let dir: string;
  let ca: TestCa;
  let otherCa: TestCa;
  let server: ReturnType<typeof issue>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-rmq-tls-'));
    ca = createCa(dir, 'test-ca');
    otherCa = createCa(dir, 'other-ca');
    server = issue(ca, dir, { cn: 'localhost', san: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'server' });
  });
  // Registered before the broker's: after hooks run in reverse, so this one runs last.
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const rabbit = useRabbit(() => ({ tls: { caFile: ca.certFile, certFile: server.certFile, keyFile: server.keyFile } }));
  beforeAll(async () => {
    const ch = await rabbit.conn.createConfirmChannel();
    await declareDeadLettered(ch, { dlx: 'tls.dlx', dlq: 'tls.dlq', queue: 'tls.orders' });
    await ch.close();
  });

  /** A source on the TLS URLs, trusting `trust` (none: system CAs), optionally with the inflow over amqps. */
  const source = (trust: TestCa | undefined, opts: { password?: string; inflow?: boolean } = {}) => {
    process.env.RMQ_TLS_CA = trust?.cert ?? '';
    const extra = [
      `    queues: { include: ["^tls"] }`,
      ...(trust ? [`    tls: { ca: env:RMQ_TLS_CA }`] : []),
      ...(opts.inflow ? [`    amqpUrl: ${rabbit.rmq.amqpsUrl}`, `    deadLetters: { inflow: true }`] : []),
    ].join('\n');
    const cfg = rabbitConfig(rabbit.rmq, extra + '\n', opts.password);
    const deps = testDeps();
    return { deps, src: rabbitSource({ ...cfg, rabbitmq: [{ ...cfg.rabbitmq[0]!, url: rabbit.rmq.managementTlsUrl! }] }, deps) };
  };
  const failure = async (s: ReturnType<typeof source>) => {
    const err = await s.src.collect(cycle(s.deps)).then(
      () => undefined,
      (e: unknown) => e,
    );
    await s.src.close();
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  };

  it('https and amqps with the CA: the queues are read and a rejected message is counted', async () => {
    const s = source(ca, { inflow: true });
    await until('tls.orders listed', async () => {
      await s.src.collect(cycle(s.deps));
      return (await value(s.deps.registry, 'cqrs_rabbitmq_queue_messages_ready', { broker: 'test', vhost: '/', queue: 'tls.orders' })) === 0;
    });
    const ch = await rabbit.conn.createConfirmChannel();
    ch.sendToQueue('tls.orders', Buffer.from('x'));
    await ch.waitForConfirms();
    await ch.consume('tls.orders', (m) => m && ch.reject(m, false));
    await until('1 rejected counted over amqps', async () => {
      await s.src.collect(cycle(s.deps));
      return (await value(s.deps.registry, 'cqrs_dlq_messages_total', { dlq: 'tls.dlq', source: 'tls.orders', reason: 'rejected' })) === 1;
    });
    await ch.close();
    await s.src.close();
  });

  it('https with a CA that did not sign the certificate, or with no CA (system CAs): reason tls, naming tls.ca', async () => {
    for (const trust of [otherCa, undefined]) {
      const err = await failure(source(trust));
      expect(err.reason).toBe('tls');
      expect(err.message).toMatch(/^TLS: the server certificate is not signed by a trusted CA \(tls\.ca\): GET https:\/\/127\.0\.0\.1:\d+\/api\/queues/);
    }
  });

  it('amqps with a CA that did not sign the certificate: the cycle fails with reason tls, naming tls.ca', async () => {
    // One tls.ca serves both URLs: with the other CA the management API is read over plain http.
    process.env.RMQ_TLS_CA = otherCa.cert;
    const cfg = rabbitConfig(
      rabbit.rmq,
      `    queues: { include: ["^tls"] }\n    tls: { ca: env:RMQ_TLS_CA }\n    amqpUrl: ${rabbit.rmq.amqpsUrl}\n    deadLetters: { inflow: true }\n`,
    );
    const deps = testDeps();
    const err = await failure({ deps, src: rabbitSource(cfg, deps) });
    expect(err.reason).toBe('tls');
    expect(err.message).toMatch(
      /^TLS: the server certificate is not signed by a trusted CA \(tls\.ca\): rabbitmq test: dead-letter inflow: connect in vhost "\/"/,
    );
  });

  it('a wrong password: https and amqps both fail with reason auth, and neither prints it', async () => {
    const secret = 'Wr0ng-tls-Pw';
    const https = await failure(source(ca, { password: secret }));
    expect(https.reason).toBe('auth');
    expect(https.message).toMatch(/HTTP 401: the management API rejected user "guest"/);
    expect(`${https.message} ${String(https.stack)}`).not.toContain(secret);
    // The AMQP side alone (the management API would already refuse the whole cycle).
    const shadow = new DeadLetterShadow({
      broker: 'test',
      url: rabbit.rmq.amqpsUrl!,
      user: 'guest',
      password: new Secret(secret, 'env:X'),
      tls: { ca: ca.cert, rejectUnauthorized: true },
      expiresMs: 60_000,
      maxLength: 10,
      dlqLabel: (q) => q,
    });
    const err = await shadow
      .sync([{ vhost: '/', exchange: 'tls.dlx', bindings: [{ routing_key: '', arguments: {} }], dlqBySource: new Map([['tls.orders', 'tls.dlq']]) }])
      .then(
        () => undefined,
        (e: unknown) => e as SourceError,
      );
    await shadow.close();
    expect(err).toBeInstanceOf(SourceError);
    expect(err?.reason).toBe('auth');
    expect(err?.message).toMatch(/dead-letter inflow: connect in vhost "\/": .*ACCESS.REFUSED/);
    expect(`${err?.message} ${String(err?.stack)}`).not.toContain(secret);
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at, exec, freshDatabase, harness, storeConfig, ts, type Harness } from './helpers.js';

const env = inject('postgres');
const D = { dlq: 'ledger-failures' };

describe.skipIf(!!env.unavailable)('a dead-letter table of your own', () => {
  let url: string;
  let h: Harness;

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'eventuous');
    await exec(
      url,
      `CREATE SCHEMA ops;
       CREATE TABLE ops.failed_messages (id bigserial PRIMARY KEY, handler text NOT NULL, error_type text, failed_at timestamptz NOT NULL, resolved_at timestamptz);`,
    );
    await exec(
      url,
      `INSERT INTO ops.failed_messages (handler, error_type, failed_at, resolved_at) VALUES
         ('invoices', 'Timeout', $1, NULL), ('invoices', 'Timeout', $2, $3)`,
      [ts(10), ts(5), ts(6)],
    );
    h = harness(
      storeConfig(
        {
          preset: 'eventuous',
          deadLetters: {
            name: 'ledger-failures',
            table: 'ops.failed_messages',
            idColumn: 'id',
            sourceColumn: 'handler',
            reasonColumn: 'error_type',
            timeColumn: 'failed_at',
            resolvedCondition: 'resolved_at IS NOT NULL',
            maxReasons: 2,
          },
        },
        url,
      ),
    );
  });
  afterAll(async () => h?.close());

  it('depth and oldest age count unresolved rows only; the startup backlog is not inflow', async () => {
    h.setNow(at(40));
    await h.cycle();
    expect(await h.value('cqrs_dlq_messages', D)).toBe(1);
    expect(await h.value('cqrs_dlq_oldest_message_age_seconds', D)).toBe(30);
    expect(await h.value('cqrs_dlq_messages_total', { ...D, source: 'invoices', reason: 'Timeout' })).toBeUndefined();
  });

  it('inflow by source and reason, each row once, reasons beyond maxReasons as "other"', async () => {
    await exec(
      url,
      `INSERT INTO ops.failed_messages (handler, error_type, failed_at) VALUES
         ('invoices', 'Timeout', $1), ('invoices', 'Deadlock', $1), ('emails', 'SmtpDown', $1), ('emails', NULL, $1)`,
      [ts(41)],
    );
    h.setNow(at(45));
    await h.cycle();
    h.setNow(at(60));
    await h.cycle(); // same rows again inside the overlap window: not counted twice
    expect(await h.value('cqrs_dlq_messages', D)).toBe(5);
    expect(await h.value('cqrs_dlq_messages_total', { ...D, source: 'invoices', reason: 'Timeout' })).toBe(1);
    expect(await h.value('cqrs_dlq_messages_total', { ...D, source: 'invoices', reason: 'Deadlock' })).toBe(1);
    // two reasons kept (Timeout, Deadlock): the rest are "other"
    expect(await h.value('cqrs_dlq_messages_total', { ...D, source: 'emails', reason: 'other' })).toBe(2);
    // delivery SLO counts: 4 dead-lettered in this run
    expect(h.board.takeEvents('delivery', 'dlq:ledger-failures').bad).toBe(4);
  });
});

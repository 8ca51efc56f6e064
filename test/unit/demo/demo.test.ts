import { afterAll, describe, expect, test } from 'vitest';
import { startDemo, type Demo } from '../../../src/demo/index.js';
import { DEMO_PROJECTORS, projectorAction } from '../../../src/demo/projector.js';
import { DemoWriter } from '../../../src/demo/writer.js';
import { eventPlan, pruneDue, replayDue } from '../../../src/demo/plan.js';
import { DEMO_PGDATA } from '../../../src/demo/demo-db.js';
import { existsSync, readFileSync } from 'node:fs';

let demo: Demo | undefined;
afterAll(async () => demo?.stop());

describe('embedded demo', () => {
  test('writer appends events and projectors advance Emmett checkpoints', async () => {
    demo = await startDemo({ autostart: false });
    await demo.writer.append(10);
    const [summary, stats] = demo.projectors;
    expect(await summary!.step(1000)).toBe(10);
    expect(await summary!.checkpoint()).toBe(10);
    expect(await stats!.step(4)).toBe(4);
    expect(await stats!.checkpoint()).toBe(4);
    const row = await demo.db.query<{ c: string }>(`SELECT last_processed_checkpoint AS c FROM emt_processors WHERE processor_id = 'customer_stats'`);
    expect(row.rows[0]!.c).toMatch(/^\d{20}:0{19}4$/);
    await stats!.reset();
    expect(await stats!.checkpoint()).toBe(0);
    const orders = await demo.db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_summary');
    expect(orders.rows[0]!.n).toBe(4); // 10 events over 3 types -> orders 0..3
  }, 60_000);

  test('the database starts from the shipped data directory with the small settings', async () => {
    // The prepared data directory must load with the installed PGlite (else: node scripts/demo-pgdata.mjs).
    expect(existsSync(DEMO_PGDATA)).toBe(true);
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create('memory://', { loadDataDir: new Blob([readFileSync(DEMO_PGDATA)]) });
    expect((await db.query('SHOW server_version')).rows).toHaveLength(1);
    // The demo unpacked that directory itself (no initdb): the same cluster identity.
    const id = 'SELECT system_identifier::text AS id FROM pg_control_system()';
    const shipped = (await db.query<{ id: string }>(id)).rows[0]!.id;
    expect((await demo!.db.query<{ id: string }>(id)).rows[0]!.id).toBe(shipped);
    await db.close();
    const s = await demo!.db.query<{ shared_buffers: string }>('SHOW shared_buffers');
    expect(s.rows[0]!.shared_buffers).toBe('4MB');
  }, 60_000);

  test('poison events are dead-lettered by order_summary and resolved by a replay once old enough', async () => {
    // Events 10..99 hold event 37 (poison), 23 and 73 (duplicates) and 41 (after a gap).
    await demo!.writer.append(90);
    const [summary] = demo!.projectors;
    expect(await summary!.step(1000)).toBe(92); // 90 events + 2 duplicate rows
    const dl = await demo!.db.query<{ n: number; open: number }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE resolved_at IS NULL)::int AS open FROM demo_dead_letters',
    );
    expect(dl.rows[0]).toEqual({ n: 1, open: 1 });
    expect(await demo!.maintenance.replay()).toBe(0); // younger than REPLAY_MIN_AGE_S
    await demo!.db.query(`UPDATE demo_dead_letters SET dead_lettered_at = now() - interval '1 minute'`);
    expect(await demo!.maintenance.replay()).toBe(1);
    const dupes = await demo!.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM (SELECT message_id FROM emt_messages GROUP BY message_id HAVING count(*) > 1) d',
    );
    expect(dupes.rows[0]!.n).toBe(2);
    // Event 41 is the third event (OrderShipped) of order-13: positions 0, 1, then 3.
    const gap = await demo!.db.query<{ p: string }>(
      `SELECT stream_position::text AS p FROM emt_messages WHERE stream_id = 'order-13' ORDER BY stream_position`,
    );
    expect(gap.rows.map((r) => Number(r.p))).toEqual([0, 1, 3]);
    await demo!.maintenance.prune(); // keeps everything: fewer than KEEP_EVENTS
    const left = await demo!.db.query<{ n: number }>('SELECT count(*)::int AS n FROM emt_messages');
    expect(left.rows[0]!.n).toBe(102);
  }, 60_000);

  test('writer plan: duplicates repeat the message id at the next position, gaps skip one', () => {
    const w = new DemoWriter(undefined as never);
    const events = w.plan(45);
    // Event 23 is order-7's third event: appended again at the next position.
    const twice = events.filter((e, i) => events.findIndex((o) => o.messageId === e.messageId) !== i);
    expect(twice).toEqual([
      { streamId: 'order-7', position: 3, type: 'OrderShipped', data: { orderId: 'order-7', amount: 33 }, messageId: 'order-7-OrderShipped' },
    ]);
    expect(events).toHaveLength(46);
    expect(events.filter((e) => e.data.amount < 0).map((e) => e.messageId)).toEqual(['order-12-OrderPaid']);
  });

  test('event plan rates: 1 % poison, 2 % duplicates, 1 in 70 after a gap', () => {
    const plans = Array.from({ length: 7000 }, (_, i) => eventPlan(i));
    expect(plans.filter((p) => p.poison)).toHaveLength(70);
    expect(plans.filter((p) => p.duplicate)).toHaveLength(140);
    expect(plans.filter((p) => p.gap)).toHaveLength(100);
  });

  test('projector schedule from the start: customer_stats stalls 5-45 s every 5 min, shipping_board rebuilds at 45 s and pauses 10 s', () => {
    const stats = DEMO_PROJECTORS[1]!;
    expect(projectorAction(stats, 4_000)).toBe('apply');
    expect(projectorAction(stats, 5_000)).toBe('stall');
    expect(projectorAction(stats, 44_000)).toBe('stall');
    expect(projectorAction(stats, 45_000)).toBe('apply');
    expect(projectorAction(stats, 305_000)).toBe('stall');
    const board = DEMO_PROJECTORS[2]!;
    expect(projectorAction(board, 44_000)).toBe('apply');
    expect(projectorAction(board, 45_000)).toBe('rebuild');
    expect(projectorAction(board, 55_000)).toBe('stall');
    expect(projectorAction(board, 56_000)).toBe('apply');
    expect(projectorAction(board, 645_000)).toBe('rebuild');
    expect(projectorAction(DEMO_PROJECTORS[0]!, 45_000)).toBe('apply');
  });

  test('writer rate from the start: steady, burst, quiet', () => {
    expect(DemoWriter.rateAt(5, 0)).toBe(5);
    expect(DemoWriter.rateAt(5, 419_000)).toBe(5);
    expect(DemoWriter.rateAt(5, 420_000)).toBe(20);
    expect(DemoWriter.rateAt(5, 540_000)).toBe(0);
    expect(DemoWriter.rateAt(5, 600_000)).toBe(5);
  });

  test('operator schedule: replay at 20 s and every 30 s, prune at 30 s and every minute', () => {
    expect([0, 19, 20, 21, 50, 80].map(replayDue)).toEqual([false, false, true, false, true, true]);
    expect([0, 30, 60, 90].map(pruneDue)).toEqual([false, true, false, true]);
  });
});

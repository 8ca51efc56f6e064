import { afterAll, describe, expect, test } from 'vitest';
import { startDemo, type Demo } from '../../../src/demo/index.js';
import { DEMO_PROJECTORS, projectorAction } from '../../../src/demo/projector.js';
import { DemoWriter } from '../../../src/demo/writer.js';

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

  test('projector schedule: stalls at the end of each cycle, rebuilds on the period', () => {
    const stats = DEMO_PROJECTORS[1]!;
    expect(projectorAction(stats, 0)).toBe('apply');
    expect(projectorAction(stats, (900 - 91) * 1000)).toBe('apply');
    expect(projectorAction(stats, (900 - 90) * 1000)).toBe('stall');
    const board = DEMO_PROJECTORS[2]!;
    expect(projectorAction(board, 1200_000)).toBe('rebuild');
    expect(projectorAction(board, 1201_000)).toBe('apply');
  });

  test('writer rate: quiet, steady, burst', () => {
    expect(DemoWriter.rateAt(5, 30_000)).toBe(0);
    expect(DemoWriter.rateAt(5, 100_000)).toBe(5);
    expect(DemoWriter.rateAt(5, 500_000)).toBe(20);
  });
});

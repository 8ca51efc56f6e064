import { afterEach, describe, expect, test } from 'vitest';
import { pino } from 'pino';
import { AlertLog } from '../../../src/workload/alert-log.js';

// The stack's webhook receiver, on a loopback port (its own HTTP server: no external part).
describe('AlertLog', () => {
  let log: AlertLog | undefined;
  afterEach(async () => log?.close());

  test('records each alert of an Alertmanager webhook body, keeping the last 200', () => {
    log = new AlertLog(pino({ level: 'silent' }));
    const body = (i: number) => ({
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: `A${i}`, severity: 'page' } }, { labels: { alertname: `B${i}` } }],
    });
    expect(log.record('page', body(0))).toBe(2);
    expect(log.received[1]).toMatchObject({ receiver: 'page', status: 'firing', labels: { alertname: 'B0' } });
    for (let i = 1; i <= 150; i++) log.record('ticket', body(i));
    expect(log.received).toHaveLength(200);
    expect(log.received[199]!.labels.alertname).toBe('B150');
    expect(log.received[0]!.labels.alertname).toBe('A51');
  });

  test('POST /page and /ticket record; bad JSON is a 400; GET /alerts lists them', async () => {
    log = new AlertLog(pino({ level: 'silent' }));
    const port = await log.listen(0, '127.0.0.1');
    const post = (path: string, body: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post('/page', JSON.stringify({ status: 'resolved', alerts: [{ labels: { alertname: 'X' } }] }))).status).toBe(200);
    expect((await post('/ticket', '{nope')).status).toBe(400);
    expect((await post('/other', '{}')).status).toBe(404);
    const list = (await (await fetch(`http://127.0.0.1:${port}/alerts`)).json()) as { receiver: string; status: string }[];
    expect(list).toEqual([expect.objectContaining({ receiver: 'page', status: 'resolved' })]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresHandle } from '../../env/postgres.js';
import { eventually, promQuery, type ServerHandle } from '../../env/prometheus.js';
import { exec, freshDatabase } from '../sql/helpers.js';
import { requireTools } from './tools.js';
import type { WebhookReceiver } from './webhook-receiver.js';
import { awaitNotification, fastPageSlo, startPagerPath, type PagerPath } from './pager-path.js';
import type { OperationalThresholds } from '../../../src/generate/options.js';

/**
 * The false-page suite: situations in which the pipeline is healthy (or doing planned work) must not
 * page the SLO's team. Everything is real: a PostgreSQL server of its own (so it can be killed), the
 * service, Prometheus with the generated rules, Alertmanager with the generated routing and a webhook
 * standing in for the pager, the ticket queue and the monitor's own receiver. Windows are scaled
 * down (fast page tier 20s/5s, intervals 1s).
 *
 * (a) the database is down for 60 s while the projection is caught up: no notification to the team
 *     (pager or ticket), one CqrsSourceDown notification to the monitor's receiver;
 * (b) a rebuild within its objective: no notification at all; a rebuild over its objective: one
 *     CqrsProjectionRebuildTooLong ticket and still no page.
 */
const tools = requireTools();
const PROJECTION = 'Orders:All';
const SLO = 'orders-view-freshness';
/** Rebuild objective of the store in this test. */
const REBUILD_OBJECTIVE_S = 12;

describe.runIf(tools)('false pages: a blind monitor and planned rebuilds do not page the team', () => {
  let pgh: PostgresHandle;
  let url: string;
  let path: PagerPath;
  let prom: ServerHandle;
  let hook: WebhookReceiver;
  let seq = 0;
  let checkpoint = 0;
  /** Events the projector applies per tick while catching up (Infinity: all of them). */
  let step = Number.POSITIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  /** Writer: one event per tick; projector: moves the checkpoint towards the head by `step`. */
  async function pipelineTick(): Promise<void> {
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES ($1, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 'order_placed', now())`,
      [seq + 1],
    );
    seq++;
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = 'HighWaterMark'`, [seq]);
    if (resetRequest) {
      // The reset runs inside the tick: run from outside, a tick in flight could write its
      // checkpoint after the reset and undo it (a rebuild the monitor never saw).
      const r = resetRequest;
      resetRequest = undefined;
      step = r.perTick;
      await exec(url, `UPDATE mt_event_progression SET last_seq_id = 0, last_updated = now() WHERE name = $1`, [PROJECTION]);
      checkpoint = 0;
      r.done();
      return;
    }
    const next = Math.min(seq, checkpoint + step);
    if (next !== checkpoint) {
      await exec(url, `UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = $2`, [next, PROJECTION]);
      checkpoint = next;
    }
  }

  let resetRequest: { perTick: number; done: () => void } | undefined;
  /** Resets the checkpoint to 0, as a framework's rebuild does, and replays `perTick` events a tick. */
  async function rebuild(perTick: number): Promise<void> {
    await new Promise<void>((done) => (resetRequest = { perTick, done }));
  }

  const team = () => hook.received.filter((m) => m.path === '/page' || m.path === '/ticket');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    pgh = await startPostgres();
    url = await freshDatabase(pgh.connectionString, 'marten');
    await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 0, now()), ($1, 0, now())`, [PROJECTION]);
    // A history, so that a rebuild has something to replay.
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 'order_placed', now() FROM generate_series(1, 200) k`,
    );
    seq = 200;
    await pipelineTick();
    const loop = () => {
      timer = setTimeout(
        () =>
          void pipelineTick()
            .catch(() => undefined)
            .finally(loop),
        500,
      );
    };
    loop();

    process.env.CQRS_FALSE_PAGES_PG = url;
    path = await startPagerPath(
      `
server: { port: 0, address: 127.0.0.1 }
telemetry: { logLevel: silent }
stores:
  - name: orders
    preset: marten
    interval: 1s
    statementTimeout: 1s
    rebuildObjective: ${REBUILD_OBJECTIVE_S}s
    connection: { connectionString: env:CQRS_FALSE_PAGES_PG }
    projectionList: ["${PROJECTION}"]
slos:${fastPageSlo(SLO, `{ kind: freshness, store: orders, projection: "${PROJECTION}", threshold: 3s }`)}`,
      // The monitor's own alert fires after 5 s here (production default: 5m).
      { thresholds: { sourceDownFor: 5 } as OperationalThresholds },
    );
    ({ prom, hook } = path);
    await eventually(
      async () => ((await promQuery(prom.url, `cqrs_slo:sli_error:ratio_rate20s{slo="${SLO}"} == 0`)).length === 1 ? true : undefined),
      60_000,
      'a healthy error ratio of 0 over the long window',
    );
  }, 180_000);

  afterAll(async () => {
    if (timer) clearTimeout(timer);
    await path?.stop();
    await pgh?.stop();
  });

  it('(a) the database down for 60 s with a caught-up projection: the monitor is told, the team is not', async () => {
    expect(team()).toEqual([]);
    const unknownBefore = Number((await promQuery(prom.url, `cqrs_slo_unknown_total{slo="${SLO}",reason="unreadable"}`))[0]?.value[1] ?? NaN);
    await pgh.kill();
    const down = await awaitNotification(
      path,
      () =>
        hook.received.find((m) => m.path === '/monitor' && m.body.status === 'firing' && m.body.alerts.some((a) => a.labels.alertname === 'CqrsSourceDown')),
      40_000,
      'the CqrsSourceDown notification to the monitor receiver',
    );
    expect(down.body.receiver).toBe('monitor');
    expect(down.body.alerts.find((a) => a.labels.alertname === 'CqrsSourceDown')!.labels.source).toBe('store:orders');
    await sleep(60_000 - 5_000);
    await pgh.restart();
    // Until the long window (20s) has only post-outage samples again, and a little more.
    await eventually(
      async () => ((await promQuery(prom.url, 'cqrs_source_up{source="store:orders"} == 1')).length === 1 ? true : undefined),
      30_000,
      'the source up again',
    );
    await sleep(30_000);
    const unknownAfter = Number((await promQuery(prom.url, `cqrs_slo_unknown_total{slo="${SLO}",reason="unreadable"}`))[0]?.value[1] ?? NaN);
    // About one unknown tick per second of the outage (the SLO is evaluated every second).
    expect(unknownAfter - unknownBefore).toBeGreaterThanOrEqual(40);
    expect(team(), 'no page and no ticket for the team').toEqual([]);
    const monitorFirings = hook.received.filter(
      (m) => m.path === '/monitor' && m.body.status === 'firing' && m.body.alerts.some((a) => a.labels.alertname === 'CqrsSourceDown'),
    );
    expect(monitorFirings).toHaveLength(1);
  }, 200_000);

  it('(b) a rebuild within its objective: no notification; over it: one rebuild ticket, no page', async () => {
    const before = hook.received.length;
    // ~200 events at 60 per 0.5 s: caught up in about 2 s, well within the 12 s objective.
    await rebuild(60);
    await eventually(async () => (step === 60 && checkpoint >= seq - 1 ? true : undefined), 20_000, 'the fast rebuild caught up');
    step = Number.POSITIVE_INFINITY;
    await sleep(REBUILD_OBJECTIVE_S * 1000 + 10_000);
    expect(hook.received.slice(before), 'a rebuild within its objective notifies nobody').toEqual([]);

    // ~200 events at 3 per 0.5 s while 1 more arrives per tick: about 50 s, over the objective.
    await rebuild(3);
    const ticket = await awaitNotification(
      path,
      () =>
        hook.received.find(
          (m) => m.path === '/ticket' && m.body.status === 'firing' && m.body.alerts.some((a) => a.labels.alertname === 'CqrsProjectionRebuildTooLong'),
        ),
      60_000,
      'the rebuild-over-objective ticket',
    );
    const alert = ticket.body.alerts.find((a) => a.labels.alertname === 'CqrsProjectionRebuildTooLong')!;
    expect(alert.labels).toMatchObject({ store: 'orders', projection: PROJECTION, severity: 'ticket' });
    expect(alert.annotations.description).toMatch(/Progress: [\d.]+% of the head/);
    await eventually(async () => (checkpoint >= seq - 1 ? true : undefined), 120_000, 'the slow rebuild caught up');
    step = Number.POSITIVE_INFINITY;
    await sleep(10_000);
    const rebuildTickets = hook.received.filter(
      (m) => m.path === '/ticket' && m.body.status === 'firing' && m.body.alerts.some((a) => a.labels.alertname === 'CqrsProjectionRebuildTooLong'),
    );
    expect(rebuildTickets).toHaveLength(1);
    expect(
      hook.received.filter((m) => m.path === '/page'),
      'a rebuild never pages the freshness SLO',
    ).toEqual([]);
    const rebuilding = Number((await promQuery(prom.url, `cqrs_slo_unknown_total{slo="${SLO}",reason="rebuilding"}`))[0]?.value[1] ?? NaN);
    expect(rebuilding).toBeGreaterThan(10);
  }, 300_000);
});

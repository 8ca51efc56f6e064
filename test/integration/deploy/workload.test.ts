import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { eventually, freePort, startAlertmanager, type ServerHandle } from '../../env/prometheus.js';
import { seriesFromText } from './metrics-text.js';
import { mapContainerPaths, readCompose, ROOT, toRepoPath } from '../../helpers/compose.js';
import { freshDatabase } from '../sql/helpers.js';
import { requireTools } from '../alerting/tools.js';

/**
 * The compose stack's workload and cqrs-slo, run from the built CLI on the very config the stack
 * mounts (deploy/cqrs-slo.yaml), with only the hosts pointed at the test's Kafka and PostgreSQL
 * and the password file at a temp file. After ~30 s every SLI family has data on /metrics. The
 * stack's alertmanager.yml (receiver host mapped to the workload here) delivers a page to the
 * workload's receiver.
 */
const kafka = inject('kafka');
const postgres = inject('postgres');
const tools = requireTools();
const BIN = join(ROOT, 'bin/cqrs-slo.js');
const RUN_SECONDS = 30;

function spawnCli(args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, log: () => out };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

describe.runIf(!kafka.unavailable && !postgres.unavailable && existsSync(join(ROOT, 'dist/cli.js')))(
  'compose workload + cqrs-slo on deploy/cqrs-slo.yaml',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'cqrs-deploy-live-'));
    let workload: ReturnType<typeof spawnCli> | undefined;
    let monitor: ReturnType<typeof spawnCli> | undefined;
    let am: ServerHandle | undefined;
    let metricsUrl = '';
    let alertsUrl = '';

    beforeAll(async () => {
      const compose = readCompose();
      const url = new URL(await freshDatabase(postgres.connectionString));
      const passwordFile = join(dir, 'pg_password');
      writeFileSync(passwordFile, `${decodeURIComponent(url.password)}\n`);
      // The mounted config, with container paths mapped, then only its hosts pointed at the test servers.
      const doc = parseDocument(mapContainerPaths(compose, 'cqrs-slo', readFileSync(toRepoPath(compose, 'cqrs-slo', '/etc/cqrs-slo/config.yaml')!, 'utf8')));
      const monitorPort = await freePort();
      const alertPort = await freePort();
      doc.setIn(['server', 'port'], monitorPort);
      doc.setIn(['server', 'address'], '127.0.0.1');
      doc.setIn(['clusters', 0, 'brokers'], kafka.brokers);
      doc.setIn(['stores', 0, 'connection', 'host'], url.hostname);
      doc.setIn(['stores', 0, 'connection', 'port'], Number(url.port));
      doc.setIn(['stores', 0, 'connection', 'database'], url.pathname.slice(1));
      doc.setIn(['stores', 0, 'connection', 'user'], decodeURIComponent(url.username));
      doc.setIn(['stores', 0, 'connection', 'password'], `file:${passwordFile}`);
      doc.deleteIn(['prometheus']);
      const config = join(dir, 'config.yaml');
      writeFileSync(config, doc.toString());

      workload = spawnCli(['workload', '--config', config, '--alert-port', String(alertPort)]);
      monitor = spawnCli(['run', '--config', config]);
      metricsUrl = `http://127.0.0.1:${monitorPort}/metrics`;
      alertsUrl = `http://127.0.0.1:${alertPort}`;

      if (tools) {
        // The stack's Alertmanager config, its receiver host (the workload service) mapped to the test's.
        const amText = readFileSync(toRepoPath(compose, 'alertmanager', '/etc/alertmanager/alertmanager.yml')!, 'utf8').replaceAll(
          'http://workload:9095/',
          `${alertsUrl}/`,
        );
        expect(amText).toContain(alertsUrl);
        am = await startAlertmanager(amText);
      }
    });

    afterAll(async () => {
      await stop(monitor?.child);
      await stop(workload?.child);
      await am?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test(`after ${RUN_SECONDS} s every SLI family has data on /metrics`, async () => {
      await eventually(async () => ((await fetch(`${alertsUrl}/healthz`)).ok ? true : undefined), 60_000, `workload up: ${workload!.log().slice(-2000)}`);
      if (am) {
        // A page through the stack's routing: severity=page -> pager -> the workload's /page.
        const res = await fetch(`${am.url}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([{ labels: { alertname: 'CqrsSloErrorBudgetBurn', slo: 'order-view-freshness', severity: 'page' } }]),
        });
        expect(res.status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, RUN_SECONDS * 1000));
      // The DLQ reader counts as inflow only what arrives after its group joined (earlier records
      // are depth), so the counters get up to 90 s more when the join was slow (45 s were not
      // enough once, with the other suites running alongside).
      let text = '';
      await eventually(
        async () => {
          text = await (await fetch(metricsUrl)).text();
          const t = seriesFromText(text);
          return t.sum('cqrs_dlq_messages_total', { dlq: 'orders-dlt' }) > 0 && (t.value('cqrs_events_duplicate_total', { stream: 'orders' }) ?? 0) > 0
            ? true
            : undefined;
        },
        90_000,
        'DLQ inflow and duplicates',
        2000,
      ).catch(() => undefined); // the assertions below say what is missing
      const s = seriesFromText(text);
      const log = `\nworkload:\n${workload!.log().slice(-1500)}\nmonitor:\n${monitor!.log().slice(-6000)}`;

      console.info(
        `[deploy workload ${RUN_SECONDS}s] observed=${s.value('cqrs_events_observed_total', { stream: 'orders' })} duplicates=${s.value('cqrs_events_duplicate_total', { stream: 'orders' })}` +
          ` dlt_inflow=${s.sum('cqrs_dlq_messages_total', { dlq: 'orders-dlt' })} dlt_depth=${s.value('cqrs_dlq_messages', { dlq: 'orders-dlt' })} table_depth=${s.value('cqrs_dlq_messages', { dlq: 'projection-dead-letters' })}` +
          ` lag_order_view=${s.value('cqrs_kafka_group_total_lag_messages', { group: 'order-view' })} lag_customer_stats=${s.value('cqrs_kafka_group_total_lag_messages', { group: 'customer-stats' })}` +
          ` projection_lag_customer_stats=${s.value('cqrs_projection_lag_events', { projection: 'customer-stats' })} apply_latency_count_order_view=${s.value('cqrs_projection_apply_latency_seconds_count', { projection: 'order-view' })}` +
          ` slo_total_duplicates=${s.value('cqrs_slo_total', { slo: 'orders-no-duplicates' })} slo_good_duplicates=${s.value('cqrs_slo_good_total', { slo: 'orders-no-duplicates' })}`,
      );
      // Every source reads.
      // (The dead-letter table is read by its store's source.)
      for (const src of ['kafka:local', 'store:orders', 'stream:orders', 'dlq:orders-dlt']) {
        expect
          .soft(
            s.value('cqrs_source_up', { source: src }),
            `${src}: ${text
              .split('\n')
              .filter((l) => l.startsWith('cqrs_source_up'))
              .join(', ')}${log}`,
          )
          .toBe(1);
      }
      // Kafka lag, both projector groups.
      for (const group of ['order-view', 'customer-stats']) {
        expect.soft(s.value('cqrs_kafka_group_total_lag_messages', { group }), `${group}${log}`).toBeGreaterThanOrEqual(0);
      }
      // customer-stats may be in its 60 s stall for the whole run (no commit yet): time lag is
      // asserted on order-view, which never stalls.
      expect.soft(s.has('cqrs_kafka_group_lag_seconds', { group: 'order-view', topic: 'orders.events' })).toBe(true);
      expect
        .soft(
          s.value('cqrs_kafka_topic_produced_messages_total', { topic: 'orders.events' }) ??
            s.sum('cqrs_kafka_topic_produced_messages_total', { topic: 'orders.events' }),
        )
        .toBeGreaterThan(0);
      // Projections: head, checkpoint, lag, apply latency.
      for (const projection of ['order-view', 'customer-stats']) {
        expect.soft(s.value('cqrs_projection_lag_events', { store: 'orders', projection }), projection).toBeGreaterThanOrEqual(0);
        expect.soft(s.has('cqrs_projection_lag_seconds', { store: 'orders', projection }), projection).toBe(true);
      }
      expect.soft(s.value('cqrs_projection_checkpoint_position', { projection: 'order-view' })).toBeGreaterThan(0);
      expect.soft(s.value('cqrs_projection_apply_latency_seconds_count', { projection: 'order-view' })).toBeGreaterThan(0);
      // Stream: events, duplicates (1 in 25 re-sent), publish delay.
      expect.soft(s.value('cqrs_events_observed_total', { stream: 'orders' })).toBeGreaterThan(100);
      expect.soft(s.value('cqrs_events_duplicate_total', { stream: 'orders' })).toBeGreaterThan(0);
      expect.soft(s.value('cqrs_event_publish_delay_seconds_count', { stream: 'orders' })).toBeGreaterThan(0);
      // Dead letters: the topic's inflow, and both DLQs' depth.
      expect.soft(s.sum('cqrs_dlq_messages_total', { dlq: 'orders-dlt' }), `DLQ inflow${log}`).toBeGreaterThan(0);
      expect.soft(s.value('cqrs_dlq_messages', { dlq: 'orders-dlt' })).toBeGreaterThan(0);
      expect.soft(s.value('cqrs_dlq_messages', { dlq: 'projection-dead-letters' })).toBeGreaterThanOrEqual(0);
      // SLO counters for every SLO; the event-based ones have counted events.
      for (const slo of [
        'order-view-freshness',
        'customer-stats-freshness',
        'customer-stats-apply-latency',
        'orders-no-duplicates',
        'orders-completeness',
        'orders-delivery',
      ]) {
        expect.soft(s.has('cqrs_slo_total', { slo }), `${slo}${log}`).toBe(true);
        expect.soft(s.has('cqrs_slo_good_total', { slo }), slo).toBe(true);
      }
      for (const slo of ['orders-no-duplicates', 'orders-completeness', 'orders-delivery'])
        expect.soft(s.value('cqrs_slo_total', { slo }), slo).toBeGreaterThan(0);
      expect.soft(s.value('cqrs_slo_good_total', { slo: 'orders-no-duplicates' })).toBeLessThan(s.value('cqrs_slo_total', { slo: 'orders-no-duplicates' })!);

      if (am) {
        // Delivered after the route's group_wait (30 s), which the run above covers.
        const alerts = await eventually(
          async () => {
            const list = (await (await fetch(`${alertsUrl}/alerts`)).json()) as { receiver: string; labels: Record<string, string> }[];
            return list.length > 0 ? list : undefined;
          },
          30_000,
          'the page at the workload receiver',
        );
        expect(alerts[0]).toMatchObject({ receiver: 'page', labels: { alertname: 'CqrsSloErrorBudgetBurn', severity: 'page' } });
        expect(workload!.log()).toContain('alert received');
      }
      // Up to 60 s to start, the run, 90 s for the DLQ join and 30 s for the page.
    }, 240_000);
  },
);

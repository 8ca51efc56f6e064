import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';
import { shardSettings } from '../../../src/sources/kafka/shard/settings.js';
import { kit, produce, sleep } from './helpers.js';

// Three replicas of the built CLI (`npm run build` first) share one cluster's consumer groups
// through the coordination group; one is killed with SIGKILL (it never leaves the group).
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
const skip = !!inject('kafka').unavailable;

const INTERVAL_MS = 2000;
const SESSION_MS = 1500;
/** settings.ts: the exposition cache (1 s) plus half the heartbeat interval (500 ms). */
const CLAIM_DELAY_MS = 1250;
const GROUPS = Array.from({ length: 36 }, (_, i) => `proj-${String(i).padStart(2, '0')}`);
/** orders: 3 partitions, payments: 2; every partition holds 20 messages. */
const TOPICS = { orders: 3, payments: 2 } as const;
const committedOf = (i: number): number => i % 20;

class Replica {
  out = '';
  url = '';
  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (c: Buffer) => (this.out = (this.out + c.toString()).slice(-400_000)));
    proc.stderr.on('data', (c: Buffer) => (this.out = (this.out + c.toString()).slice(-400_000)));
  }
  /** Log lines (JSON) whose msg is `msg`, after `from` characters of output. */
  lines(msg: string, from = 0): Record<string, unknown>[] {
    return this.out
      .slice(from)
      .split('\n')
      .filter((l) => l.includes(`"msg":"${msg}"`))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  async started(): Promise<void> {
    for (let i = 0; i < 600 && this.lines('cqrs-slo started').length === 0; i++) await sleep(100);
    const line = this.lines('cqrs-slo started')[0];
    if (!line) throw new Error(`replica did not start:\n${this.out.slice(-4000)}`);
    this.url = line.url as string;
  }
  /** What this replica publishes now: groups with a lag series, watermark partitions, produced topics, assigned partitions. */
  async view(): Promise<{ groups: string[]; watermarks: string[]; produced: string[]; assigned: number; ownedGroups: number; lag: Map<string, number> }> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const lag = new Map<string, number>();
    for (const m of text.matchAll(/^cqrs_kafka_group_total_lag_messages\{cluster="test",group="([^"]+)"\} (\S+)$/gm)) lag.set(m[1]!, Number(m[2]));
    const watermarks = [...text.matchAll(/^cqrs_kafka_partition_high_watermark\{cluster="test",topic="([^"]+)",partition="(\d+)"\}/gm)].map(
      (m) => `${m[1]}/${m[2]}`,
    );
    const produced = [...text.matchAll(/^cqrs_kafka_topic_produced_messages_total\{cluster="test",topic="([^"]+)"\}/gm)].map((m) => m[1]!);
    const gauge = (name: string): number => Number(new RegExp(`^${name}\\{cluster="test"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return {
      groups: [...lag.keys()],
      watermarks,
      produced,
      assigned: gauge('cqrs_kafka_shard_assigned_partitions'),
      ownedGroups: gauge('cqrs_kafka_shard_owned_groups'),
      lag,
    };
  }
}

type View = Awaited<ReturnType<Replica['view']>>;

/** Groups published by more than one replica, and groups published by none. */
function coverage(views: View[]): { duplicated: string[]; missing: string[] } {
  const count = new Map<string, number>();
  for (const v of views) for (const g of v.groups) count.set(g, (count.get(g) ?? 0) + 1);
  return { duplicated: [...count].filter(([, n]) => n > 1).map(([g]) => g), missing: GROUPS.filter((g) => !count.has(g)) };
}

const ALL_PARTITIONS = Object.entries(TOPICS)
  .flatMap(([t, n]) => Array.from({ length: n }, (_, p) => `${t}/${p}`))
  .sort();
/** Exactly one replica publishes every watermark and produced counter; the others none. */
function topicSeriesOnce(views: View[]): boolean {
  const publishers = views.filter((v) => v.watermarks.length > 0 || v.produced.length > 0);
  return (
    publishers.length === 1 && JSON.stringify([...publishers[0]!.watermarks].sort()) === JSON.stringify(ALL_PARTITIONS) && publishers[0]!.produced.length === 2
  );
}

describe.skipIf(skip)(`Kafka ${version}: three replicas share the groups of a cluster`, () => {
  it('uses the claim delay the settings derive', () => {
    expect(shardSettings({ name: 'test' }, { enabled: true, partitions: 12, sessionTimeout: SESSION_MS / 1000 }).claimDelayMs).toBe(CLAIM_DELAY_MS);
  });

  let broker: KafkaHandle;
  let dir: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    // The broker's default floor for session timeouts is 6 s; a short one makes the takeover test quick.
    broker = await startKafka({ version, properties: { 'group.min.session.timeout.ms': 500 } });
    const k = await kit(broker.brokers);
    try {
      await k.admin.createTopics({ topics: Object.entries(TOPICS).map(([topic, numPartitions]) => ({ topic, numPartitions })), waitForLeaders: true });
      for (const [topic, n] of Object.entries(TOPICS)) for (let p = 0; p < n; p++) await produce(k, topic, p, 20);
      for (const [i, groupId] of GROUPS.entries()) {
        const topic = i % 2 === 0 ? 'orders' : 'payments';
        await k.setOffsets({
          groupId,
          topic,
          partitions: Array.from({ length: TOPICS[topic] }, (_, partition) => ({ partition, offset: String(committedOf(i)) })),
        });
      }
    } finally {
      await k.close();
    }
    dir = mkdtempSync(join(tmpdir(), 'cqrs-shard-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      `server: {port: 0, shutdownTimeout: 3s}
telemetry: {logLevel: info}
clusters:
  - name: test
    brokers: [${JSON.stringify(broker.brokers[0])}]
    interval: ${INTERVAL_MS}ms
    sharding: {partitions: 12, sessionTimeout: ${SESSION_MS}ms}
`,
    );
    for (let i = 0; i < 3; i++) replicas.push(new Replica(spawn(process.execPath, [BIN, 'run', '--config', file], { stdio: ['pipe', 'pipe', 'pipe'] })));
    await Promise.all(replicas.map((r) => r.started()));
  }, 240_000);

  afterAll(async () => {
    for (const r of replicas) if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGTERM');
    await sleep(500);
    for (const r of replicas) if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every group is published by exactly one replica; a killed replica's groups are taken over within the claim delay plus two intervals of the rebalance", async () => {
    // 1. Steady state: the union is the full set, with no duplicate, at two moments an interval apart.
    let views: View[] = [];
    const settled = Date.now() + 60_000;
    for (;;) {
      views = await Promise.all(replicas.map((r) => r.view()));
      const c = coverage(views);
      if (c.missing.length === 0 && c.duplicated.length === 0 && views.every((v) => v.assigned > 0) && topicSeriesOnce(views)) break;
      if (Date.now() > settled)
        throw new Error(
          `no steady state: ${JSON.stringify({ c, views: views.map((v) => ({ assigned: v.assigned, groups: v.groups.length, watermarks: v.watermarks.length })) })}`,
        );
      await sleep(200);
    }
    await sleep(INTERVAL_MS + 200);
    views = await Promise.all(replicas.map((r) => r.view()));
    expect(coverage(views)).toEqual({ duplicated: [], missing: [] });
    expect(topicSeriesOnce(views)).toBe(true);
    expect(views.reduce((s, v) => s + v.assigned, 0)).toBe(12);
    expect(views.reduce((s, v) => s + v.ownedGroups, 0)).toBe(GROUPS.length);
    // Each replica does a share of the work, and reports the right lag for what it owns.
    for (const v of views) expect(v.groups.length).toBeGreaterThan(0);
    for (const v of views) {
      for (const [g, lag] of v.lag) {
        const i = GROUPS.indexOf(g);
        expect(lag).toBe((20 - committedOf(i)) * TOPICS[i % 2 === 0 ? 'orders' : 'payments']);
      }
    }
    // The replicas' own coordination group is not reported as a monitored group.
    for (const v of views) expect(v.groups.filter((g) => !GROUPS.includes(g))).toEqual([]);

    // 2. Kill the replica that publishes the topic-level series (the owner of partition 0).
    const victim = views.findIndex((v) => v.watermarks.length > 0);
    const survivors = replicas.filter((_, i) => i !== victim);
    const marks = survivors.map((r) => r.out.length);
    const killedAt = Date.now();
    replicas[victim]!.proc.kill('SIGKILL');

    let coveredAt = 0;
    const polls: { at: number; duplicated: string[] }[] = [];
    while (Date.now() - killedAt < 30_000) {
      const now = await Promise.all(survivors.map((r) => r.view()));
      const c = coverage(now);
      polls.push({ at: Date.now() - killedAt, duplicated: c.duplicated });
      if (c.missing.length === 0 && c.duplicated.length === 0 && topicSeriesOnce(now)) {
        coveredAt = Date.now();
        views = now;
        break;
      }
      await sleep(150);
    }
    expect(coveredAt, 'survivors never covered every group').toBeGreaterThan(0);
    // Never a group published twice while the work moved.
    expect(polls.filter((p) => p.duplicated.length > 0)).toEqual([]);
    // The survivors' last join (the rebalance that dealt out the victim's partitions).
    const joins = survivors.map((r, i) => r.lines('joined the shard coordination group', marks[i]));
    const rebalancedAt = Math.max(...joins.map((j) => Date.parse(String(j.at(-1)?.time))));
    const fromKill = coveredAt - killedAt;
    const fromRebalance = coveredAt - rebalancedAt;
    console.log(
      `takeover: ${fromKill} ms after the kill, ${fromRebalance} ms after the rebalance (session ${SESSION_MS} ms, interval ${INTERVAL_MS} ms, ${polls.length} polls)`,
    );
    expect(Number.isFinite(rebalancedAt)).toBe(true);
    expect(fromRebalance).toBeLessThanOrEqual(CLAIM_DELAY_MS + 2 * INTERVAL_MS);
    expect(fromKill).toBeLessThanOrEqual(SESSION_MS + CLAIM_DELAY_MS + 2 * INTERVAL_MS + 1000);
    expect(views.reduce((s, v) => s + v.assigned, 0)).toBe(12);
    expect(views.reduce((s, v) => s + v.ownedGroups, 0)).toBe(GROUPS.length);

    // 3. SIGTERM one survivor: it leaves the group, so the last one takes over without waiting
    // for the session timeout.
    const [leaving, last] = survivors as [Replica, Replica];
    const exited = new Promise<number>((r) => leaving.proc.once('exit', () => r(Date.now())));
    leaving.proc.kill('SIGTERM');
    const leftAt = await exited;
    let aloneAt = 0;
    let alone: View | undefined;
    while (Date.now() - leftAt < 30_000) {
      alone = await last.view();
      if (coverage([alone]).missing.length === 0 && topicSeriesOnce([alone])) {
        aloneAt = Date.now();
        break;
      }
      await sleep(150);
    }
    console.log(`after SIGTERM: the last replica publishes everything ${aloneAt - leftAt} ms after the other exited`);
    expect(aloneAt, 'the last replica never covered every group').toBeGreaterThan(0);
    expect(aloneAt - leftAt).toBeLessThanOrEqual(CLAIM_DELAY_MS + 2 * INTERVAL_MS + 1000);
    expect(alone!.assigned).toBe(12);
  }, 150_000);
});

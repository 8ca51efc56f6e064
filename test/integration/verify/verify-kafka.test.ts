import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, steadyProducer, unique, useKit } from '../kafka/helpers.js';
import { readReport, runCli } from './cli-run.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`cqrs-slo verify drain on Kafka ${env.version} (built CLI)`, () => {
  const k = useKit(env.brokers);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-verify-kafka-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A consumer group on `topic` from the beginning, joined, that pauses while `flag` exists (the
   * hooks touch and remove it). `stop` ends the watcher and leaves the group.
   */
  async function flagPausedConsumer(topic: string, group: string, flag: string, onMessage: () => void = () => undefined): Promise<{ stop(): Promise<void> }> {
    const consumer: Consumer = k.kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 10_000 });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => onMessage() });
    for (let i = 0; i < 300 && !joined; i++) await sleep(100);
    expect(joined).toBe(true);
    let paused = false;
    const watcher = setInterval(() => {
      if (existsSync(flag) === paused) return;
      paused = !paused;
      if (paused) consumer.pause([{ topic }]);
      else consumer.resume([{ topic }]);
    }, 50);
    return {
      async stop() {
        clearInterval(watcher);
        await consumer.disconnect();
      },
    };
  }

  it('a consumer group paused and resumed by shell hooks drains within the limit, nothing re-delivered', async () => {
    const topic = unique('verify');
    const group = unique('vg');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = steadyProducer(k, topic, 2, 20);
    // The consumer pauses while the flag file exists: the hooks touch and remove it.
    const flag = join(dir, 'paused');
    let consumed = 0;
    const consumer = await flagPausedConsumer(topic, group, flag, () => void consumed++);
    const configFile = join(dir, 'kafka.yaml');
    writeFileSync(
      configFile,
      `clusters:\n  - name: main\n    brokers: [${env.brokers.map((b) => JSON.stringify(b)).join(', ')}]\n    interval: 1s\n    groups: { include: ["^${group}$"] }\n`,
    );
    const reports = join(dir, 'reports');
    try {
      // Wait until the group has committed on both partitions (lag is read from commits).
      for (let i = 0; i < 100 && consumed < 40; i++) await sleep(100);
      const r = await runCli([
        'verify',
        'drain',
        '--config',
        configFile,
        '--cluster',
        'main',
        '--group',
        group,
        '--pause',
        '4s',
        '--limit',
        '20s',
        '--interval',
        '500ms',
        '--pause-hook',
        `touch '${flag}'`,
        '--resume-hook',
        `rm -f '${flag}'`,
        '--report-dir',
        reports,
      ]);
      expect(r.stderr).toContain('pause hook (shell command): ok, exit 0');
      expect(r.stderr).toContain('resume hook (shell command): ok, exit 0');
      expect(r.stderr).toMatch(/\[pause +00:0\d\/00:04\] backlog \d+/);
      expect(r.code, r.stderr).toBe(0);
      const { json } = readReport(reports, 'drain');
      expect(json.verdict).toBe('pass');
      // 4 s paused at 20 messages/s: the backlog grew to dozens, then drained
      expect(json.fields['peak backlog']).toBeGreaterThanOrEqual(40);
      expect(json.fields['drain time (s)']).toBeLessThanOrEqual(20);
      expect(json.fields['re-delivered messages']).toBe(0);
      expect(json.hooks.map((h: { action: string; how: string; ok: boolean }) => [h.action, h.how, h.ok])).toEqual([
        ['pause', 'shell command', true],
        ['resume', 'shell command', true],
      ]);
      expect(existsSync(flag)).toBe(false);
    } finally {
      await producer.stop();
      await consumer.stop();
    }
  });

  it('with --stream on a Kafka tail: events lost and duplicated during the pause are counted exactly (3 lost, 2 duplicated)', async () => {
    const topic = unique('verify-stream');
    const group = unique('vsg');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // The application: 10 aggregates, each event the next version of one, keyed by aggregate
    // (one partition each), 20 a second; `inject` runs the anomalies once, after the pause.
    const versions = new Map<string, number>();
    let n = 0;
    const next = (aggregateId: string, skip = 0): Message => {
      const version = (versions.get(aggregateId) ?? 0) + 1 + skip;
      versions.set(aggregateId, version);
      return { key: aggregateId, value: JSON.stringify({ id: `e${n++}`, aggregateId, version }) };
    };
    let stopped = false;
    let injected = false;
    const flag = join(dir, 'stream-paused');
    const writer = (async () => {
      while (!stopped) {
        if (!injected && existsSync(flag)) {
          injected = true;
          // Two events, then the same two again (2 duplicated ids); a0 then skips 3 versions (3 lost).
          const two = [next('a1'), next('a2')];
          await k.producer.send({ topic, messages: two });
          await k.producer.send({ topic, messages: two });
          await k.producer.send({ topic, messages: [next('a0', 3)] });
        }
        await k.producer.send({ topic, messages: [next(`a${n % 10}`)] });
        await sleep(50);
      }
    })();
    const consumer = await flagPausedConsumer(topic, group, flag);
    const configFile = join(dir, 'kafka-stream.yaml');
    writeFileSync(
      configFile,
      [
        'clusters:',
        '  - name: main',
        `    brokers: [${env.brokers.map((b) => JSON.stringify(b)).join(', ')}]`,
        '    interval: 1s',
        `    groups: { include: ["^${group}$"] }`,
        'streams:',
        '  - name: events',
        '    cluster: main',
        `    topics: [${topic}]`,
        `    groupId: ${group}-tail`,
        '    eventId: { jsonPath: $.id }',
        '    aggregateId: { key: true }',
        '    version: { jsonPath: $.version }',
        '',
      ].join('\n'),
    );
    const reports = join(dir, 'stream-reports');
    try {
      await sleep(2000); // the group commits on both partitions
      const r = await runCli([
        'verify',
        'drain',
        '--config',
        configFile,
        '--cluster',
        'main',
        '--group',
        group,
        '--stream',
        'events',
        '--pause',
        '3s',
        '--limit',
        '20s',
        '--interval',
        '500ms',
        '--settle',
        '3s',
        '--pause-hook',
        `touch '${flag}'`,
        '--resume-hook',
        `rm -f '${flag}'`,
        '--report-dir',
        reports,
      ]);
      expect(injected).toBe(true);
      expect(r.code, r.stderr).toBe(1);
      const { json, md } = readReport(reports, 'drain');
      expect(json.verdict).toBe('fail');
      expect(json.reasons).toEqual(['3 lost events (missing aggregate versions)', '2 duplicated events']);
      expect(json.fields['lost events']).toBe(3);
      expect(json.fields['duplicated events']).toBe(2);
      // 3 s paused and the drain at 20 a second: some 60 or more events, the injected 5 among them.
      expect(json.fields['events observed on the stream']).toBeGreaterThanOrEqual(60);
      expect(json.fields['drain time (s)']).toBeLessThanOrEqual(20);
      expect(md).toContain('- 2 duplicated events');
    } finally {
      stopped = true;
      await writer;
      await consumer.stop();
    }
  });
});

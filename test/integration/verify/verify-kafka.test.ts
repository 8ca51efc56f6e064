import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer } from 'kafkajs';
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

  it('a consumer group paused and resumed by shell hooks drains within the limit, nothing re-delivered', async () => {
    const topic = unique('verify');
    const group = unique('vg');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = steadyProducer(k, topic, 2, 20);
    // The consumer pauses while the flag file exists: the hooks touch and remove it.
    const flag = join(dir, 'paused');
    const consumer: Consumer = k.kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 10_000 });
    let joined = false;
    let consumed = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => void consumed++ });
    for (let i = 0; i < 300 && !joined; i++) await sleep(100);
    expect(joined).toBe(true);
    let paused = false;
    const watcher = setInterval(() => {
      const want = existsSync(flag);
      if (want === paused) return;
      paused = want;
      if (want) consumer.pause([{ topic }]);
      else consumer.resume([{ topic }]);
    }, 50);
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
      clearInterval(watcher);
      await producer.stop();
      await consumer.disconnect();
    }
  });
});

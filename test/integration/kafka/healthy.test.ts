import { describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import { clusterConfig, cycle, kafkajsConsumer, makeDeps, makeSource, metricText, sample, sleep, statusOf, steadyProducer, unique, useKit } from './helpers.js';

const env = inject('kafka');

/** The longest test of the suite (~5 min): a healthy consumer must never page anyone. */
describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: a healthy consumer`, () => {
  const k = useKit(env.brokers);

  it('a kafkajs consumer keeping up with 20 msg/s for 5 minutes is OK in every cycle', async () => {
    const topic = unique('healthy');
    const group = unique('g');
    const P = 3;
    await k.admin.createTopics({ topics: [{ topic, numPartitions: P }], waitForLeaders: true });
    const consumer = await kafkajsConsumer(k, group, topic, { fromBeginning: true });
    const producer = steadyProducer(k, topic, P, 20);
    const deps = makeDeps();
    // A 1 s interval: the allowed lag (one interval of production) is then ~20 messages.
    const source = makeSource(clusterConfig(env.brokers, { interval: '1s', groups: { include: [`^${group}$`] } }), deps);
    // `behind`: the consumer's own backlog at the sample (sent - received, in this process), the
    // ground truth against which a non-OK status is judged.
    const seen: { status: string; lag: number | undefined; behind: number; why: string }[] = [];
    // The cycle's own log (a failed request is logged at debug): said with any non-OK cycle.
    let cycleLog: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void cycleLog.push(line.slice(0, 600)) });
    try {
      // Let the group commit once so that the monitor knows its topic.
      for (let i = 0; i < 50 && consumer.total() === 0; i++) await sleep(100);
      const end = Date.now() + 300_000;
      while (Date.now() < end) {
        const started = Date.now();
        cycleLog = [];
        const r = await cycle(source, deps, logger);
        const text = await metricText(deps.registry);
        const behind = producer.sent() - consumer.total();
        seen.push({
          status: (await statusOf(deps.registry, group)) ?? 'absent',
          lag: sample(text, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group }),
          behind,
          why: r instanceof Error ? r.message : cycleLog.join(' '),
        });
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
      }
      const lags = seen.map((s) => s.lag ?? 0);
      const notOk = seen.map((s, i) => ({ ...s, i })).filter((s) => s.status !== 'OK');
      // A consumer on a shared 2-core machine can really fall behind for a few seconds (a GC pause,
      // a rejoin, commits delayed under load: once 216 messages in 5 minutes). LAGGING is then
      // what the group's commits show, not a false status. What must never happen is a non-OK
      // status within the allowed lag (one interval of production, ~20 messages): the original
      // false LAGGING was at a total lag of 1.
      const bad = notOk.filter((s) => !(s.status === 'LAGGING' && (s.lag ?? 0) > 20)).map((s) => `${s.i}:${s.status}:${s.lag}:behind ${s.behind}:${s.why}`);
      const hiccups = notOk.length - bad.length;
      console.info(
        `healthy consumer: ${seen.length} cycles, total lag max ${Math.max(...lags)}, mean ${(lags.reduce((a, b) => a + b, 0) / lags.length).toFixed(2)}, produced ${producer.sent()}, consumed ${consumer.total()}, LAGGING above the allowed lag: ${hiccups} (${notOk.map((s) => `${s.i}:${s.lag}:behind ${s.behind}`).join(' ')})`,
      );
      expect(seen.length).toBeGreaterThan(250);
      expect(lags.some((l) => l > 0)).toBe(true); // it does trail the head at times
      expect(bad).toEqual([]);
      expect(hiccups, 'real hiccups are rare').toBeLessThanOrEqual(Math.ceil(seen.length * 0.02));
    } finally {
      await producer.stop();
      await consumer.stop();
      await source.close();
    }
  }, 360_000);
});

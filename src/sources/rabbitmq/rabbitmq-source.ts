import type { RabbitmqConfig } from '../../config/schema/rabbitmq.js';
import { passes } from '../../config/schema/common.js';
import { targetKey } from '../../core/sli-board.js';
import { deadLetterQueues, queueKey, SHADOW_PREFIX, shadowPlans, type TopologyBinding } from '../../core/rabbitmq/dead-letter-topology.js';
import { counterDelta, depthOf, oldestAge, type QueueSample } from '../../core/rabbitmq/queue-sample.js';
import { QUEUE_STATUSES, queueStatus, type QueueStatus } from '../../core/rabbitmq/status.js';
import type { SourceDeps } from '../deps.js';
import { SeriesBook } from '../kafka/series-book.js';
import { SourceError } from '../source-error.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import type { DeadLetterShadow } from './dead-letter-shadow.js';
import type { ApiQueue, ManagementClient } from './management-client.js';

/** What the source remembers of a queue between cycles. */
interface QueueMemory {
  window: QueueSample[];
  /** Last cumulative broker counters, by counter name. */
  counters: Map<string, number>;
}

const COUNTERS = ['publish', 'deliver_get', 'ack', 'redeliver'] as const;

/** SLI board target of a queue (freshness and delivery SLOs with `broker`, `vhost`, `queue`). */
export const queueTarget = targetKey.queue;

const readable = (q: ApiQueue): boolean => typeof q.messages_ready === 'number' && typeof q.messages_unacknowledged === 'number';
const depthOfApi = (q: ApiQueue): number => (q.messages_ready ?? 0) + (q.messages_unacknowledged ?? 0);

/**
 * One RabbitMQ broker as a Source, through the management API (GET only). Per cycle: the queues
 * of the watched vhosts (and their bindings, for dead-letter detection); per queue depth,
 * consumers, utilisation, the broker's cumulative counters, the head message's age and a status;
 * dead-letter queues go to the cqrs_dlq_* families. A queue whose stats the broker has not
 * reported yet is ERROR with no other series; the cycle fails only when the API cannot be read.
 */
export class RabbitmqSource implements Source {
  readonly name: string;
  readonly interval: number;
  readonly timeout: number;
  readonly #cfg: RabbitmqConfig;
  readonly #deps: SourceDeps;
  readonly #client: ManagementClient;
  readonly #shadow: DeadLetterShadow | undefined;
  readonly #book = new SeriesBook();
  readonly #queues = new Map<string, QueueMemory & { vhost: string; queue: string }>();
  /** dlq labels published by the last cycle. */
  #dlqs = new Set<string>();
  #overflowLogged = false;

  constructor(cfg: RabbitmqConfig, deps: SourceDeps, client: ManagementClient, shadow?: DeadLetterShadow) {
    this.#cfg = cfg;
    this.#deps = deps;
    this.#client = client;
    this.#shadow = shadow;
    this.name = `rabbitmq:${cfg.name}`;
    this.interval = cfg.interval;
    this.timeout = cfg.timeout ?? cfg.interval;
  }

  /** HTTP requests made so far (tests count the pages of a listing). */
  get requests(): number {
    return this.#client.requests;
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    const cfg = this.#cfg;
    const vhosts: (string | undefined)[] = cfg.vhosts.length > 0 ? cfg.vhosts : [undefined];
    const all: ApiQueue[] = [];
    const bindings: TopologyBinding[] = [];
    for (const vhost of vhosts) {
      const qs = await ctx.span('rabbitmq.queues', () => this.#client.queues(vhost, ctx.signal), { vhost: vhost ?? '*' });
      if (!Array.isArray(qs)) throw new SourceError(`rabbitmq ${cfg.name}: /api/queues did not return a list`, { reason: 'protocol' });
      // The monitor's own shadow queues are neither watched nor dead-letter queues.
      for (const q of qs) if (!q.name.startsWith(SHADOW_PREFIX)) all.push(q);
      if (cfg.deadLetters.detect)
        for (const b of await ctx.span('rabbitmq.bindings', () => this.#client.bindings(vhost, ctx.signal), { vhost: vhost ?? '*' })) bindings.push(b);
    }
    if (this.#shadow) {
      const topology = all.map((q) => ({
        vhost: q.vhost,
        name: q.name,
        arguments: q.arguments,
        policy: Array.isArray(q.effective_policy_definition) ? undefined : q.effective_policy_definition,
      }));
      const shadow = this.#shadow;
      await ctx.span('rabbitmq.dead_letter_shadows', () => shadow.sync(shadowPlans(topology, bindings)), {});
    }
    ctx.signal.throwIfAborted();
    const now = ctx.clock();
    const report = this.#publish(all, bindings, now);
    if (this.#shadow) {
      let n = 0;
      for (const c of this.#shadow.take()) {
        this.#deps.metrics.dlq.inflow.inc({ dlq: c.dlq, source: c.source, reason: c.reason }, c.n);
        // The delivery SLI of the source queue: a dead letter is a bad (and counted) message.
        if (c.source !== 'other') this.#deps.board.addEvents('delivery', queueTarget(this.#cfg.name, c.vhost, c.source), c.n, c.n);
        n += c.n;
      }
      report.dead_letters = n;
    }
    return report;
  }

  #publish(all: readonly ApiQueue[], bindings: Parameters<typeof deadLetterQueues>[1], now: number): CycleReport {
    const cfg = this.#cfg;
    const broker = cfg.name;
    const m = this.#deps.metrics.rabbitmq;

    // Watched queues, deepest first when over the cap.
    let watched = all.filter((q) => passes(cfg.queues, q.name));
    let dropped = 0;
    if (watched.length > cfg.maxQueues) {
      watched = [...watched].sort((a, b) => depthOfApi(b) - depthOfApi(a));
      dropped = watched.length - cfg.maxQueues;
      watched = watched.slice(0, cfg.maxQueues);
      this.#deps.metrics.monitor.seriesDropped.inc({ source: this.name }, dropped);
      if (!this.#overflowLogged)
        this.#deps.logger.warn({ source: this.name, maxQueues: cfg.maxQueues, dropped }, 'rabbitmq maxQueues reached; shallowest queues dropped');
      this.#overflowLogged = true;
    } else this.#overflowLogged = false;

    const keep = Math.max(cfg.stallSamples, cfg.trendSamples);
    const seen = new Set<string>();
    const statuses: Record<QueueStatus, number> = { OK: 0, LAGGING: 0, STALLED: 0, STOPPED: 0, ERROR: 0 };
    let ageUnavailable = 0;
    let skew = 0;
    this.#book.begin();
    for (const q of watched) {
      const key = queueKey(q.vhost, q.name);
      seen.add(key);
      let mem = this.#queues.get(key);
      if (!mem) this.#queues.set(key, (mem = { vhost: q.vhost, queue: q.name, window: [], counters: new Map() }));
      const labels = [broker, q.vhost, q.name];
      const target = queueTarget(broker, q.vhost, q.name);
      const setStatus = (status: QueueStatus): void => {
        statuses[status]++;
        for (const s of QUEUE_STATUSES) this.#book.set(m.status, [...labels, s], s === status ? 1 : 0);
      };
      if (!readable(q)) {
        // Stats not reported yet (just declared) or the queue is down: nothing is known of it.
        mem.window = [];
        setStatus('ERROR');
        this.#deps.board.setStaleness(target, undefined);
        continue;
      }
      const stats = q.message_stats ?? {};
      const counter = (c: (typeof COUNTERS)[number]): number => (typeof stats[c] === 'number' ? stats[c] : 0);
      const sample: QueueSample = {
        at: now,
        ready: q.messages_ready!,
        unacked: q.messages_unacknowledged!,
        consumers: q.consumers ?? 0,
        delivered: counter('deliver_get'),
        acked: counter('ack'),
      };
      mem.window.push(sample);
      if (mem.window.length > keep) mem.window.splice(0, mem.window.length - keep);

      const text = m.ready.labelText(labels);
      this.#book.setText(m.ready, text, sample.ready);
      this.#book.setText(m.unacked, text, sample.unacked);
      this.#book.setText(m.consumers, text, sample.consumers);
      if (typeof q.consumer_utilisation === 'number') this.#book.setText(m.utilisation, text, q.consumer_utilisation);
      const age = oldestAge(depthOf(sample), q.head_message_timestamp, now);
      if (age.seconds === undefined) ageUnavailable++;
      else {
        this.#book.setText(m.oldestAge, text, age.seconds);
        if (age.clamped) skew++;
      }
      this.#deps.board.setStaleness(target, age.seconds);
      setStatus(queueStatus(mem.window, cfg));

      const lbl = { broker, vhost: q.vhost, queue: q.name };
      const counters = [
        ['publish', m.published],
        ['deliver_get', m.delivered],
        ['ack', m.acked],
        ['redeliver', m.redelivered],
      ] as const;
      // The delivery SLI counts acks from the second sample on: the broker's acks from before the
      // monitor started have no dead-letter counts beside them (the shadow queues count from now).
      const prevAck = mem.counters.get('ack');
      if (prevAck !== undefined) this.#deps.board.addEvents('delivery', target, counterDelta(prevAck, counter('ack')), 0);
      for (const [c, metric] of counters) {
        const cur = counter(c);
        metric.inc(lbl, counterDelta(mem.counters.get(c), cur));
        mem.counters.set(c, cur);
      }
    }
    this.#book.commit();
    // Queues no longer listed (deleted, filtered out or capped) lose their counters and memory.
    for (const [key, mem] of this.#queues) {
      if (seen.has(key)) continue;
      this.#forget(mem.vhost, mem.queue);
      this.#queues.delete(key);
    }
    m.queues.set({ broker }, watched.length);
    // inc(0) creates the series at once, so rate() has a base before the first unavailable age.
    m.ageUnavailable.inc({ broker }, ageUnavailable);
    if (skew > 0) this.#deps.metrics.monitor.clockSkew.inc({ source: this.name }, skew);

    const dlqs = this.#publishDeadLetters(all, bindings, now);
    return { queues: watched.length, queues_dropped: dropped, ...lower(statuses), age_unavailable: ageUnavailable, dlqs };
  }

  /** Depth and oldest age of every dead-letter queue into cqrs_dlq_*; returns their number. */
  #publishDeadLetters(all: readonly ApiQueue[], bindings: Parameters<typeof deadLetterQueues>[1], now: number): number {
    const cfg = this.#cfg.deadLetters;
    const m = this.#deps.metrics.dlq;
    const byKey = new Map(all.map((q) => [queueKey(q.vhost, q.name), q]));
    const keys = new Set<string>();
    if (cfg.detect) {
      const topology = all.map((q) => ({
        vhost: q.vhost,
        name: q.name,
        arguments: q.arguments,
        policy: Array.isArray(q.effective_policy_definition) ? undefined : q.effective_policy_definition,
      }));
      for (const d of deadLetterQueues(topology, bindings)) keys.add(queueKey(d.vhost, d.queue));
    }
    for (const q of all) if (cfg.queues.some((r) => r.test(q.name))) keys.add(queueKey(q.vhost, q.name));
    const published = new Set<string>();
    for (const key of keys) {
      const q = byKey.get(key);
      if (!q) continue;
      const dlq = cfg.names[q.name] ?? q.name;
      const labels = { dlq };
      if (published.has(dlq)) continue; // the same name in two vhosts: the first one only
      if (!readable(q)) continue;
      published.add(dlq);
      const depth = depthOfApi(q);
      m.messages.set(labels, depth);
      const age = oldestAge(depth, q.head_message_timestamp, now);
      if (age.seconds === undefined) m.oldestAge.remove(labels);
      else m.oldestAge.set(labels, age.seconds);
    }
    for (const dlq of this.#dlqs) {
      if (published.has(dlq)) continue;
      m.messages.remove({ dlq });
      m.oldestAge.remove({ dlq });
    }
    this.#dlqs = published;
    return published.size;
  }

  #forget(vhost: string, queue: string): void {
    const m = this.#deps.metrics.rabbitmq;
    const lbl = { broker: this.#cfg.name, vhost, queue };
    for (const c of [m.published, m.delivered, m.acked, m.redelivered]) c.remove(lbl);
    this.#deps.board.setStaleness(queueTarget(this.#cfg.name, vhost, queue), undefined);
  }

  /**
   * Removes every gauge (current values the monitor no longer knows) and marks every queue's age
   * unreadable. Counters stay: they are history, and the broker's totals are read again on
   * recovery (a broker restart counts from 0, which counterDelta turns into new messages).
   */
  clear(): void {
    this.#book.clear();
    this.#deps.metrics.rabbitmq.queues.remove({ broker: this.#cfg.name });
    for (const mem of this.#queues.values()) {
      mem.window = [];
      this.#deps.board.setStaleness(queueTarget(this.#cfg.name, mem.vhost, mem.queue), undefined);
    }
    const m = this.#deps.metrics.dlq;
    for (const dlq of this.#dlqs) {
      m.messages.remove({ dlq });
      m.oldestAge.remove({ dlq });
    }
    this.#dlqs = new Set();
  }

  async close(): Promise<void> {
    this.clear();
    await this.#shadow?.close();
  }
}

const lower = (s: Record<QueueStatus, number>): CycleReport => Object.fromEntries(Object.entries(s).map(([k, v]) => [`status_${k.toLowerCase()}`, v]));

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import amqp from 'amqplib';
import type { Secret } from '../../config/secret.js';
import { SHADOW_PREFIX, type ShadowPlan } from '../../core/rabbitmq/dead-letter-topology.js';
import { latestDeath, type DeathReason } from '../../core/rabbitmq/x-death.js';
import { withTlsProblem } from '../tls-error.js';
import { reasonOf, SourceError } from '../source-error.js';

export interface DeadLetterShadowOptions {
  /** Broker name (part of the shadow queue names). */
  readonly broker: string;
  /** `amqp://host:port` or `amqps://host:port`; the vhost comes from the plan. */
  readonly url: string;
  readonly user: string;
  readonly password: Secret;
  /** TLS options for amqps (the CA). */
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized: boolean } | undefined;
  /** Shadow queues expire this long after the monitor stops consuming them (ms). */
  readonly expiresMs: number;
  /** Messages a shadow queue holds at most while the monitor is away (the oldest go first). */
  readonly maxLength: number;
  /** Label of a DLQ by queue name. */
  readonly dlqLabel: (queue: string) => string;
}

/** One dead letter counted: its DLQ, source queue (in `vhost`; `other` when unknown) and bounded reason. */
export interface InflowCount {
  readonly vhost: string;
  readonly dlq: string;
  readonly source: string;
  readonly reason: DeathReason;
  readonly n: number;
}

interface Shadow {
  readonly queue: string;
  bindingKey: string;
  plan: ShadowPlan;
}

interface VhostLink {
  conn: amqp.ChannelModel;
  ch: amqp.Channel;
  broken: boolean;
  readonly shadows: Map<string, Shadow>;
}

/** Name of the shadow queue of a dead-letter exchange (hashed when the name would be long). */
export function shadowQueueName(broker: string, exchange: string): string {
  const name = `${SHADOW_PREFIX}${broker}.${exchange}`;
  return name.length <= 200 ? name : `${SHADOW_PREFIX}${broker}.${createHash('sha256').update(exchange).digest('hex').slice(0, 32)}`;
}

/**
 * Counts dead letters without touching the user's dead-letter queues: for each dead-letter
 * exchange the monitor declares its own queue (`cqrs-slo.dl-shadow.<broker>.<exchange>`), binds
 * it with the same keys and arguments as the exchange's DLQs, so the broker routes it a copy of
 * every dead letter they receive, and consumes it with auto-ack, reading only the `x-death`
 * header. The DLQs' messages, order, redelivery flags and counters are untouched. The shadow
 * queue is durable, bounded (`x-max-length`) and expires (`x-expires`) once the monitor is gone,
 * so dead letters that arrive while the monitor reconnects are counted when it is back.
 */
export class DeadLetterShadow {
  readonly #opts: DeadLetterShadowOptions;
  readonly #links = new Map<string, VhostLink>();
  readonly #tally = new Map<string, { vhost: string; dlq: string; source: string; reason: DeathReason; n: number }>();

  constructor(opts: DeadLetterShadowOptions) {
    this.#opts = opts;
  }

  /** Brings the shadow queues in line with the plans (no AMQP call when nothing changed). */
  async sync(plans: readonly ShadowPlan[]): Promise<void> {
    const byVhost = new Map<string, ShadowPlan[]>();
    for (const p of plans) byVhost.set(p.vhost, [...(byVhost.get(p.vhost) ?? []), p]);
    for (const [vhost, link] of this.#links) {
      if (!byVhost.has(vhost) || link.broken) {
        this.#links.delete(vhost);
        await link.conn.close().catch(() => undefined);
      }
    }
    for (const [vhost, list] of byVhost) {
      let link = this.#links.get(vhost);
      if (!link) {
        link = await this.#connect(vhost);
        this.#links.set(vhost, link);
      }
      await this.#syncVhost(vhost, link, list);
    }
  }

  /** Counts since the last call, then forgets them. */
  take(): InflowCount[] {
    const out = [...this.#tally.values()];
    this.#tally.clear();
    return out;
  }

  async close(): Promise<void> {
    for (const link of this.#links.values()) await link.conn.close().catch(() => undefined);
    this.#links.clear();
  }

  async #syncVhost(vhost: string, link: VhostLink, plans: readonly ShadowPlan[]): Promise<void> {
    const wanted = new Set(plans.map((p) => p.exchange));
    for (const [exchange, s] of link.shadows) {
      if (wanted.has(exchange)) continue;
      await this.#amqp(vhost, `delete shadow queue ${s.queue}`, () => link.ch.deleteQueue(s.queue));
      link.shadows.delete(exchange);
    }
    for (const plan of plans) {
      const key = JSON.stringify(plan.bindings);
      const s = link.shadows.get(plan.exchange);
      if (s && s.bindingKey === key) {
        s.plan = plan;
        continue;
      }
      const queue = s?.queue ?? shadowQueueName(this.#opts.broker, plan.exchange);
      if (!s) {
        await this.#amqp(vhost, `declare shadow queue ${queue}`, () =>
          link.ch.assertQueue(queue, { durable: true, arguments: { 'x-expires': this.#opts.expiresMs, 'x-max-length': this.#opts.maxLength } }),
        );
      }
      // Bindings only ever added while the exchange is shadowed; a removed one stays until the
      // queue expires or the exchange is dropped (it only copies what a DLQ no longer gets).
      for (const b of plan.bindings)
        await this.#amqp(vhost, `bind ${queue} to exchange ${plan.exchange}`, () => link.ch.bindQueue(queue, plan.exchange, b.routing_key, b.arguments));
      const shadow: Shadow = s ?? { queue, bindingKey: key, plan };
      shadow.bindingKey = key;
      shadow.plan = plan;
      if (!s) {
        link.shadows.set(plan.exchange, shadow);
        await this.#amqp(vhost, `consume shadow queue ${queue}`, () => link.ch.consume(queue, (m) => m && this.#count(shadow.plan, m), { noAck: true }));
      }
    }
  }

  #count(plan: ShadowPlan, m: amqp.ConsumeMessage): void {
    const death = latestDeath(m.properties.headers as Record<string, unknown> | undefined);
    const known = death?.queue !== undefined && plan.dlqBySource.has(death.queue);
    const dlqQueue = (known ? plan.dlqBySource.get(death.queue!) : undefined) ?? [...plan.dlqBySource.values()].sort()[0] ?? plan.exchange;
    const dlq = this.#opts.dlqLabel(dlqQueue);
    // Source values are bounded by the topology: queues that dead-letter into this exchange.
    const source = known ? death.queue! : 'other';
    const reason = death?.reason ?? 'other';
    const k = `${plan.vhost}\u0000${dlq}\u0000${source}\u0000${reason}`;
    const t = this.#tally.get(k);
    if (t) t.n++;
    else this.#tally.set(k, { vhost: plan.vhost, dlq, source, reason, n: 1 });
  }

  async #connect(vhost: string): Promise<VhostLink> {
    const u = new URL(this.#opts.url);
    const tls = u.protocol === 'amqps:';
    const conn = await this.#amqp(vhost, 'connect', () =>
      amqp.connect(
        {
          protocol: tls ? 'amqps' : 'amqp',
          hostname: u.hostname,
          port: Number(u.port || (tls ? 5671 : 5672)),
          username: this.#opts.user,
          password: this.#opts.password.reveal(),
          vhost,
          heartbeat: 30,
        },
        // SNI only for host names (RFC 6066 forbids IP addresses).
        tls ? { ...this.#opts.tls, ...(isIP(u.hostname) ? {} : { servername: u.hostname }) } : {},
      ),
    );
    const link: VhostLink = { conn, ch: undefined as unknown as amqp.Channel, broken: false, shadows: new Map() };
    // A lost connection (broker restart) or a closed channel is re-made at the next cycle.
    conn.on('error', () => (link.broken = true));
    conn.on('close', () => (link.broken = true));
    link.ch = await this.#amqp(vhost, 'open channel', () => conn.createChannel());
    link.ch.on('error', () => (link.broken = true));
    link.ch.on('close', () => (link.broken = true));
    return link;
  }

  /** Runs an AMQP step; failures become SourceErrors naming the step, the vhost and the reason. */
  async #amqp<T>(vhost: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: unknown; message?: string };
      const refused = e.code === 403 || /ACCESS_REFUSED|ACCESS-REFUSED|403/.test(String(e.message));
      const reason = refused ? 'auth' : e.code === 404 ? 'config' : reasonOf(err) === 'unknown' ? 'protocol' : reasonOf(err);
      const hint = refused
        ? ` (the user needs configure, write and read permission on ^${SHADOW_PREFIX.replace(/\./g, '\\.')}, and read on the dead-letter exchanges)`
        : '';
      const msg = withTlsProblem(
        err,
        `rabbitmq ${this.#opts.broker}: dead-letter inflow: ${what} in vhost ${JSON.stringify(vhost)}: ${e.message ?? String(err)}${hint}`,
      );
      for (const [k, link] of this.#links) if (k === vhost) link.broken = true;
      throw new SourceError(msg, { reason: reasonOf(err) === 'tls' ? 'tls' : reason, cause: err });
    }
  }
}

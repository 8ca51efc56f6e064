/** What the topology detection needs of a queue (management API `/api/queues`). */
export interface TopologyQueue {
  readonly vhost: string;
  readonly name: string;
  readonly arguments?: Readonly<Record<string, unknown>> | undefined;
  /** `effective_policy_definition`: the policy (and operator policy) keys applied to the queue. */
  readonly policy?: Readonly<Record<string, unknown>> | undefined;
}

/** A binding (management API `/api/bindings`). */
export interface TopologyBinding {
  readonly vhost: string;
  readonly source: string;
  readonly destination: string;
  readonly destination_type: string;
  readonly routing_key: string;
  /** Binding arguments (headers exchanges match on them). */
  readonly arguments?: Readonly<Record<string, unknown>> | undefined;
}

/** A dead-letter queue and the queues that dead-letter into it. */
export interface DeadLetterQueue {
  readonly vhost: string;
  readonly queue: string;
  readonly sources: readonly string[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Map key of a queue. */
export const queueKey = (vhost: string, queue: string): string => `${vhost}\u0000${queue}`;

/**
 * Dead-letter queues implied by the topology. A queue's dead-letter exchange is its
 * `x-dead-letter-exchange` argument, else its policy's `dead-letter-exchange` (RabbitMQ lets the
 * argument win, "Dead Letter Exchanges" guide); the same for the routing key.
 * - DLX `""` (the default exchange) with a dead-letter routing key: the queue of that name.
 * - Another exchange: the queues bound to it; when a dead-letter routing key is set and some
 *   bindings carry exactly that key, only those (a direct exchange shared by several DLQs).
 * Exchange-to-exchange bindings are not followed; a DLX without bound queues yields nothing.
 */
export function deadLetterQueues(queues: readonly TopologyQueue[], bindings: readonly TopologyBinding[]): DeadLetterQueue[] {
  const byExchange = new Map<string, TopologyBinding[]>();
  for (const b of bindings) {
    if (b.destination_type !== 'queue' || b.source === '') continue;
    const k = queueKey(b.vhost, b.source);
    const list = byExchange.get(k);
    if (list) list.push(b);
    else byExchange.set(k, [b]);
  }
  const out = new Map<string, { vhost: string; queue: string; sources: Set<string> }>();
  const add = (vhost: string, queue: string, source: string): void => {
    const k = queueKey(vhost, queue);
    let d = out.get(k);
    if (!d) out.set(k, (d = { vhost, queue, sources: new Set() }));
    if (source !== queue) d.sources.add(source);
  };
  for (const q of queues) {
    const dlx = text(q.arguments?.['x-dead-letter-exchange']) ?? text(q.policy?.['dead-letter-exchange']);
    if (dlx === undefined) continue;
    const key = text(q.arguments?.['x-dead-letter-routing-key']) ?? text(q.policy?.['dead-letter-routing-key']);
    if (dlx === '') {
      if (key !== undefined && key !== '') add(q.vhost, key, q.name);
      continue;
    }
    const bound = byExchange.get(queueKey(q.vhost, dlx)) ?? [];
    const exact = key === undefined ? [] : bound.filter((b) => b.routing_key === key);
    for (const b of exact.length > 0 ? exact : bound) add(q.vhost, b.destination, q.name);
  }
  return [...out.values()].map((d) => ({ vhost: d.vhost, queue: d.queue, sources: [...d.sources].sort() }));
}

/** Prefix of the monitor's own shadow queues: never watched, never a DLQ. */
export const SHADOW_PREFIX = 'cqrs-slo.dl-shadow.';

/** A dead-letter exchange whose dead letters the monitor counts through its own shadow queue. */
export interface ShadowPlan {
  readonly vhost: string;
  readonly exchange: string;
  /** The bindings of the exchange's dead-letter queues, copied to the shadow queue (deduplicated). */
  readonly bindings: readonly { readonly routing_key: string; readonly arguments: Readonly<Record<string, unknown>> }[];
  /** Dead-letter queue of each source queue dead-lettering into this exchange. */
  readonly dlqBySource: ReadonlyMap<string, string>;
}

/**
 * What to shadow: for each dead-letter exchange (not the default exchange: a dead letter routed
 * by name to one queue cannot be copied) that has dead-letter queues bound, the bindings of those
 * queues, so that a queue bound with the same keys and arguments receives a copy of every dead
 * letter they receive (AMQP routes one copy per queue, whatever the number of matching
 * bindings). A source queue maps to the first of its DLQs by name.
 */
export function shadowPlans(queues: readonly TopologyQueue[], bindings: readonly TopologyBinding[]): ShadowPlan[] {
  const own = bindings.filter((b) => !b.destination.startsWith(SHADOW_PREFIX));
  const dlqs = deadLetterQueues(
    queues.filter((q) => !q.name.startsWith(SHADOW_PREFIX)),
    own,
  );
  const dlqKeys = new Set(dlqs.map((d) => queueKey(d.vhost, d.queue)));
  const plans = new Map<
    string,
    { vhost: string; exchange: string; bindings: Map<string, { routing_key: string; arguments: Record<string, unknown> }>; dlqBySource: Map<string, string> }
  >();
  for (const q of queues) {
    if (q.name.startsWith(SHADOW_PREFIX)) continue;
    const dlx = text(q.arguments?.['x-dead-letter-exchange']) ?? text(q.policy?.['dead-letter-exchange']);
    if (dlx === undefined || dlx === '') continue;
    const bound = own.filter((b) => b.vhost === q.vhost && b.source === dlx && b.destination_type === 'queue' && dlqKeys.has(queueKey(b.vhost, b.destination)));
    if (bound.length === 0) continue;
    const k = queueKey(q.vhost, dlx);
    let plan = plans.get(k);
    if (!plan) plans.set(k, (plan = { vhost: q.vhost, exchange: dlx, bindings: new Map(), dlqBySource: new Map() }));
    for (const b of bound) {
      const args = { ...(b.arguments ?? {}) };
      plan.bindings.set(`${b.routing_key}\u0000${JSON.stringify(Object.entries(args).sort())}`, { routing_key: b.routing_key, arguments: args });
    }
    const mine = dlqs
      .filter((d) => d.vhost === q.vhost && d.sources.includes(q.name))
      .map((d) => d.queue)
      .sort();
    if (mine[0] !== undefined) plan.dlqBySource.set(q.name, mine[0]);
  }
  return [...plans.values()].map((p) => ({ vhost: p.vhost, exchange: p.exchange, bindings: [...p.bindings.values()], dlqBySource: p.dlqBySource }));
}

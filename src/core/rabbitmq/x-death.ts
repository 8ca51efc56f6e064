/**
 * Reasons RabbitMQ writes in `x-death[].reason` ("Dead Letter Exchanges" guide, 3.10):
 * `rejected` (basic.reject / basic.nack with requeue=false), `expired` (message or queue TTL),
 * `maxlen` (x-max-length / x-max-length-bytes overflow with drop-head or reject-publish-dlx),
 * `delivery_limit` (quorum queue delivery-limit). Anything else is counted as `other`, so the
 * label has at most five values.
 */
export const DEATH_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'other'] as const;
export type DeathReason = (typeof DEATH_REASONS)[number];

/** The latest dead-lettering of a message: the queue it left and why. */
export interface Death {
  /** Queue the message was dead-lettered from; undefined when the header does not say. */
  readonly queue: string | undefined;
  readonly reason: DeathReason;
}

const KNOWN = new Set<string>(DEATH_REASONS);

/** Bounded reason label of a raw `x-death` reason. */
export function deathReason(raw: unknown): DeathReason {
  return typeof raw === 'string' && KNOWN.has(raw) ? (raw as DeathReason) : 'other';
}

/**
 * The latest death of a dead-lettered message from its AMQP headers. RabbitMQ keeps `x-death`
 * as an array with the most recent (queue, reason) pair first; a pair seen again has its count
 * raised and moves to the front. Falls back to `x-first-death-queue`/`-reason` when `x-death`
 * is missing or malformed; undefined when the message carries neither (it was published to the
 * DLX by an application, not dead-lettered by the broker).
 */
export function latestDeath(headers: Readonly<Record<string, unknown>> | undefined): Death | undefined {
  if (!headers) return undefined;
  const xd = headers['x-death'];
  if (Array.isArray(xd) && xd.length > 0 && xd[0] && typeof xd[0] === 'object') {
    const first = xd[0] as Record<string, unknown>;
    return { queue: typeof first.queue === 'string' ? first.queue : undefined, reason: deathReason(first.reason) };
  }
  const queue = headers['x-first-death-queue'];
  const reason = headers['x-first-death-reason'];
  if (typeof queue !== 'string' && typeof reason !== 'string') return undefined;
  return { queue: typeof queue === 'string' ? queue : undefined, reason: deathReason(reason) };
}

import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import { ManagementClient } from './management-client.js';
import { DeadLetterShadow } from './dead-letter-shadow.js';
import { RabbitmqSource } from './rabbitmq-source.js';

export { RabbitmqSource, queueTarget } from './rabbitmq-source.js';
export { ManagementClient, type ApiQueue } from './management-client.js';

/** One source per configured RabbitMQ broker. */
export function createRabbitmqSources(config: Config, deps: SourceDeps): Source[] {
  return config.rabbitmq.map((cfg) => {
    const dlqLabel = (queue: string): string => cfg.deadLetters.names[queue] ?? queue;
    const shadow =
      cfg.deadLetters.inflow && cfg.amqpUrl
        ? new DeadLetterShadow({
            broker: cfg.name,
            url: cfg.amqpUrl,
            user: cfg.user,
            password: cfg.password,
            tls: tlsOptions(cfg),
            // Ten intervals (at least a minute) without the monitor and the shadow queues go.
            expiresMs: Math.max(60_000, cfg.interval * 10_000),
            maxLength: cfg.deadLetters.shadowMaxLength,
            dlqLabel,
          })
        : undefined;
    return new RabbitmqSource(
      cfg,
      deps,
      new ManagementClient({ url: cfg.url, user: cfg.user, password: cfg.password, pageSize: cfg.pageSize, tls: tlsOptions(cfg) }),
      shadow,
    );
  });
}

/** Node TLS options of the broker's `tls` block (undefined without one). */
function tlsOptions(cfg: Config['rabbitmq'][number]): { ca?: string; rejectUnauthorized: boolean } | undefined {
  if (!cfg.tls) return undefined;
  return { ...(cfg.tls.ca ? { ca: cfg.tls.ca.reveal() } : {}), rejectUnauthorized: cfg.tls.rejectUnauthorized };
}

import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import { ManagementClient } from './management-client.js';
import { RabbitmqSource } from './rabbitmq-source.js';

export { RabbitmqSource, queueTarget } from './rabbitmq-source.js';
export { ManagementClient, type ApiQueue } from './management-client.js';

/** One source per configured RabbitMQ broker. */
export function createRabbitmqSources(config: Config, deps: SourceDeps): Source[] {
  return config.rabbitmq.map((cfg) => new RabbitmqSource(cfg, deps, new ManagementClient({ url: cfg.url, user: cfg.user, password: cfg.password })));
}

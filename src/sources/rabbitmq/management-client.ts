import type { Secret } from '../../config/secret.js';
import type { TopologyBinding } from '../../core/rabbitmq/dead-letter-topology.js';
import { reasonOf, SourceError } from '../source-error.js';

/** The fields of `/api/queues` the source reads (asked for with `columns=`, measured on 3.10). */
export interface ApiQueue {
  readonly name: string;
  readonly vhost: string;
  readonly type?: string;
  readonly state?: string;
  readonly arguments?: Record<string, unknown>;
  readonly effective_policy_definition?: Record<string, unknown> | unknown[];
  /** Absent for a few seconds after the queue is declared (its first stats emission). */
  readonly messages_ready?: number;
  readonly messages_unacknowledged?: number;
  readonly consumers?: number;
  readonly consumer_utilisation?: number | null;
  /** Seconds since the epoch; null when the queue is empty or its head has no timestamp. */
  readonly head_message_timestamp?: number | null;
  readonly message_stats?: { publish?: number; deliver_get?: number; ack?: number; redeliver?: number };
}

const QUEUE_COLUMNS = [
  'name',
  'vhost',
  'type',
  'state',
  'arguments',
  'effective_policy_definition',
  'messages_ready',
  'messages_unacknowledged',
  'consumers',
  'consumer_utilisation',
  'head_message_timestamp',
  'message_stats.publish',
  'message_stats.deliver_get',
  'message_stats.ack',
  'message_stats.redeliver',
].join(',');

export interface ManagementClientOptions {
  /** Base URL of the management API, e.g. `http://rabbit:15672`. */
  readonly url: string;
  readonly user: string;
  readonly password: Secret;
}

/**
 * A read-only client of the RabbitMQ management HTTP API: it only issues GET requests (no
 * `POST /api/queues/.../get`, which takes messages off the queue and requeues them, redelivered
 * and possibly reordered). Errors are SourceErrors with a bounded reason and no secret.
 */
export class ManagementClient {
  readonly #base: string;
  readonly #auth: string;
  readonly #user: string;
  requests = 0;

  constructor(opts: ManagementClientOptions) {
    this.#base = opts.url.replace(/\/+$/, '');
    this.#user = opts.user;
    this.#auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password.reveal()}`).toString('base64');
  }

  /** Queues of one vhost, or of every vhost the user sees. */
  queues(vhost: string | undefined, signal: AbortSignal): Promise<ApiQueue[]> {
    const path = vhost === undefined ? '/api/queues' : `/api/queues/${encodeURIComponent(vhost)}`;
    return this.#get<ApiQueue[]>(`${path}?columns=${QUEUE_COLUMNS}`, signal);
  }

  /** Bindings of one vhost, or of every vhost. */
  bindings(vhost: string | undefined, signal: AbortSignal): Promise<TopologyBinding[]> {
    return this.#get<TopologyBinding[]>(vhost === undefined ? '/api/bindings' : `/api/bindings/${encodeURIComponent(vhost)}`, signal);
  }

  async #get<T>(path: string, signal: AbortSignal): Promise<T> {
    const where = `${this.#base}${path.replace(/\?.*$/, '')}`;
    this.requests++;
    let res: Response;
    try {
      res = await fetch(this.#base + path, { headers: { authorization: this.#auth, accept: 'application/json' }, signal });
    } catch (err) {
      // fetch wraps the socket error (ECONNREFUSED, ...) as `cause`.
      const cause = (err as { cause?: unknown }).cause ?? err;
      const reason = (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError' ? 'timeout' : reasonOf(cause);
      throw new SourceError(`GET ${where}: ${(cause as Error).message ?? String(cause)}`, { reason: reason === 'unknown' ? 'unreachable' : reason, cause: err });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new SourceError(`GET ${where}: HTTP ${res.status}: the management API rejected user ${JSON.stringify(this.#user)} (wrong password, or the user lacks the monitoring tag or vhost permission)`, {
        reason: 'auth',
        retriable: false,
      });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new SourceError(`GET ${where}: HTTP 404 (no such vhost, or not a RabbitMQ management API)`, { reason: 'config', retriable: false });
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => '')).slice(0, 200);
      throw new SourceError(`GET ${where}: HTTP ${res.status} ${body}`, { reason: 'protocol' });
    }
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw new SourceError(`GET ${where}: response is not JSON`, { reason: 'protocol', cause: err });
    }
  }
}

import type { Secret } from '../../config/secret.js';
import type { TopologyBinding } from '../../core/rabbitmq/dead-letter-topology.js';
import { reasonOf, SourceError } from '../source-error.js';
import { withTlsProblem } from '../tls-error.js';
import { httpGet, type HttpResponse } from './http-get.js';

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
  /** TLS of an https URL: the CA to trust (system CAs when absent). */
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized: boolean } | undefined;
  /** Queues per page of `/api/queues` (the API allows at most 500). */
  readonly pageSize?: number;
}

/** One page of a paginated listing (`?pagination=true`, measured on 3.10). */
interface ApiPage<T> {
  readonly items: T[];
  readonly page: number;
  readonly page_count: number;
}

/** RabbitMQ refuses `page_size` above 500 (rabbit_mgmt_util, HTTP 400). */
export const MAX_PAGE_SIZE = 500;

/**
 * A read-only client of the RabbitMQ management HTTP API: it only issues GET requests (no
 * `POST /api/queues/.../get`, which takes messages off the queue and requeues them, redelivered
 * and possibly reordered). Errors are SourceErrors with a bounded reason and no secret.
 */
export class ManagementClient {
  readonly #base: string;
  readonly #auth: string;
  readonly #user: string;
  readonly #pageSize: number;
  readonly #tls: ManagementClientOptions['tls'];
  requests = 0;

  constructor(opts: ManagementClientOptions) {
    this.#base = opts.url.replace(/\/+$/, '');
    this.#user = opts.user;
    this.#tls = opts.tls;
    this.#pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, opts.pageSize ?? MAX_PAGE_SIZE));
    this.#auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password.reveal()}`).toString('base64');
  }

  /**
   * Queues of one vhost, or of every vhost the user sees, page by page (`pagination=true`,
   * sorted by vhost and name) so that no single response carries every queue of a large broker.
   * Pages are separate requests: a queue created or deleted between two of them can shift the
   * pages by one (seen once twice, or missed for a cycle); duplicates are dropped here.
   */
  async queues(vhost: string | undefined, signal: AbortSignal): Promise<ApiQueue[]> {
    const path = vhost === undefined ? '/api/queues' : `/api/queues/${encodeURIComponent(vhost)}`;
    const out: ApiQueue[] = [];
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      let res: ApiPage<ApiQueue>;
      try {
        res = await this.#get<ApiPage<ApiQueue>>(`${path}?pagination=true&page=${page}&page_size=${this.#pageSize}&sort=name&columns=${QUEUE_COLUMNS}`, signal);
      } catch (err) {
        // Queues deleted since the first page: the last page is gone (HTTP 400 page_out_of_range, measured).
        if (page > 1 && err instanceof SourceError && err.message.includes('page_out_of_range')) return out;
        throw err;
      }
      if (!res || !Array.isArray(res.items) || typeof res.page_count !== 'number')
        throw new SourceError(`GET ${this.#base}${path}: not a paginated queue listing`, { reason: 'protocol' });
      for (const q of res.items) {
        const key = `${q.vhost}\u0000${q.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(q);
      }
      if (page >= res.page_count) return out;
    }
  }

  /** Bindings of one vhost, or of every vhost. */
  bindings(vhost: string | undefined, signal: AbortSignal): Promise<TopologyBinding[]> {
    return this.#get<TopologyBinding[]>(vhost === undefined ? '/api/bindings' : `/api/bindings/${encodeURIComponent(vhost)}`, signal);
  }

  async #get<T>(path: string, signal: AbortSignal): Promise<T> {
    const where = `${this.#base}${path.replace(/\?.*$/, '')}`;
    this.requests++;
    let res: HttpResponse;
    try {
      res = await httpGet(new URL(this.#base + path), { authorization: this.#auth, accept: 'application/json' }, this.#tls, signal);
    } catch (err) {
      const reason = (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError' ? 'timeout' : reasonOf(err);
      throw new SourceError(withTlsProblem(err, `GET ${where}: ${(err as Error).message ?? String(err)}`), {
        reason: reason === 'unknown' ? 'unreachable' : reason,
        cause: err,
      });
    }
    if (res.status === 401 || res.status === 403) {
      throw new SourceError(
        `GET ${where}: HTTP ${res.status}: the management API rejected user ${JSON.stringify(this.#user)} (wrong password, or the user lacks the monitoring tag or vhost permission)`,
        {
          reason: 'auth',
          retriable: false,
        },
      );
    }
    if (res.status === 404) {
      throw new SourceError(`GET ${where}: HTTP 404 (no such vhost, or not a RabbitMQ management API)`, { reason: 'config', retriable: false });
    }
    if (res.status < 200 || res.status > 299) {
      const body = res.body.slice(0, 200);
      throw new SourceError(`GET ${where}: HTTP ${res.status} ${body}`, { reason: 'protocol' });
    }
    try {
      return JSON.parse(res.body) as T;
    } catch (err) {
      throw new SourceError(`GET ${where}: response is not JSON`, { reason: 'protocol', cause: err });
    }
  }
}

import { createRequire } from 'node:module';

/**
 * Typed access to the kafkajs modules the collector uses below its public API: the public
 * admin cannot list offsets of many topics in one request, cannot read a record without
 * joining a group, and looks up the group coordinator again for every call. kafkajs 2.x has no
 * `exports` map, so its `src/` modules are importable; the version is pinned in package.json
 * and test/integration/kafka checks these paths against a real broker.
 */
const require = createRequire(import.meta.url);

export interface InternalBroker {
  nodeId: number;
  connectionPool: {
    host: string;
    port: number;
    rack: string | null;
    send(req: { request: unknown; response: unknown; requestTimeout?: number }): Promise<unknown>;
  };
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  listGroups(): Promise<{ groups: { groupId: string; protocolType: string }[] }>;
  describeGroups(args: {
    groupIds: string[];
  }): Promise<{ groups: { errorCode: number; groupId: string; state: string; protocolType: string; members: unknown[] }[] }>;
  offsetFetch(args: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode?: number }[] }[];
  }>;
  listOffsets(args: { isolationLevel: number; topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[] }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode?: number }[] }[];
  }>;
  fetch(args: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{
    responses: {
      topicName: string;
      partitions: { partition: number; errorCode: number; highWatermark: string; messages: { offset: string; timestamp: string }[] }[];
    }[];
  }>;
}

export interface InternalCluster {
  targetTopics: Set<string>;
  brokerPool: {
    metadata: { topicMetadata: { topic: string; partitionMetadata: { partitionId: number; leader: number }[] }[] } | null;
    brokers: Record<string, InternalBroker>;
    /** A broker with an open connection (the seed, or another when it is down). */
    findConnectedBroker(): Promise<InternalBroker>;
  };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: number | string }): Promise<InternalBroker>;
  findGroupCoordinator(args: { groupId: string }): Promise<InternalBroker>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
}

export interface ClusterOptions {
  logger: unknown;
  retry: unknown;
  offsets: Map<unknown, unknown>;
  socketFactory: unknown;
  brokers: string[];
  ssl?: unknown;
  sasl?: unknown;
  clientId: string;
  connectionTimeout: number;
  authenticationTimeout?: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  metadataMaxAge: number;
  instrumentationEmitter: unknown;
  allowAutoTopicCreation: boolean;
  maxInFlightRequests: number | null;
  isolationLevel: number;
}

/** The part of kafkajs's per-connection request queue that `stopIdleRequestLoop` changes. */
export interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  scheduleCheckPendingRequests(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueLike } & (new (opts: {
  maxInFlightRequests: number | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: unknown;
}) => RequestQueueLike);

let idleLoopStopped = false;

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer per broker connection forever once a connection has
 * answered, with nothing pending and no throttle (tulios/kafkajs#1556, #1704; fixes proposed in
 * #1667 and #1768, not released). Measured on the collector at 200 x 50 partitions, 500 groups,
 * one broker: ~4-5 % of a core between cycles (docs/performance.md). With nothing pending and
 * no throttle there is nothing to check: `push` schedules again when a request is queued, and a
 * response checks the queue itself. Idempotent; affects every kafkajs client of the process.
 */
export function stopIdleRequestLoop(): void {
  if (idleLoopStopped) return;
  idleLoopStopped = true;
  const original = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueLike): void {
    if (this.pending.length === 0 && this.throttleCheckTimeoutId === null && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
}

interface Encoder {
  writeBuffer(b: Buffer): Encoder;
}

/** A broker's ApiVersions answer as kafkajs keeps it: per API key, the versions it takes (null before the handshake). */
export type ApiVersionRanges = Record<number, { minVersion: number; maxVersion: number }> | null | undefined;

/** Whether a broker's ApiVersions range for `apiKey` includes `version` (false when the broker does not list the API). */
export function brokerSpeaks(versions: ApiVersionRanges, apiKey: number, version: number): boolean {
  const range = versions?.[apiKey];
  return range !== undefined && range.minVersion <= version && range.maxVersion >= version;
}

/**
 * One of the collector's own requests (encoded and decoded here, not by kafkajs): its API key,
 * version and name (the name is what kafkajs logs and instruments), the request body, and the
 * decoder of the answer's body (after the correlation id).
 */
export interface OwnRequest<T> {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly apiName: string;
  encode(): Buffer;
  decode(body: Buffer): T | Promise<T>;
}

/** The request/response pair in the shape kafkajs connections send (`encode`; then `decode`, `parse`). */
export function kafkajsRequest<T>(own: OwnRequest<T>): { request: unknown; response: unknown } {
  return {
    request: {
      apiKey: own.apiKey,
      apiVersion: own.apiVersion,
      apiName: own.apiName,
      encode: async () => new internals.Encoder().writeBuffer(own.encode()),
    },
    response: {
      decode: async (body: Buffer) => own.decode(body),
      parse: async (data: T) => data,
    },
  };
}

/**
 * Sends an own request on the broker's kafkajs connection (its queue, timeout, SASL and TLS; its
 * `network.request` event counts it like every request) and resolves to the decoded answer.
 * kafkajs passes errors through as thrown: its own (timeout, connection) and the decoders' typed
 * errors with what and where they failed.
 */
export async function sendOwn<T>(broker: Pick<InternalBroker, 'connectionPool'>, own: OwnRequest<T>): Promise<T> {
  return (await broker.connectionPool.send(kafkajsRequest(own))) as T;
}

export const internals = {
  RequestQueue,
  Cluster: require('kafkajs/src/cluster/index.js') as new (opts: ClusterOptions) => InternalCluster,
  createLogger: (require('kafkajs/src/loggers/index.js') as { createLogger(o: { level: number; logCreator: unknown }): unknown }).createLogger,
  InstrumentationEventEmitter: require('kafkajs/src/instrumentation/emitter.js') as new () => {
    addListener(event: string, fn: (e: { payload: { apiName: string } }) => void): () => void;
  },
  defaultSocketFactory: require('kafkajs/src/network/socketFactory.js') as () => unknown,
  Encoder: require('kafkajs/src/protocol/encoder.js') as new () => Encoder,
  /** kafkajs's protocol error for a Kafka error code (`type` is the code's name). */
  createErrorFromCode: (require('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): Error & { type?: string; code?: number } })
    .createErrorFromCode,
  /** The `network.request` instrumentation event, emitted once per request sent. */
  NETWORK_REQUEST: (require('kafkajs/src/network/instrumentationEvents.js') as { NETWORK_REQUEST: string }).NETWORK_REQUEST,
};

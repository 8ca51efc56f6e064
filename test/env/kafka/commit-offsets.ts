import { logLevel } from 'kafkajs';
import { internals, type InternalBroker } from '../../../src/sources/kafka/kafkajs-internals.js';

/**
 * Commits offsets for a group without joining it: one OffsetCommit with generation -1 and no
 * member id, which the coordinator accepts for a group without live members (what
 * `kafka-consumer-groups --reset-offsets` does). kafkajs's `admin.setOffsets` instead joins the
 * group with a consumer and takes seconds per call, too slow for tests that set up hundreds.
 */
export class OffsetCommitter {
  readonly #cluster;
  readonly #coordinators = new Map<string, InternalBroker>();

  constructor(brokers: string[]) {
    this.#cluster = new internals.Cluster({
      logger: internals.createLogger({ level: logLevel.NOTHING, logCreator: () => () => undefined }),
      retry: { retries: 5 },
      offsets: new Map(),
      socketFactory: internals.defaultSocketFactory(),
      brokers,
      clientId: 'test-offset-committer',
      connectionTimeout: 3000,
      requestTimeout: 30_000,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      instrumentationEmitter: null,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      isolationLevel: 0,
    });
  }

  async commit(groupId: string, topic: string, offsets: { partition: number; offset: number }[]): Promise<void> {
    // A fresh broker answers GROUP_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE for a while.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#commitOnce(groupId, topic, offsets);
      } catch (err) {
        this.#coordinators.delete(groupId);
        if (!(err as { retriable?: boolean }).retriable || attempt >= 100) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async #commitOnce(groupId: string, topic: string, offsets: { partition: number; offset: number }[]): Promise<void> {
    if (!this.#cluster.isConnected()) await this.#cluster.connect();
    let coordinator = this.#coordinators.get(groupId);
    if (!coordinator) {
      coordinator = await this.#cluster.findGroupCoordinator({ groupId });
      this.#coordinators.set(groupId, coordinator);
    }
    await (coordinator as InternalBroker & { offsetCommit(a: unknown): Promise<unknown> }).offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      retentionTime: -1,
      topics: [{ topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) }],
    });
  }

  async close(): Promise<void> {
    await this.#cluster.disconnect();
  }
}

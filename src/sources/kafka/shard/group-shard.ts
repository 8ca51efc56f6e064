/**
 * What the cluster source asks of sharding (src/sources/kafka/shard/member.ts implements it with
 * a Kafka consumer group; tests may implement it with a fixed assignment).
 */
export interface GroupShard {
  /**
   * Called at the start of each cycle with the listed consumer groups; counts what is owned
   * (`cqrs_kafka_shard_owned_groups`) and returns the live view the cycle filters with.
   */
  select(listed: readonly string[]): ShardSelection;
  /**
   * `listener` runs when this replica may have lost groups (a rebalance began, the consumer
   * crashed or stopped, the lease ran out): the series it published for them must go now.
   */
  onLoss(listener: () => void): void;
  /** Leaves the coordination group (the others take over at once) and disconnects. */
  close(): Promise<void>;
}

/** Ownership as of the moment each method is called (a cycle checks again before publishing). */
export interface ShardSelection {
  /** Whether this replica owns the group: evaluates and publishes its series. */
  owns(groupId: string): boolean;
  /** Whether this replica publishes the topic-level series (watermarks, produced counters). */
  topics(): boolean;
}

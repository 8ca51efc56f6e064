/**
 * Kafka error codes the collector decides on (the protocol's numbers, kafkajs's names), so that
 * no decision depends on the text of a message.
 * https://kafka.apache.org/protocol#protocol_error_codes
 */
export const UNKNOWN_TOPIC_OR_PARTITION = { code: 3, type: 'UNKNOWN_TOPIC_OR_PARTITION' } as const;
export const UNKNOWN_TOPIC_ID = { code: 100, type: 'UNKNOWN_TOPIC_ID' } as const;

const MISSING_TOPIC_TYPES: ReadonlySet<unknown> = new Set([UNKNOWN_TOPIC_OR_PARTITION.type, UNKNOWN_TOPIC_ID.type]);

/** An error that says the topic does not exist (its `type`, or that of an error in its `cause` chain). */
export function isMissingTopic(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (MISSING_TOPIC_TYPES.has((e as { type?: unknown }).type)) return true;
  }
  return false;
}

/** The error a client reports for a topic absent from the cluster's metadata. */
export function missingTopicError(topic: string): Error {
  return Object.assign(new Error(`topic ${topic} does not exist`), UNKNOWN_TOPIC_OR_PARTITION);
}

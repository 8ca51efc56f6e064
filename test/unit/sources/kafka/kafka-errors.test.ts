import { describe, expect, it } from 'vitest';
import { isMissingTopic, missingTopicError } from '../../../../src/sources/kafka/kafka-errors.js';

describe('isMissingTopic', () => {
  it('decides by the Kafka error type, on the error or in its cause chain, never by the message', () => {
    expect(isMissingTopic(missingTopicError('orders'))).toBe(true);
    expect(isMissingTopic(Object.assign(new Error('x'), { type: 'UNKNOWN_TOPIC_ID', code: 100 }))).toBe(true);
    expect(isMissingTopic(new Error('ListOffsets failed', { cause: Object.assign(new Error('y'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' }) }))).toBe(true);
    expect(isMissingTopic(new Error('topic orders does not exist'))).toBe(false);
    expect(isMissingTopic(Object.assign(new Error('timeout'), { type: 'REQUEST_TIMED_OUT', code: 7 }))).toBe(false);
    expect(isMissingTopic(undefined)).toBe(false);
  });
});

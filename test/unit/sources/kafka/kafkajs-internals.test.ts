import { describe, expect, it } from 'vitest';
import { internals, stopIdleRequestLoop } from '../../../../src/sources/kafka/kafkajs-internals.js';

const queue = () =>
  new internals.RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 't',
    broker: 'b:9092',
    logger: { debug() {}, warn() {}, info() {}, error() {} },
  });

describe('stopIdleRequestLoop (kafkajs 2.2.4 request queue)', () => {
  it('arms no timer with nothing pending and no throttle; still does with a request pending or a throttle', () => {
    // kafkajs as released arms a timer here although nothing is pending (the 1 ms loop).
    stopIdleRequestLoop();
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
    const pending = queue();
    pending.pending.push({});
    pending.scheduleCheckPendingRequests();
    expect(pending.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(pending.throttleCheckTimeoutId!);
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId!);
  });
});

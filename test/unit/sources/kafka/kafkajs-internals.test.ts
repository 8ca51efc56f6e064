import { describe, expect, it } from 'vitest';
import { brokerSpeaks, internals, kafkajsRequest, stopIdleRequestLoop } from '../../../../src/sources/kafka/kafkajs-internals.js';
import { TruncatedResponseError } from '../../../../src/sources/kafka/response-reader.js';

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

describe('brokerSpeaks (a broker ApiVersions range check)', () => {
  it('is true only when the range of that API key includes the version', () => {
    const versions = { 3: { minVersion: 0, maxVersion: 12 }, 10: { minVersion: 1, maxVersion: 3 } };
    expect(brokerSpeaks(versions, 3, 6)).toBe(true);
    expect(brokerSpeaks(versions, 3, 0)).toBe(true);
    expect(brokerSpeaks(versions, 3, 12)).toBe(true);
    expect(brokerSpeaks(versions, 3, 13)).toBe(false);
    expect(brokerSpeaks(versions, 10, 0)).toBe(false);
    expect(brokerSpeaks(versions, 10, 4)).toBe(false);
    expect(brokerSpeaks(versions, 69, 0)).toBe(false);
    expect(brokerSpeaks(null, 3, 6)).toBe(false);
    expect(brokerSpeaks(undefined, 3, 6)).toBe(false);
  });
});

describe('kafkajsRequest (an own request in the shape kafkajs connections send)', () => {
  const own = (decode: (b: Buffer) => number) => ({ apiKey: 9, apiVersion: 8, apiName: 'OffsetFetch', encode: () => Buffer.from([1, 2, 3]), decode });
  type Pair = {
    request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<{ buffer: Buffer }> };
    response: { decode(b: Buffer): Promise<unknown>; parse(d: unknown): Promise<unknown> };
  };

  it('carries the key, version and name, encodes the body into a kafkajs Encoder, and parses to what the decoder made', async () => {
    const { request, response } = kafkajsRequest(own((b) => b.readInt32BE(0))) as Pair;
    expect([request.apiKey, request.apiVersion, request.apiName]).toEqual([9, 8, 'OffsetFetch']);
    const encoded = await request.encode();
    expect(encoded).toBeInstanceOf(internals.Encoder);
    expect(encoded.buffer).toEqual(Buffer.from([1, 2, 3]));
    // 0x0000012c = 300
    expect(await response.parse(await response.decode(Buffer.from([0, 0, 1, 44])))).toBe(300);
  });

  it("passes the decoder's typed error through unchanged", async () => {
    const err = new TruncatedResponseError('OffsetFetch v8', 4, 2);
    const { response } = kafkajsRequest(
      own(() => {
        throw err;
      }),
    ) as Pair;
    await expect(response.decode(Buffer.alloc(2))).rejects.toBe(err);
  });
});

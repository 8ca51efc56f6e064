import { describe, expect, it } from 'vitest';
import { decodeConsumerGroupDescribe, encodeConsumerGroupDescribe } from '../../../../src/sources/kafka/consumer-group-describe.js';

/** Builds a v0 response body by hand, field by field, as the Kafka protocol spec lists them. */
function response(): Buffer {
  const s = (v: string) => Buffer.concat([Buffer.from([Buffer.byteLength(v) + 1]), Buffer.from(v)]);
  const i32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const assignment = Buffer.concat([
    Buffer.from([2]), // one topic partition entry
    Buffer.alloc(16, 7), // topic id
    s('orders'),
    Buffer.from([3]), // two partitions
    i32(0),
    i32(1),
    Buffer.from([0]), // tagged
    Buffer.from([0]), // tagged (assignment)
  ]);
  const member = Buffer.concat([
    s('m-1'),
    Buffer.from([0]), // instance id null
    Buffer.from([0]), // rack null
    i32(5),
    s('client'),
    s('/127.0.0.1'),
    Buffer.concat([Buffer.from([2]), s('orders')]),
    Buffer.from([0]), // regex null
    assignment,
    assignment,
    Buffer.from([0]),
  ]);
  const group = Buffer.concat([
    Buffer.from([0, 0]), // error code
    Buffer.from([0]), // error message null
    s('billing'),
    s('Stable'),
    i32(3),
    i32(3),
    s('uniform'),
    Buffer.from([3]), // two members
    member,
    member,
    i32(-2147483648),
    Buffer.from([0]),
  ]);
  return Buffer.concat([Buffer.from([0]) /* header tags */, i32(0), Buffer.from([2]), group, Buffer.from([0])]);
}

describe('ConsumerGroupDescribe v0', () => {
  it('encodes group ids as a compact array after the header tag byte', () => {
    expect([...encodeConsumerGroupDescribe(['ab', 'c'])]).toEqual([0, 3, 3, 97, 98, 2, 99, 0, 0]);
  });
  it('decodes state and member count, skipping assignments', () => {
    expect(decodeConsumerGroupDescribe(response())).toEqual([{ groupId: 'billing', errorCode: 0, errorMessage: null, state: 'Stable', members: 2 }]);
  });
});

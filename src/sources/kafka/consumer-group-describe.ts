import { FlexReader as Reader, uvarint } from './flexible-codec.js';
import type { OwnRequest } from './kafkajs-internals.js';

/**
 * ConsumerGroupDescribe (API key 69, KIP-848), which kafkajs 2.x does not implement: the classic
 * DescribeGroups answers `Dead` with no members for a group on the new `consumer` protocol, so
 * without this request such a group would look empty and be reported STOPPED. Version 0 only;
 * a flexible-version request (compact strings, tagged fields).
 */
export const CONSUMER_GROUP_DESCRIBE_KEY = 69;

export interface ConsumerGroupDescription {
  readonly groupId: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** `Empty`, `Assigning`, `Reconciling`, `Stable`, `Dead`, `NotReady`. */
  readonly state: string;
  readonly members: number;
}

/** Encodes the request body. The leading 0 completes the v2 request header (empty tagged fields after the client id), which kafkajs's header writer does not emit. */
export function encodeConsumerGroupDescribe(groupIds: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), uvarint(groupIds.length + 1)];
  for (const g of groupIds) {
    const b = Buffer.from(g, 'utf8');
    parts.push(uvarint(b.length + 1), b);
  }
  parts.push(Buffer.from([0]) /* include_authorized_operations=false */, Buffer.from([0]) /* tagged fields */);
  return Buffer.concat(parts);
}

function skipAssignment(r: Reader): void {
  r.compactArray(() => {
    r.skip(16); // topic id (uuid)
    r.compactString();
    r.compactArray(() => r.int32());
    r.taggedFields();
  });
  r.taggedFields();
}

/** Decodes a v0 response body (after the correlation id). */
export function decodeConsumerGroupDescribe(buf: Buffer): ConsumerGroupDescription[] {
  const r = new Reader(buf);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const groups = r.compactArray(() => {
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    const groupId = r.compactString() ?? '';
    const state = r.compactString() ?? '';
    r.int32(); // group epoch
    r.int32(); // assignment epoch
    r.compactString(); // assignor
    const members = r.compactArray(() => {
      r.compactString(); // member id
      r.compactString(); // instance id
      r.compactString(); // rack id
      r.int32(); // member epoch
      r.compactString(); // client id
      r.compactString(); // client host
      r.compactArray(() => r.compactString()); // subscribed topic names
      r.compactString(); // subscribed topic regex
      skipAssignment(r);
      skipAssignment(r);
      r.taggedFields();
      return 1;
    }).length;
    r.int32(); // authorized operations
    r.taggedFields();
    return { groupId, errorCode, errorMessage, state, members };
  });
  r.taggedFields();
  return groups;
}

export const CONSUMER_GROUP_DESCRIBE_VERSION = 0;

/** The request, for `sendOwn`. */
export function consumerGroupDescribeRequest(groupIds: readonly string[]): OwnRequest<ConsumerGroupDescription[]> {
  return {
    apiKey: CONSUMER_GROUP_DESCRIBE_KEY,
    apiVersion: CONSUMER_GROUP_DESCRIBE_VERSION,
    apiName: 'ConsumerGroupDescribe',
    encode: () => encodeConsumerGroupDescribe(groupIds),
    decode: decodeConsumerGroupDescribe,
  };
}

import { describe, expect, it } from 'vitest';
import { decodeFindCoordinator, encodeFindCoordinator, supportsBatchedFindCoordinator } from '../../../../src/sources/kafka/find-coordinator.js';

const s = (v: string) => Buffer.concat([Buffer.from([Buffer.byteLength(v) + 1]), Buffer.from(v)]);
const i16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const T = Buffer.from([0]); // empty tagged fields
const NULL = Buffer.from([0]); // null compact string

describe('FindCoordinator v4', () => {
  it('encodes the key type (0, groups) and every group as a compact string, after the header tag byte', () => {
    expect([...encodeFindCoordinator(['a', 'bc'])]).toEqual([
      0, // request header v2 tagged fields
      0, // key type: group
      3, // two keys
      2,
      0x61, // "a"
      3,
      0x62,
      0x63, // "bc"
      0, // tagged fields
    ]);
  });

  it('encodes a group name of 127 bytes and more with a two-byte length', () => {
    const b = encodeFindCoordinator(['x'.repeat(200)]);
    // 201 = 0xc9: low 7 bits 0x49 with the continuation bit, then 1.
    expect([...b.subarray(0, 5)]).toEqual([0, 0, 2, 0xc9, 1]);
    expect(b.length).toBe(3 + 2 + 200 + 1);
  });

  it('decodes node ids per key, and per-key errors with their message', () => {
    const body = Buffer.concat([
      T, // response header v1
      i32(0), // throttle
      Buffer.from([4]), // three coordinators
      s('billing'),
      i32(2),
      s('broker-2'),
      i32(9092),
      i16(0),
      NULL,
      T,
      s('orders'),
      i32(-1),
      s(''),
      i32(-1),
      i16(14), // COORDINATOR_LOAD_IN_PROGRESS
      s('loading'),
      T,
      s('é'), // multi-byte key: length counts bytes
      i32(3),
      s('h'),
      i32(1),
      i16(0),
      NULL,
      T,
      T,
    ]);
    expect(decodeFindCoordinator(body)).toEqual([
      { key: 'billing', errorCode: 0, nodeId: 2 },
      { key: 'orders', errorCode: 14, errorMessage: 'loading' },
      { key: 'é', errorCode: 0, nodeId: 3 },
    ]);
  });

  it('skips tagged fields it does not know', () => {
    const body = Buffer.concat([
      Buffer.from([1, 5, 2, 0xaa, 0xbb]), // header: one tagged field (tag 5, 2 bytes)
      i32(10),
      Buffer.from([2]),
      s('g'),
      i32(1),
      s('h'),
      i32(1),
      i16(0),
      NULL,
      Buffer.from([1, 0, 1, 0xcc]), // one tagged field in the entry
      T,
    ]);
    expect(decodeFindCoordinator(body)).toEqual([{ key: 'g', errorCode: 0, nodeId: 1 }]);
  });

  it('is used only where the broker takes v4 (Kafka 3.0+)', () => {
    expect(supportsBatchedFindCoordinator({ 10: { minVersion: 0, maxVersion: 4 } })).toBe(true);
    expect(supportsBatchedFindCoordinator({ 10: { minVersion: 0, maxVersion: 6 } })).toBe(true);
    expect(supportsBatchedFindCoordinator({ 10: { minVersion: 0, maxVersion: 3 } })).toBe(false);
    expect(supportsBatchedFindCoordinator({ 9: { minVersion: 0, maxVersion: 9 } })).toBe(false);
    expect(supportsBatchedFindCoordinator(null)).toBe(false);
  });
});

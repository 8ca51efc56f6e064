import { describe, expect, it } from 'vitest';
import { fnv1a32, shardOf } from '../../../../../src/sources/kafka/shard/fnv1a.js';
import {
  assignedAt,
  INITIAL_SHARD_STATE,
  lostPartitions,
  ownsGroup,
  publishesTopics,
  stepShard,
  type ShardEvent,
  type ShardState,
} from '../../../../../src/sources/kafka/shard/ownership.js';
import { EXPOSITION_CACHE_MS, shardSettings } from '../../../../../src/sources/kafka/shard/settings.js';
import { METRICS_CACHE_MS } from '../../../../../src/server/server.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit vectors', () => {
    // From the FNV reference test suite (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes (é is two bytes)', () => {
    // Computed byte by byte with BigInt arithmetic: 63 61 66 c3 a9.
    expect(fnv1a32('café')).toBe(0xa82b5049);
  });

  it('maps a group to hash mod partitions', () => {
    expect(shardOf('foobar', 60)).toBe(0xbf9cf968 % 60);
    expect(0xbf9cf968 % 60).toBe(40); // 3 214 735 720 = 60 × 53 578 928 + 40
    expect(shardOf('anything', 1)).toBe(0);
    expect(() => shardOf('g', 0)).toThrow(RangeError);
  });

  it('spreads 3000 group names over 60 partitions without an empty or a crowded one', () => {
    const counts = new Array<number>(60).fill(0);
    for (let i = 0; i < 3000; i++) counts[shardOf(`orders-projector-${i}`, 60)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(25); // mean 50
    expect(Math.max(...counts)).toBeLessThan(75);
  });
});

const SESSION = 10_000;
const run = (events: ShardEvent[], from: ShardState = INITIAL_SHARD_STATE): ShardState => events.reduce((s, e) => stepShard(s, e, SESSION), from);

describe('shard ownership bookkeeping', () => {
  it('owns nothing before joining, nor before the partition count is known', () => {
    expect(assignedAt(INITIAL_SHARD_STATE, 0).size).toBe(0);
    const joinedBlind = run([{ kind: 'joined', partitions: [0, 1], at: 1000 }]);
    expect(assignedAt(joinedBlind, 1000).size).toBe(0);
    expect(ownsGroup(joinedBlind, 'foobar', 1000)).toBe(false);
  });

  it('owns the groups hashing to its partitions after a join', () => {
    const s = run([
      { kind: 'partitions', count: 60 },
      { kind: 'joined', partitions: [40], at: 1000 },
    ]);
    expect([...assignedAt(s, 1000)]).toEqual([40]);
    expect(ownsGroup(s, 'foobar', 1000)).toBe(true); // 0xbf9cf968 % 60 = 40
    expect(ownsGroup(s, 'a', 1000)).toBe(true); // 0xe40c292c % 60 = 40 too
    expect(ownsGroup(s, 'b', 1000)).toBe(false); // 0xe70c2de5 % 60 = 37
    expect(publishesTopics(s, 1000)).toBe(false);
    expect(publishesTopics(run([{ kind: 'joined', partitions: [0, 7], at: 1000 }], s), 1000)).toBe(true);
  });

  it('ends ownership one session timeout after the last join or heartbeat', () => {
    const s = run([
      { kind: 'partitions', count: 4 },
      { kind: 'joined', partitions: [0, 1], at: 1000 },
    ]);
    expect(assignedAt(s, 10_999).size).toBe(2);
    expect(assignedAt(s, 11_000).size).toBe(0); // 1000 + 10 000
    const renewed = run([{ kind: 'heartbeat', at: 4000 }], s);
    expect(assignedAt(renewed, 13_999).size).toBe(2);
    expect(assignedAt(renewed, 14_000).size).toBe(0);
    // A late-reported older heartbeat never shortens the lease.
    expect(run([{ kind: 'heartbeat', at: 2000 }], renewed).leaseUntil).toBe(14_000);
  });

  it('a rebalance revokes everything until the next join; heartbeats in between restore nothing', () => {
    const s = run([{ kind: 'partitions', count: 4 }, { kind: 'joined', partitions: [0, 1], at: 1000 }, { kind: 'revoked' }]);
    expect(assignedAt(s, 1500).size).toBe(0);
    expect(assignedAt(run([{ kind: 'heartbeat', at: 1600 }], s), 1600).size).toBe(0);
    const rejoined = run([{ kind: 'joined', partitions: [1, 2, 3], at: 2000 }], s);
    expect([...assignedAt(rejoined, 2000)].sort()).toEqual([1, 2, 3]);
    expect(rejoined.leaseUntil).toBe(12_000);
  });

  it('claims nothing until the claim delay after a join has passed', () => {
    const s = [{ kind: 'partitions', count: 4 } as const, { kind: 'joined', partitions: [2], at: 1000 } as const].reduce(
      (x, e) => stepShard(x, e, SESSION, 1250),
      INITIAL_SHARD_STATE,
    );
    expect(assignedAt(s, 2249).size).toBe(0);
    expect([...assignedAt(s, 2250)]).toEqual([2]);
    expect(s.leaseUntil).toBe(11_000);
  });

  it('the claim delay covers the /metrics rendering cache', () => {
    expect(EXPOSITION_CACHE_MS).toBe(METRICS_CACHE_MS);
  });

  it('names the partitions lost between two assignments', () => {
    expect(lostPartitions(new Set([0, 1, 5]), new Set([1, 2]))).toEqual([0, 5]);
    expect(lostPartitions(new Set([3]), new Set([3, 4]))).toEqual([]);
    expect(lostPartitions(new Set(), new Set([1]))).toEqual([]);
  });

  it('three replicas with disjoint assignments own each group exactly once; the survivors of a kill own all of them', () => {
    const base = run([{ kind: 'partitions', count: 6 }]);
    const groups = Array.from({ length: 40 }, (_, i) => `g-${i}`);
    const replicas = [
      [0, 3],
      [1, 4],
      [2, 5],
    ].map((p) => run([{ kind: 'joined', partitions: p, at: 0 }], base));
    for (const g of groups) expect(replicas.filter((r) => ownsGroup(r, g, 1)).length).toBe(1);
    expect(replicas.filter((r) => publishesTopics(r, 1)).length).toBe(1);
    // Replica 2 is gone: the rebalance deals its partitions out to the other two.
    const survivors = [
      [0, 2, 4],
      [1, 3, 5],
    ].map((p) => run([{ kind: 'revoked' }, { kind: 'joined', partitions: p, at: 5000 }], base));
    for (const g of groups) expect(survivors.filter((r) => ownsGroup(r, g, 5001)).length).toBe(1);
  });
});

describe('shardSettings', () => {
  it('fills in the defaults from the cluster name; characters a topic cannot hold become _', () => {
    expect(shardSettings({ name: 'eu:main' }, { enabled: true, partitions: 60, sessionTimeout: 10 })).toEqual({
      group: 'cqrs-slo.eu:main',
      topic: '__cqrs_slo_shards.eu_main',
      partitions: 60,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 3333,
      claimDelayMs: 1000 + 1667,
    });
    expect(shardSettings({ name: 'm' }, { enabled: true, partitions: 6, sessionTimeout: 0.2, coordinationGroup: 'g', coordinationTopic: 't' })).toMatchObject({
      group: 'g',
      topic: 't',
      heartbeatIntervalMs: 100,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { streamSchema } from '../../../../src/config/schema/streams.js';
import { tailGroupId } from '../../../../src/sources/stream/stream-source.js';

describe('stream config', () => {
  it('defaults: start from end, own group per stream, 1M ids / 1 h window', () => {
    const s = streamSchema.parse({ name: 'orders', cluster: 'main', topics: ['orders'], eventId: { header: 'id' } });
    expect(s).toMatchObject({ startFrom: 'end', dedupe: { maxIds: 1_000_000, window: 3600 }, maxAggregates: 100_000 });
    expect(tailGroupId(s)).toBe('cqrs-slo-tail.orders');
    expect(tailGroupId({ ...s, groupId: 'mine' })).toBe('mine');
  });
  it('accepts a start time with a zone and rejects one without', () => {
    const base = { name: 'o', cluster: 'main', topics: ['o'], eventId: { key: true } };
    expect(streamSchema.parse({ ...base, startFrom: '2024-05-01T00:00:00Z' }).startFrom).toBe('2024-05-01T00:00:00Z');
    expect(streamSchema.safeParse({ ...base, startFrom: '2024-05-01T00:00:00' }).success).toBe(false);
    expect(streamSchema.safeParse({ ...base, eventId: { jsonPath: 'id' } }).success).toBe(false);
  });
});

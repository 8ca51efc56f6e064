import { describe, expect, it } from 'vitest';
import { createEventParser } from '../../../../src/core/events/event-parser.js';
import { compileJsonPath, readJsonPath } from '../../../../src/core/events/field-ref.js';
import { parseTimestamp } from '../../../../src/core/events/timestamp.js';
import type { RawRecord } from '../../../../src/core/events/field-ref.js';

const rec = (value: string | null, extra: Partial<RawRecord> = {}): RawRecord => ({
  key: null,
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: 1_700_000_000_000,
  ...extra,
});

describe('JSON paths', () => {
  it('compiles properties and indexes', () => {
    expect(compileJsonPath('$.meta.ids[1].x')).toEqual(['meta', 'ids', 1, 'x']);
    expect(compileJsonPath('$')).toEqual([]);
    expect(readJsonPath({ meta: { ids: [{ x: 1 }, { x: 2 }] } }, compileJsonPath('$.meta.ids[1].x'))).toBe(2);
    expect(readJsonPath({ a: 'text' }, compileJsonPath('$.a.b'))).toBeUndefined();
    expect(() => compileJsonPath('$..a')).toThrow(/unsupported JSON path/);
  });
});

describe('parseTimestamp', () => {
  it('reads ISO strings with a zone, epoch ms and epoch s', () => {
    expect(parseTimestamp('2024-05-01T10:00:00Z')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(parseTimestamp('2024-05-01T12:00:00.250+02:00')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 250));
    // Java Instant with nanoseconds
    expect(parseTimestamp('2024-05-01T10:00:00.123456789Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(parseTimestamp(1_714_557_600_000)).toBe(1_714_557_600_000);
    expect(parseTimestamp(1_714_557_600)).toBe(1_714_557_600_000);
    expect(parseTimestamp(1_714_557_600.5)).toBe(1_714_557_600_500);
    expect(parseTimestamp('1714557600')).toBe(1_714_557_600_000);
  });
  it('rejects text without a zone, garbage and non-positive numbers', () => {
    expect(parseTimestamp('2024-05-01T10:00:00')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp(0)).toBeUndefined();
    expect(parseTimestamp(true)).toBeUndefined();
  });
});

describe('createEventParser', () => {
  const json = createEventParser({
    eventId: { jsonPath: '$.id' },
    aggregateId: { jsonPath: '$.aggregateId' },
    version: { jsonPath: '$.version' },
    occurredAt: { jsonPath: '$.occurredAt' },
    maxMessageBytes: 80,
  });

  it('extracts every field from JSON', () => {
    expect(json(rec('{"id":"e1","aggregateId":"o1","version":3,"occurredAt":1714557600}'))).toEqual({
      ok: true,
      id: 'e1',
      aggregateId: 'o1',
      version: 3,
      occurredAt: 1_714_557_600_000,
    });
    expect(json(rec('{"id":7}'))).toEqual({ ok: true, id: '7' });
  });

  it('names the reason of each bad record', () => {
    expect(json(rec(null))).toEqual({ ok: false, reason: 'tombstone' });
    expect(json(rec(`{"id":"${'x'.repeat(90)}"}`))).toEqual({ ok: false, reason: 'oversize' });
    expect(json(rec('not json'))).toEqual({ ok: false, reason: 'non_json' });
    expect(json(rec('{"other":1}'))).toEqual({ ok: false, reason: 'missing_id' });
    expect(json(rec('{"id":""}'))).toEqual({ ok: false, reason: 'missing_id' });
    expect(json(rec('{"id":{"a":1}}'))).toEqual({ ok: false, reason: 'wrong_type' });
    expect(json(rec('{"id":"e","version":"x"}'))).toEqual({ ok: false, reason: 'wrong_type' });
    expect(json(rec('{"id":"e","version":1.5}'))).toEqual({ ok: false, reason: 'wrong_type' });
    expect(json(rec('{"id":"e","occurredAt":"soon"}'))).toEqual({ ok: false, reason: 'wrong_type' });
    expect(json(rec('{"id":"e","aggregateId":[1]}'))).toEqual({ ok: false, reason: 'wrong_type' });
  });

  it('reads headers and the key without parsing the payload', () => {
    const p = createEventParser({ eventId: { header: 'id' }, aggregateId: { key: true }, version: { header: 'v' }, maxMessageBytes: 1024 });
    expect(p(rec('\u0000binary', { key: Buffer.from('order-9'), headers: { id: Buffer.from('e-1'), v: '12' } }))).toEqual({
      ok: true,
      id: 'e-1',
      aggregateId: 'order-9',
      version: 12,
    });
    expect(p(rec('x', { headers: { id: [Buffer.from('first'), Buffer.from('second')] } }))).toMatchObject({ id: 'first' });
    expect(p(rec('x', { headers: {} }))).toEqual({ ok: false, reason: 'missing_id' });
  });
});

describe('parseTimestamp fast path', () => {
  it('agrees with Date.parse on UTC ISO strings of every fraction length', () => {
    for (const s of ['2024-02-29T23:59:59Z', '2024-05-01T10:00:00.1Z', '2024-05-01T10:00:00.12Z', '2024-05-01T10:00:00.123Z', '1999-12-31T00:00:00.000001Z']) {
      expect(parseTimestamp(s), s).toBe(Date.parse(s.replace(/(\.\d{3})\d+/, '$1')));
    }
    expect(parseTimestamp('2024-13-01T00:00:00Z')).toBeUndefined();
  });
});

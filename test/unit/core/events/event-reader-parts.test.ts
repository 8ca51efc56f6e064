import { describe, expect, it } from 'vitest';
import {
  copyParsed,
  type EventFields,
  FROM_HEADER,
  FROM_JSON,
  FROM_KEY,
  fieldSources,
  firstHeader,
  isCanonicalInteger,
  NOT_A_TIMESTAMP,
  timestampFromNumber,
  timestampFromText,
} from '../../../../src/core/events/event-reader.js';
import { hash64 } from '../../../../src/core/events/hash64.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const whole = (f: (buf: Uint8Array, start: number, end: number) => number, s: string) => f(b(s), 0, s.length);

describe('fieldSources', () => {
  it('gives JSON fields scanner slots in field order and fingerprints only the id and the aggregate id', () => {
    const s = fieldSources({
      eventId: { jsonPath: '$.id' },
      aggregateId: { key: true },
      version: { header: 'v' },
      occurredAt: { jsonPath: '$.meta.at' },
      maxMessageBytes: 100,
    });
    expect(s.eventId).toEqual({ from: FROM_JSON, slot: 0, header: '' });
    expect(s.aggregateId).toEqual({ from: FROM_KEY, slot: -1, header: '' });
    expect(s.version).toEqual({ from: FROM_HEADER, slot: -1, header: 'v' });
    expect(s.occurredAt).toEqual({ from: FROM_JSON, slot: 1, header: '' });
    expect(s.paths).toHaveLength(2);
    expect(s.fingerprinted).toEqual([true, false]);
  });

  it('leaves fields not configured undefined, and has no path when nothing is in the JSON', () => {
    const s = fieldSources({ eventId: { header: 'id' }, aggregateId: { jsonPath: '$.agg' }, maxMessageBytes: 100 });
    expect(s.eventId).toEqual({ from: FROM_HEADER, slot: -1, header: 'id' });
    expect(s.aggregateId).toEqual({ from: FROM_JSON, slot: 0, header: '' });
    expect(s.version).toBeUndefined();
    expect(s.occurredAt).toBeUndefined();
    expect(s.fingerprinted).toEqual([true]);
    expect(fieldSources({ eventId: { key: true }, maxMessageBytes: 100 }).paths).toEqual([]);
  });
});

describe('timestampFromText', () => {
  it('reads `...Z` ISO times and epoch digits (seconds below 1e11, else milliseconds)', () => {
    expect(whole(timestampFromText, '2024-05-01T10:00:00.250Z')).toBe(1_714_557_600_250);
    expect(whole(timestampFromText, '2024-05-01T10:00:00Z')).toBe(1_714_557_600_000);
    expect(whole(timestampFromText, '1714557600')).toBe(1_714_557_600_000);
    expect(whole(timestampFromText, '1714557600250')).toBe(1_714_557_600_250);
    // inside a larger buffer, by its byte range
    expect(timestampFromText(b('"at":"1714557600"'), 6, 16)).toBe(1_714_557_600_000);
  });

  it('refuses digits that are no time, and leaves every other form to the reference parser (NaN)', () => {
    expect(whole(timestampFromText, '0')).toBe(NOT_A_TIMESTAMP);
    expect(whole(timestampFromText, '2024-05-01T10:00:00+02:00')).toBeNaN();
    expect(whole(timestampFromText, '1714557600.5')).toBeNaN();
    expect(whole(timestampFromText, ' 1714557600')).toBeNaN();
    expect(whole(timestampFromText, '-1714557600')).toBeNaN();
    expect(whole(timestampFromText, '')).toBeNaN();
  });
});

describe('timestampFromNumber', () => {
  it('reads integers of up to 15 digits as epoch seconds or milliseconds', () => {
    expect(whole(timestampFromNumber, '1714557600')).toBe(1_714_557_600_000);
    expect(whole(timestampFromNumber, '1714557600250')).toBe(1_714_557_600_250);
    expect(whole(timestampFromNumber, '1')).toBe(1000);
  });

  it('refuses zero and negative integers; fractions, exponents and long numbers go to the reference parser', () => {
    expect(whole(timestampFromNumber, '0')).toBe(NOT_A_TIMESTAMP);
    expect(whole(timestampFromNumber, '-0')).toBe(NOT_A_TIMESTAMP);
    expect(whole(timestampFromNumber, '-5')).toBe(NOT_A_TIMESTAMP);
    expect(whole(timestampFromNumber, '1714557600.5')).toBeNaN();
    expect(whole(timestampFromNumber, '1.7e9')).toBeNaN();
    expect(whole(timestampFromNumber, '1714557600250000')).toBeNaN();
  });
});

describe('isCanonicalInteger', () => {
  it('is true where String(Number(text)) gives the text back, for up to 15 digits', () => {
    for (const t of ['0', '12', '-7', '999999999999999']) {
      expect(whole((x, s, e) => +isCanonicalInteger(x, s, e), t)).toBe(1);
      expect(String(Number(t))).toBe(t);
    }
    for (const t of ['-0', '1.0', '1e3', '1000000000000000', '']) expect(whole((x, s, e) => +isCanonicalInteger(x, s, e), t)).toBe(0);
  });
});

describe('firstHeader', () => {
  it('takes the first of repeated headers, a single value as is, and nothing when absent', () => {
    const one = Buffer.from('a');
    const two = Buffer.from('b');
    expect(firstHeader({ h: [one, two] }, 'h')).toBe(one);
    expect(firstHeader({ h: two }, 'h')).toBe(two);
    expect(firstHeader({ h: 'text' }, 'h')).toBe('text');
    expect(firstHeader({ h: one }, 'other')).toBeUndefined();
    expect(firstHeader(undefined, 'h')).toBeUndefined();
  });
});

describe('copyParsed', () => {
  const blank = (): EventFields => ({
    idHi: 1,
    idLo: 2,
    hasAggregate: true,
    aggregateHi: 3,
    aggregateLo: 4,
    hasVersion: true,
    version: 5,
    hasOccurredAt: true,
    occurredAt: 6,
  });
  const scratch = () => ({ hi: 0, lo: 0 });

  it('writes the fingerprints of the strings and the numbers, and clears what the event lacks', () => {
    const fields = blank();
    expect(copyParsed({ ok: true, id: 'e1', aggregateId: 'o1', version: 3, occurredAt: 1_714_557_600_250 }, fields, scratch())).toBeUndefined();
    const id = hash64('e1');
    const agg = hash64('o1');
    expect(fields).toEqual({
      idHi: id.hi,
      idLo: id.lo,
      hasAggregate: true,
      aggregateHi: agg.hi,
      aggregateLo: agg.lo,
      hasVersion: true,
      version: 3,
      hasOccurredAt: true,
      occurredAt: 1_714_557_600_250,
    });
    expect(copyParsed({ ok: true, id: 'e2' }, fields, scratch())).toBeUndefined();
    expect(fields).toMatchObject({ idHi: hash64('e2').hi, hasAggregate: false, hasVersion: false, version: 0, hasOccurredAt: false, occurredAt: 0 });
  });

  it('returns the reason of a bad record and leaves the fields as they were', () => {
    const fields = blank();
    expect(copyParsed({ ok: false, reason: 'non_json' }, fields, scratch())).toBe('non_json');
    expect(fields).toEqual(blank());
  });
});

import { describe, expect, it } from 'vitest';
import { createEventParser, type EventParserOptions } from '../../../../src/core/events/event-parser.js';
import { createEventReader, plainInteger, unsignedInteger } from '../../../../src/core/events/event-reader.js';
import type { RawRecord } from '../../../../src/core/events/field-ref.js';
import { hash64 } from '../../../../src/core/events/hash64.js';

const T = 1_700_000_000_000;
const rec = (value: string | Buffer | null, extra: Partial<RawRecord> = {}): RawRecord => ({
  key: null,
  value: value === null ? null : typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
  headers: {},
  timestamp: T,
  ...extra,
});

const JSON_FIELDS: EventParserOptions = {
  eventId: { jsonPath: '$.id' },
  aggregateId: { jsonPath: '$.agg' },
  version: { jsonPath: '$.v' },
  occurredAt: { jsonPath: '$.at' },
  maxMessageBytes: 4096,
};
const HEADER_FIELDS: EventParserOptions = {
  eventId: { header: 'id' },
  aggregateId: { key: true },
  version: { header: 'v' },
  occurredAt: { header: 'at' },
  maxMessageBytes: 4096,
};

/** The reader's result in the reference parser's terms: strings replaced by their fingerprints. */
function viaReader(opts: EventParserOptions, r: RawRecord): unknown {
  const reader = createEventReader(opts);
  const reason = reader.read(r);
  if (reason !== undefined) return { ok: false, reason };
  const f = reader.fields;
  return {
    ok: true,
    id: [f.idHi, f.idLo],
    ...(f.hasAggregate ? { aggregateId: [f.aggregateHi, f.aggregateLo] } : {}),
    ...(f.hasVersion ? { version: f.version } : {}),
    ...(f.hasOccurredAt ? { occurredAt: f.occurredAt } : {}),
  };
}

function viaParser(opts: EventParserOptions, r: RawRecord): unknown {
  const p = createEventParser(opts)(r);
  if (!p.ok) return p;
  const fp = (s: string) => {
    const h = hash64(s);
    return [h.hi, h.lo];
  };
  return {
    ok: true,
    id: fp(p.id),
    ...(p.aggregateId !== undefined ? { aggregateId: fp(p.aggregateId) } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.occurredAt !== undefined ? { occurredAt: p.occurredAt } : {}),
  };
}

// Values of each field, in JSON text: the usual shapes, the rare ones the reader hands to the
// reference parser, and the wrong ones.
const IDS = [
  '"e-1"',
  '""',
  '"with \\"quotes\\""',
  '"\\u00e9t\\u00e9"',
  '"été"',
  '"😀"',
  '7',
  '-0',
  '1.0',
  '1e3',
  '123456789012345',
  '1234567890123456789',
  'true',
  'null',
  '{"a":1}',
  '[1]',
];
const AGGS = ['"order-9"', '""', '"\\u0041"', '"Å"', '42', '4.5', 'false', 'null', '[]'];
const VERSIONS = [
  '3',
  '-2',
  '-0',
  '0',
  '1.0',
  '1e2',
  '1.5',
  '"12"',
  '" 12 "',
  '"007"',
  '"-4"',
  '"x"',
  '""',
  '9007199254740991',
  '9007199254740993',
  '123456789012345',
  'true',
  'null',
  '{}',
];
const TIMES = [
  '"2024-05-01T10:00:00Z"',
  '"2024-05-01T10:00:00.250Z"',
  '"2024-05-01T10:00:00.123456789Z"',
  '"2024-02-29T23:59:60Z"',
  '"2024-04-31T10:00:00Z"',
  '"2023-02-29T10:00:00Z"',
  '"0099-05-01T10:00:00Z"',
  '"2024-05-01T12:00:00.250+02:00"',
  '"2024-05-01 10:00:00Z"',
  '"2024-05-01T10:00Z"',
  '"2024-05-01t10:00:00z"',
  '" 2024-05-01T10:00:00Z"',
  '"2024-05-01T10:00:00"',
  '"2024-13-01T00:00:00Z"',
  '"1714557600"',
  '"1714557600000"',
  '"1714557600.5"',
  '"0"',
  '"soon"',
  '"\\u0032024-05-01T10:00:00Z"',
  '1714557600',
  '1714557600000',
  '1714557600.25',
  '1.7145576e9',
  '0',
  '-5',
  '99999999999999999999',
  'true',
  'null',
  '[1]',
];

describe('createEventReader agrees with createEventParser', () => {
  it('on every combination of JSON field values', () => {
    let n = 0;
    for (const id of IDS) {
      for (const v of VERSIONS) {
        const text = `{"id":${id},"agg":${AGGS[n % AGGS.length]},"v":${v},"at":${TIMES[n % TIMES.length]},"x":[1,{"y":"z"}]}`;
        n++;
        expect(viaReader(JSON_FIELDS, rec(text)), text).toEqual(viaParser(JSON_FIELDS, rec(text)));
      }
    }
    for (const at of TIMES) {
      for (const agg of AGGS) {
        const text = `{"at":${at},"agg":${agg},"id":"e"}`;
        expect(viaReader(JSON_FIELDS, rec(text)), text).toEqual(viaParser(JSON_FIELDS, rec(text)));
      }
    }
  });

  it('on headers and keys, as Buffers and as strings', () => {
    const texts = ['e-1', '', 'été', '12', ' 12', '-3', '1.5', '2024-05-01T10:00:00Z', '2024-05-01T12:00:00+02:00', '1714557600', '1714557600.5', 'x'];
    let k = 0;
    for (const id of ['e-1', '', 'été']) {
      for (const v of texts) {
        for (const at of texts) {
          const key = texts[k++ % texts.length]!;
          for (const asString of [false, true]) {
            const h = (s: string) => (asString ? s : Buffer.from(s, 'utf8'));
            const r = rec('not json at all', { key: Buffer.from(key, 'utf8'), headers: { id: h(id), v: h(v), at: h(at) } });
            expect(viaReader(HEADER_FIELDS, r), `${id} ${key} ${v} ${at}`).toEqual(viaParser(HEADER_FIELDS, r));
          }
        }
      }
    }
    const multi = rec('x', { key: null, headers: { id: [Buffer.from('first'), Buffer.from('second')], v: Buffer.from('4') } });
    expect(viaReader(HEADER_FIELDS, multi)).toEqual(viaParser(HEADER_FIELDS, multi));
  });

  it('on invalid UTF-8 in a header (both decode it with replacement characters)', () => {
    const r = rec('x', { headers: { id: Buffer.from([0x65, 0xff, 0xfe]), v: Buffer.from('1') } });
    expect(viaReader(HEADER_FIELDS, r)).toEqual(viaParser(HEADER_FIELDS, r));
  });

  it('on tombstones, oversize records and non-JSON', () => {
    for (const r of [rec(null), rec(`{"id":"${'x'.repeat(5000)}"}`), rec('{"id":"a"'), rec('{"id":"a"} x'), rec(''), rec('{"id":"a\u0001"}')]) {
      expect(viaReader(JSON_FIELDS, r)).toEqual(viaParser(JSON_FIELDS, r));
    }
  });

  it('on path sets the byte scanner does not handle (through JSON.parse)', () => {
    const opts: EventParserOptions = { eventId: { jsonPath: '$.e' }, aggregateId: { jsonPath: '$.e.a' }, maxMessageBytes: 100 };
    for (const text of ['{"e":{"a":"x"}}', '{"e":"id"}', 'nope']) expect(viaReader(opts, rec(text))).toEqual(viaParser(opts, rec(text)));
  });
});

describe('createEventReader', () => {
  it('reads the usual event from the bytes, with hand-computed numbers', () => {
    const reader = createEventReader(JSON_FIELDS);
    expect(reader.read(rec('{"id":"e1","agg":"o1","v":3,"at":"2024-05-01T10:00:00.250Z"}'))).toBeUndefined();
    const id = hash64('e1');
    const agg = hash64('o1');
    expect(reader.fields).toEqual({
      idHi: id.hi,
      idLo: id.lo,
      hasAggregate: true,
      aggregateHi: agg.hi,
      aggregateLo: agg.lo,
      hasVersion: true,
      version: 3,
      hasOccurredAt: true,
      occurredAt: Date.UTC(2024, 4, 1, 10, 0, 0, 250), // 1 714 557 600 250
    });
    expect(reader.fields.occurredAt).toBe(1_714_557_600_250);
    expect(reader.read(rec('{"id":12,"at":1714557600}'))).toBeUndefined();
    expect(reader.fields).toMatchObject({ idHi: hash64('12').hi, hasAggregate: false, hasVersion: false, occurredAt: 1_714_557_600_000 });
    expect(reader.slowReads).toBe(0);
  });

  it('takes escaped and non-ASCII ids through the reference parser, with the same fingerprint', () => {
    const reader = createEventReader(JSON_FIELDS);
    expect(reader.read(rec('{"id":"\\u00e9"}'))).toBeUndefined();
    expect([reader.fields.idHi, reader.fields.idLo]).toEqual([hash64('é').hi, hash64('é').lo]);
    expect(reader.read(rec('{"id":"é"}'))).toBeUndefined();
    expect([reader.fields.idHi, reader.fields.idLo]).toEqual([hash64('é').hi, hash64('é').lo]);
    expect(reader.slowReads).toBe(2);
  });

  it('names the reason of each bad record', () => {
    const reader = createEventReader(JSON_FIELDS);
    expect(reader.read(rec('{"agg":"a"}'))).toBe('missing_id');
    expect(reader.read(rec('{"id":""}'))).toBe('missing_id');
    expect(reader.read(rec('{"id":null}'))).toBe('missing_id');
    expect(reader.read(rec('{"id":true}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","agg":{}}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","v":1.5}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","v":9007199254740993}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","at":0}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","at":"2024-05-01T10:00:00"}'))).toBe('wrong_type');
    expect(reader.read(rec('{"id":"e","at":false}'))).toBe('wrong_type');
    // the id is judged first, as the reference parser does
    expect(reader.read(rec('{"v":"x"}'))).toBe('missing_id');
  });
});

describe("jsonCheck: 'fields'", () => {
  const FIELDS_ONLY: EventParserOptions = { ...JSON_FIELDS, jsonCheck: 'fields' };

  it('stops once every JSON field is found: a value broken after them is an event', () => {
    const broken = '{"id":"e1","agg":"o1","v":3,"at":"2024-05-01T10:00:00Z","payload":{"lines":[1,2,';
    expect(viaReader(JSON_FIELDS, rec(broken))).toEqual({ ok: false, reason: 'non_json' });
    const reader = createEventReader(FIELDS_ONLY);
    expect(reader.read(rec(broken))).toBeUndefined();
    expect(reader.fields).toMatchObject({ idHi: hash64('e1').hi, aggregateHi: hash64('o1').hi, version: 3, occurredAt: Date.UTC(2024, 4, 1, 10) });
    // a later duplicate key is not seen (JSON.parse would keep the last one)
    expect(reader.read(rec('{"id":"first","agg":"o","v":1,"at":1714557600,"id":"second"}'))).toBeUndefined();
    expect(reader.fields.idHi).toBe(hash64('first').hi);
  });

  it('still checks every byte up to the last field, and the whole value when a field is absent', () => {
    const reader = createEventReader(FIELDS_ONLY);
    expect(reader.read(rec('{"id":"e1","x":[1,,2],"agg":"o","v":1,"at":1714557600}'))).toBe('non_json');
    expect(reader.read(rec('{"id":"e1","agg":"o","v":1} x'))).toBe('non_json'); // no "at": read to the end
    expect(reader.read(rec('{"id":"e1","agg":"o","v":1}'))).toBeUndefined();
    expect(reader.read(rec('not json'))).toBe('non_json');
  });

  it('agrees with the reference parser in the same mode, escapes and non-ASCII included', () => {
    const tails = ['}', ',"x":1}', ',"x":[1,', ', garbage', ',"id":"later"}'];
    let n = 0;
    for (const id of IDS) {
      for (const tail of tails) {
        const text = `{"agg":${AGGS[n % AGGS.length]},"v":${VERSIONS[n % VERSIONS.length]},"id":${id},"at":${TIMES[n % TIMES.length]}${tail}`;
        n++;
        expect(viaReader(FIELDS_ONLY, rec(text)), text).toEqual(viaParser(FIELDS_ONLY, rec(text)));
      }
    }
  });
});

describe('integer digits', () => {
  it('reads up to 15 digits and nothing else', () => {
    const b = (s: string) => Buffer.from(s, 'latin1');
    expect(unsignedInteger(b('0'), 0, 1)).toBe(0);
    expect(unsignedInteger(b('x123x'), 1, 4)).toBe(123);
    expect(unsignedInteger(b('999999999999999'), 0, 15)).toBe(999_999_999_999_999);
    expect(unsignedInteger(b('1000000000000000'), 0, 16)).toBeNaN();
    expect(unsignedInteger(b(''), 0, 0)).toBeNaN();
    expect(unsignedInteger(b('1a'), 0, 2)).toBeNaN();
    expect(plainInteger(b('-42'), 0, 3)).toBe(-42);
    expect(Object.is(plainInteger(b('-0'), 0, 2), -0)).toBe(true);
    expect(plainInteger(b('-'), 0, 1)).toBeNaN();
    expect(plainInteger(b('+1'), 0, 2)).toBeNaN();
  });
});

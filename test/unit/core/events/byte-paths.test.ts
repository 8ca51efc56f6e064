import { describe, expect, it } from 'vitest';
import { hash64, hash64BytesInto } from '../../../../src/core/events/hash64.js';
import { fastIsoBytes, millisFromText, parseTimestamp } from '../../../../src/core/events/timestamp.js';

describe('hash64BytesInto', () => {
  it('gives ASCII bytes the fingerprint of their decoded string', () => {
    const out = { hi: 0, lo: 0 };
    for (const s of ['', 'a', 'order-1', '0b9f3c1e-4d2a-4c1b-9e7f-000000000042', ' \t~\u007f']) {
      const b = Buffer.from(`xx${s}yy`, 'latin1');
      expect(hash64BytesInto(b, 2, 2 + s.length, out), s).toBe(true);
      expect(out, s).toEqual(hash64(s));
    }
  });

  it('gives up on the first byte >= 0x80 (the caller decodes and hashes the string)', () => {
    const out = { hi: 1, lo: 2 };
    expect(hash64BytesInto(Buffer.from('été', 'utf8'), 0, 5, out)).toBe(false);
    expect(hash64BytesInto(Buffer.from([0x61, 0x80]), 0, 2, out)).toBe(false);
  });
});

describe('fastIsoBytes', () => {
  const bytes = (s: string) => Buffer.from(s, 'utf8');

  it('agrees with parseTimestamp (and Date.parse) on UTC timestamps of many dates', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    for (let k = 0; k < 5000; k++) {
      const y = 100 + rnd(9900);
      const text = `${pad(y, 4)}-${pad(1 + rnd(12), 2)}-${pad(1 + rnd(31), 2)}T${pad(rnd(24), 2)}:${pad(rnd(60), 2)}:${pad(rnd(60), 2)}${['', '.5', '.25', '.125', '.123456'][rnd(5)]}Z`;
      const b = bytes(text);
      const fast = fastIsoBytes(b, 0, b.length);
      expect(Number.isNaN(fast) ? parseTimestamp(text) : fast, text).toBe(parseTimestamp(text));
      // days past the month's end go to the general path; every other one is read here
      const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
      if (!Number.isNaN(fast)) expect(fast, text).toBe(ms);
    }
  });

  it('reads a timestamp inside a larger buffer, with hand-computed values', () => {
    const b = bytes('{"at":"2024-05-01T10:00:00.250Z"}');
    expect(fastIsoBytes(b, 7, 31)).toBe(1_714_557_600_250);
    expect(fastIsoBytes(bytes('1970-01-01T00:00:00Z'), 0, 20)).toBe(0);
    expect(fastIsoBytes(bytes('2000-02-29T00:00:00.1Z'), 0, 22)).toBe(951_782_400_100);
    // a leap second rolls over to the next minute, as Date.UTC does
    expect(fastIsoBytes(bytes('2016-12-31T23:59:60Z'), 0, 20)).toBe(Date.UTC(2017, 0, 1));
  });

  it('leaves every other shape to the general path', () => {
    for (const s of [
      '2024-05-01T10:00:00',
      '2024-05-01T10:00:00+02:00',
      '2024-05-01 10:00:00Z',
      '2024-05-01T10:00Z',
      ' 2024-05-01T10:00:00Z',
      '2024-05-01T10:00:00.Z',
      '2024-04-31T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-05-01T24:00:00Z',
      '0099-05-01T10:00:00Z',
      '2024-05-01T10:00:00,5Z',
      '2024-05-01T10:00:00.5éZ',
    ]) {
      const b = bytes(s);
      expect(fastIsoBytes(b, 0, b.length), s).toBeNaN();
    }
  });

  it('reads years before 100 as such (the general path), not as 19xx', () => {
    expect(parseTimestamp('0099-05-01T10:00:00Z')).toBe(Date.parse('0099-05-01T10:00:00Z'));
    expect(new Date(parseTimestamp('0099-05-01T10:00:00Z')!).getUTCFullYear()).toBe(99);
  });
});

describe('millisFromText', () => {
  it('is Number(text), digit by digit when it can', () => {
    for (const s of ['1714557600250', '0', '7', '999999999999999', '1000000000000000', '-1', '', '12a', '1e3', ' 5']) {
      expect(millisFromText(s), s).toBe(Number(s));
    }
  });
});

describe('parseTimestamp', () => {
  it('rejects a fraction point without digits (the fast path once read the Z as a digit)', () => {
    expect(parseTimestamp('2024-05-01T10:00:00.Z')).toBeUndefined();
    expect(parseTimestamp('2024-05-01T10:00:00.5Z')).toBe(1_714_557_600_500);
  });
});

import { describe, expect, it } from 'vitest';
import {
  COMPOSITE,
  JSON_ABSENT,
  JSON_COMPOSITE,
  JSON_ESCAPED,
  JSON_FALSE,
  JSON_NUMBER,
  JSON_STRING,
  JSON_TRUE,
  compileJsonScanner,
  compileSpanScanner,
} from '../../../../src/core/events/json-scan.js';
import { compileJsonPath, readJsonPath } from '../../../../src/core/events/field-ref.js';
import { hash64 } from '../../../../src/core/events/hash64.js';

import type { JsonPath } from '../../../../src/core/events/field-ref.js';

// The last path has a non-ASCII key (built by hand: config paths are ASCII) to check byte compares.
const PATHS: JsonPath[] = [...['$.id', '$.meta.v', '$.list[1]'].map(compileJsonPath), ['a\u00e9']];
const scan = compileJsonScanner(PATHS)!;

/** What JSON.parse + readJsonPath say, in the scanner's terms. */
function reference(text: string): unknown[] | 'non_json' {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'non_json';
  }
  return PATHS.map((p) => {
    const v = readJsonPath(doc, p);
    if (v === null || v === undefined) return undefined;
    return typeof v === 'object' ? COMPOSITE : v;
  });
}

function scanned(text: string): unknown[] | 'non_json' {
  try {
    return scan(Buffer.from(text, 'utf8'));
  } catch {
    return 'non_json';
  }
}

// Valid and invalid documents, compared against JSON.parse: the scanner must agree on every
// wanted value and on what is not JSON.
const CORPUS = [
  '{"id":"e1","meta":{"v":3},"list":[0,"x"],"a\u00e9":true}',
  ' { "id" : 12.5e-1 , "meta" : { "v" : -0 } } ',
  '{"id":"with \\"escapes\\" and \\u00e9","meta":{"v":null}}',
  '{"i\\u0064":"escaped key","meta":[1,2]}',
  '{"id":{"nested":1},"list":[[1],{"a":[]}]}',
  '{"id":"dup","id":"last wins"}',
  '{"other":{"id":"not top level"},"list":[1]}',
  '[]',
  '"just a string"',
  '{}',
  '{"id":"é ✓ 😀","meta":{"v":"7"}}',
  '{"id":1e400}',
  '',
  '{',
  '{"id":"x",}',
  '{"id":01}',
  '{"id":"x"} trailing',
  '{"id":tru}',
  '{"id":"tab\there"}',
  '{"id":"bad \\x escape"}',
  '{"id":1.}',
  '{"id":-}',
  '{"id" "x"}',
  '[1,2',
  '{"id":"unterminated}',
  'nul',
];

describe('compileJsonScanner', () => {
  it.each(CORPUS.map((c) => [c]))('agrees with JSON.parse on %s', (text) => {
    expect(scanned(text)).toEqual(reference(text));
  });

  it('falls back (undefined) for the root path or nested wanted paths', () => {
    expect(compileJsonScanner([compileJsonPath('$')])).toBeUndefined();
    expect(compileJsonScanner([compileJsonPath('$.a'), compileJsonPath('$.a.b')])).toBeUndefined();
  });
});

describe('compileSpanScanner', () => {
  const paths = ['$.id', '$.ab', '$.ac', '$.n[1]', '$.o'].map(compileJsonPath);
  const s = compileSpanScanner(paths)!;
  const spans = (text: string) => {
    const ok = s.scan(Buffer.from(text, 'utf8'));
    // the range of an absent value is unspecified
    return ok ? [...s.spans.kind].map((k, i) => (k === JSON_ABSENT ? [k] : [k, s.spans.start[i], s.spans.end[i]])) : 'non_json';
  };

  it('notes the kind and byte range of each wanted value (hand-counted offsets)', () => {
    // offsets:      0123456789012345678901234567890123456789012345678
    expect(spans('{"id":"e1","ab":-1.5e3,"ac":true,"n":[0,"x"],"o":{}}')).toEqual([
      [JSON_STRING, 7, 9], // e1, inside the quotes
      [JSON_NUMBER, 16, 22], // -1.5e3
      [JSON_TRUE, 28, 32],
      [JSON_STRING, 41, 42], // "x" at index 1
      [JSON_COMPOSITE, 49, 51], // {}
    ]);
    expect(spans('{"id":"a\\"b","ab":false,"ac":null,"o":[1,[2]]}')).toEqual([
      [JSON_ESCAPED, 7, 11],
      [JSON_FALSE, 18, 23],
      [JSON_ABSENT], // null
      [JSON_ABSENT],
      [JSON_COMPOSITE, 38, 45],
    ]);
  });

  it('resets between records and lets the last duplicate key win, null included', () => {
    expect(spans('{"id":"x"}')[0]).toEqual([JSON_STRING, 7, 8]);
    expect((spans('{"ab":1}') as unknown[][])[0]![0]).toBe(JSON_ABSENT);
    expect((spans('{"id":"x","id":null}') as unknown[][])[0]![0]).toBe(JSON_ABSENT);
  });

  it('tells apart wanted keys of the same length and first byte', () => {
    expect((spans('{"ac":1,"ab":2}') as unknown[][]).slice(1, 3)).toEqual([
      [JSON_NUMBER, 13, 14],
      [JSON_NUMBER, 6, 7],
    ]);
    expect((spans('{"ad":1,"a":2,"abc":3}') as unknown[][]).slice(1, 3)).toEqual([[JSON_ABSENT], [JSON_ABSENT]]);
  });

  it('finds a key written with escapes', () => {
    expect((spans('{"\\u0069d":"y"}') as unknown[][])[0]).toEqual([JSON_STRING, 12, 13]);
  });

  it('accepts any nesting depth that JSON.parse accepts (no recursion)', () => {
    const deep = `{"id":"d","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => JSON.parse(deep)).not.toThrow();
    expect(spans(deep)[0]).toEqual([JSON_STRING, 7, 8]);
    expect(spans(`{"x":${'['.repeat(1000)}${']'.repeat(999)}}`)).toBe('non_json');
  });
});

describe('compileJsonScanner against JSON.parse on mutated documents', () => {
  // Seeds with wanted values at every depth and unwanted containers (the skip loop) around them.
  const SEEDS = [
    '{"id":"e-1","meta":{"v":3,"w":[1,2.5e-3,{"x":null}]},"list":[0,"x",true],"a\u00e9":false}',
    '{"payload":{"lines":[{"sku":"S-1","qty":2,"price":12.5,"note":"a \\"b\\" \\u00e9"},[],{}]},"id":17}',
    '[{"id":"not wanted"},-0.5E+2,"s",[[["deep"]]],{"a":{"b":{"c":[true,false,null]}}}]',
    ' { "list" : [ { "k" : [ 1 , 2 ] } , "x" ] , "meta" : { "v" : "7" } , "id" : "w s" } ',
  ];
  // Bytes that change the grammar: brackets, separators, quotes, escapes, digits, literals, controls.
  const BYTES = ' \t\n"{}[],:0123456789.eE+-tfnul\\/x\u0001';
  it('agrees on what is JSON and on every wanted value (20 000 mutants, fixed seed), also when stopping after the fields', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let mismatches = 0;
    let fieldsMismatches = 0;
    let nonJson = 0;
    const fieldsOnly = compileJsonScanner(PATHS, 'fields')!;
    for (let k = 0; k < 20_000; k++) {
      const chars = [...SEEDS[k % SEEDS.length]!];
      // one to three edits: replace, insert or delete a byte
      for (let e = rand(3); e >= 0; e--) {
        const at = rand(chars.length + 1);
        const op = rand(3);
        const ch = BYTES[rand(BYTES.length)]!;
        if (op === 0) chars[at] = ch;
        else if (op === 1) chars.splice(at, 0, ch);
        else chars.splice(at, 1);
      }
      const text = chars.join('');
      const want = reference(text);
      if (want === 'non_json') nonJson++;
      const got = scanned(text);
      // stopping after the fields: the same values whenever JSON.parse accepts the document
      if (want !== 'non_json') {
        let early: unknown;
        try {
          early = fieldsOnly(Buffer.from(text, 'utf8'));
        } catch {
          early = 'non_json';
        }
        if (JSON.stringify(early) !== JSON.stringify(want) && ++fieldsMismatches <= 3) expect(early, text).toEqual(want);
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches++;
        if (mismatches <= 3) expect(got, text).toEqual(want);
      }
    }
    expect(mismatches).toBe(0);
    expect(fieldsMismatches).toBe(0);
    // the mutants exercise both sides
    expect(nonJson).toBeGreaterThan(5_000);
    expect(nonJson).toBeLessThan(19_000);
  });
});

describe('compileSpanScanner with fingerprints', () => {
  it('fingerprints ASCII strings of the marked slots in the same pass, as hash64 does', () => {
    const s = compileSpanScanner([compileJsonPath('$.id'), compileJsonPath('$.other')], [true, false])!;
    for (const id of ['e-1', '', '0b9f3c1e-4d2a-4c1b-9e7f-000000000042']) {
      expect(s.scan(Buffer.from(`{"other":"x","id":"${id}"}`))).toBe(true);
      expect(s.spans.hashed[0]).toBe(1);
      expect([s.spans.hashHi[0], s.spans.hashLo[0]]).toEqual([hash64(id).hi, hash64(id).lo]);
      expect(s.spans.hashed[1]).toBe(0);
    }
    // escapes and non-ASCII bytes are left to the caller
    for (const text of ['{"id":"a\\u0062"}', '{"id":"é"}', '{"id":"x","id":"é"}']) {
      expect(s.scan(Buffer.from(text))).toBe(true);
      expect(s.spans.hashed[0], text).toBe(0);
    }
  });
});

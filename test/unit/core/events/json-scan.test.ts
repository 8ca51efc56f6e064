import { describe, expect, it } from 'vitest';
import { COMPOSITE, compileJsonScanner } from '../../../../src/core/events/json-scan.js';
import { compileJsonPath, readJsonPath } from '../../../../src/core/events/field-ref.js';

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

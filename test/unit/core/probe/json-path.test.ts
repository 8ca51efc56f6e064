import { describe, expect, test } from 'vitest';
import { evalJsonPath, parseJsonPath } from '../../../../src/core/probe/json-path.js';

describe('parseJsonPath', () => {
  test('the subset: keys, quoted keys, indexes', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b_c')).toEqual(['a', 'b_c']);
    expect(parseJsonPath('$[\'a key\'][2]["x"]')).toEqual(['a key', 2, 'x']);
  });

  test('anything else is refused', () => {
    for (const p of ['a.b', '$..a', '$.*', '$[?(@.a)]', '$.a[', '$[-1]', '$.', '$.a b']) expect(parseJsonPath(p), p).toBeUndefined();
    expect(parseJsonPath('$' + '.a'.repeat(33))).toBeUndefined();
  });
});

describe('evalJsonPath', () => {
  const doc = { a: { b: [10, { c: null }] }, s: 'x' };
  test('found values, null included', () => {
    expect(evalJsonPath(doc, '$.a.b[0]')).toEqual({ found: true, value: 10 });
    expect(evalJsonPath(doc, '$.a.b[1].c')).toEqual({ found: true, value: null });
    expect(evalJsonPath(doc, '$')).toEqual({ found: true, value: doc });
  });

  test('missing steps, wrong types and inherited keys are not found', () => {
    expect(evalJsonPath(doc, '$.a.b[2]').found).toBe(false);
    expect(evalJsonPath(doc, '$.a.x').found).toBe(false);
    expect(evalJsonPath(doc, '$.s.length').found).toBe(false);
    expect(evalJsonPath(doc, '$.a[0]').found).toBe(false);
    expect(evalJsonPath(doc, '$.a.b.length').found).toBe(false);
    expect(evalJsonPath({}, '$.constructor').found).toBe(false);
  });
});

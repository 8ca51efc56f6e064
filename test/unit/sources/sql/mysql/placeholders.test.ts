import { describe, expect, it } from 'vitest';
import { inlineParams } from '../../../../../src/sources/sql/mysql/placeholders.js';

describe('inlineParams ($n placeholders on MySQL)', () => {
  it('substitutes escaped values by number: reuse, skip, any order', () => {
    expect(inlineParams('SELECT * FROM t WHERE id > $1 AND name = $2', [12, "O'Brien"])).toBe("SELECT * FROM t WHERE id > 12 AND name = 'O\\'Brien'");
    expect(inlineParams('SELECT $2, $1, $2', ['a', 'b'])).toBe("SELECT 'b', 'a', 'b'");
    expect(inlineParams('SELECT created FROM e WHERE id > $1 ORDER BY id LIMIT 1', [5, 'unused'])).toBe(
      'SELECT created FROM e WHERE id > 5 ORDER BY id LIMIT 1',
    );
    expect(
      inlineParams(
        'WHERE x = $10',
        Array.from({ length: 10 }, (_, i) => i + 1),
      ),
    ).toBe('WHERE x = 10');
  });

  it('arrays become lists for IN; an empty array matches nothing', () => {
    expect(inlineParams('WHERE p IN ($1)', [['a', 'b']])).toBe("WHERE p IN ('a', 'b')");
    expect(inlineParams('WHERE p IN ($1)', [[]])).toBe('WHERE p IN (NULL)');
    expect(inlineParams('SELECT COALESCE($1, DATABASE())', [null])).toBe('SELECT COALESCE(NULL, DATABASE())');
  });

  it('leaves $ alone in strings, quoted identifiers, comments and identifiers', () => {
    const sql = `SELECT '$1', "col$1", \`a$2\`, col$1 -- $1\n, 'it''s $2' /* $2 */ # $1\nFROM t WHERE a = $1`;
    expect(inlineParams(sql, ['v'])).toBe(`SELECT '$1', "col$1", \`a$2\`, col$1 -- $1\n, 'it''s $2' /* $2 */ # $1\nFROM t WHERE a = 'v'`);
    expect(inlineParams(`SELECT 'a\\'$1' , $1`, [7])).toBe(`SELECT 'a\\'$1' , 7`);
  });

  it('a ? in user SQL is not a placeholder; a missing value is an error', () => {
    expect(inlineParams(`SELECT '?' AS q, $1`, [1])).toBe(`SELECT '?' AS q, 1`);
    expect(() => inlineParams('SELECT $2', [1])).toThrow('placeholder $2 has no value (1 given)');
  });
});

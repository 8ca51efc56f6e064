import { describe, expect, it } from 'vitest';
import { parseEmmettCheckpoint } from '../../../../src/sources/sql/presets/index.js';

describe('parseEmmettCheckpoint', () => {
  it('reads the pre-0.43 bare position and the 0.43+ txid:position format', () => {
    expect(parseEmmettCheckpoint('00000000000000000042')).toBe(42);
    expect(parseEmmettCheckpoint('00000000000000000001:00000000000000000042')).toBe(42);
    expect(parseEmmettCheckpoint('7')).toBe(7);
  });
  it('rejects anything else', () => {
    expect(parseEmmettCheckpoint('abc')).toBeUndefined();
    expect(parseEmmettCheckpoint('1:')).toBeUndefined();
  });
});

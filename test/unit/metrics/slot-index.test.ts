import { describe, expect, it } from 'vitest';
import { hashOf, SlotIndex } from '../../../src/metrics/slot-index.js';

/** An index over a plain key array, as TableGauge uses it. */
function indexed(): { keys: (string | undefined)[]; index: SlotIndex } {
  const keys: (string | undefined)[] = [];
  return { keys, index: new SlotIndex((slot) => keys[slot]) };
}

describe('hashOf', () => {
  it('is FNV-1a 32 as a signed integer', () => {
    expect(hashOf('')).toBe(0x811c9dc5 | 0);
    expect(hashOf('a')).toBe(0xe40c292c | 0);
    expect(hashOf('foobar')).toBe(0xbf9cf968 | 0);
  });
});

describe('SlotIndex', () => {
  it('finds, misses and deletes keys', () => {
    const { keys, index } = indexed();
    keys.push('{a="x"}', '{a="y"}');
    index.add('{a="x"}', 0);
    index.add('{a="y"}', 1);
    expect(index.get('{a="x"}')).toBe(0);
    expect(index.get('{a="y"}')).toBe(1);
    expect(index.get('{a="z"}')).toBeUndefined();
    expect(index.size).toBe(2);
    expect(index.delete('{a="x"}')).toBe(true);
    keys[0] = undefined;
    expect(index.delete('{a="x"}')).toBe(false);
    expect(index.get('{a="x"}')).toBeUndefined();
    expect(index.get('{a="y"}')).toBe(1);
    expect(index.size).toBe(1);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.get('{a="y"}')).toBeUndefined();
  });

  it('keeps probe chains whole across deletes, re-adds and growth (against a Map)', () => {
    const { keys, index } = indexed();
    const ref = new Map<string, number>();
    const free: number[] = [];
    // 60 rounds: add 200 keys of a sliding range, delete those that left it (slots reused).
    for (let round = 0; round < 60; round++) {
      for (let k = round * 37; k < round * 37 + 200; k++) {
        const key = `{g="${k}"}`;
        if (ref.has(key)) continue;
        const slot = free.pop() ?? keys.length;
        keys[slot] = key;
        index.add(key, slot);
        ref.set(key, slot);
      }
      for (const [key, slot] of ref) {
        const k = Number(key.slice(4, -2));
        if (k < round * 37 + 100) continue;
        if (k >= round * 37 + 180) {
          expect(index.delete(key)).toBe(true);
          keys[slot] = undefined;
          ref.delete(key);
          free.push(slot);
        }
      }
      for (const [key, slot] of ref) expect(index.get(key)).toBe(slot);
      expect(index.size).toBe(ref.size);
      expect(index.get(`{g="${round * 37 + 190}"}`)).toBeUndefined();
    }
  });
});

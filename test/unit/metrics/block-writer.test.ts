import { describe, expect, it } from 'vitest';
import { BlockWriter } from '../../../src/metrics/block-writer.js';

/** A writer over 8-byte blocks recording what it emits (as text) and whether a block came with it. */
function writer8() {
  const emitted: [string, boolean][] = [];
  let taken = 0;
  const w = new BlockWriter(
    () => {
      taken++;
      return Buffer.alloc(8, 0x2a);
    },
    (bytes, block) => emitted.push([bytes.toString('utf8'), block !== undefined]),
  );
  return { w, emitted, taken: () => taken };
}

describe('BlockWriter', () => {
  it('packs pieces into one block until the next would not fit', () => {
    const { w, emitted } = writer8();
    w.write('ab');
    w.write('cde');
    w.write('fgh');
    expect(emitted).toEqual([]);
    w.write('ij');
    expect(emitted).toEqual([['abcdefgh', true]]);
    w.flush();
    expect(emitted).toEqual([
      ['abcdefgh', true],
      ['ij', true],
    ]);
  });

  it('starts a new block for a piece that does not fit, never splitting it', () => {
    const { w, emitted } = writer8();
    w.write('abcde');
    w.write('fghij');
    w.flush();
    expect(emitted).toEqual([
      ['abcde', true],
      ['fghij', true],
    ]);
  });

  it('gives a piece longer than a block a buffer of its own, after what was written before', () => {
    const { w, emitted } = writer8();
    w.write('ab');
    w.write('0123456789');
    w.write('c');
    w.flush();
    expect(emitted).toEqual([
      ['ab', true],
      ['0123456789', false],
      ['c', true],
    ]);
  });

  it('counts UTF-8 bytes, not UTF-16 units (é is 2 bytes, 😀 is 4)', () => {
    const { w, emitted } = writer8();
    w.write('ééé'); // 6 bytes
    w.write('é'); // 8
    w.write('😀'); // does not fit: new block
    w.flush();
    expect(emitted.map(([t]) => Buffer.byteLength(t))).toEqual([8, 4]);
    expect(emitted.map(([t]) => t).join('')).toBe('éééé😀');
  });

  it('emits nothing for an empty flush and takes a block only when it needs one', () => {
    const { w, emitted, taken } = writer8();
    w.flush();
    expect(emitted).toEqual([]);
    expect(taken()).toBe(1);
    w.write('x');
    w.flush();
    expect(taken()).toBe(2);
  });
});

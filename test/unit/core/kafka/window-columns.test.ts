import { describe, expect, it } from 'vitest';
import { SampleRing, WindowColumns, type SampleWindow } from '../../../../src/core/kafka/sample-window.js';
import { groupStatus, isRewound, isStalled } from '../../../../src/core/kafka/status.js';

const samples = (w: SampleWindow) => Array.from({ length: w.length }, (_, i) => [w.committed(i), w.low(i), w.high(i)]);

describe('WindowColumns', () => {
  it('keeps the last `capacity` samples of each slot, oldest first, across wrap-around', () => {
    const c = new WindowColumns(3);
    const a = c.add();
    const b = c.add();
    c.push(a, 1, 0, 10);
    c.push(a, undefined, 2, 11);
    c.push(b, 7, 7, 7);
    expect(samples(c.window(a))).toEqual([
      [1, 0, 10],
      [undefined, 2, 11],
    ]);
    c.push(a, 3, 0, 12);
    c.push(a, 4, 1, 13);
    c.push(a, 5, 1, 14);
    expect(c.length(a)).toBe(3);
    expect(samples(c.window(a))).toEqual([
      [3, 0, 12],
      [4, 1, 13],
      [5, 1, 14],
    ]);
    // The other slot is untouched by a's wrap-around.
    expect(samples(c.window(b))).toEqual([[7, 7, 7]]);
    expect(() => c.committed(a, 3)).toThrow(RangeError);
    expect(c.wide).toBe(false);
  });

  it('hands a removed slot out again with an empty window and a new base', () => {
    const c = new WindowColumns(2);
    const a = c.add();
    c.push(a, 100, 90, 110);
    c.push(a, 105, 90, 120);
    c.remove(a);
    const again = c.add();
    expect(again).toBe(a);
    expect(c.length(again)).toBe(0);
    c.push(again, 5_000_000_000, 4_999_999_000, 5_000_000_010);
    expect(samples(c.window(again))).toEqual([[5_000_000_000, 4_999_999_000, 5_000_000_010]]);
    expect(c.wide).toBe(false);
  });

  it('grows by doubling and keeps every window', () => {
    const c = new WindowColumns(4, 1);
    const slots = Array.from({ length: 9 }, () => c.add());
    expect(slots).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(c.allocated).toBe(16);
    for (let round = 0; round < 6; round++) for (const s of slots) c.push(s, s * 1000 + round, s, s * 1000 + 10 + round);
    for (const s of slots) expect(samples(c.window(s))).toEqual([2, 3, 4, 5].map((r) => [s * 1000 + r, s, s * 1000 + 10 + r]));
  });

  it('widens to 64-bit floats when a difference does not fit 32 bits, values unchanged', () => {
    const c = new WindowColumns(3);
    const a = c.add();
    const b = c.add();
    c.push(a, 5, 0, 10);
    c.push(b, undefined, 3, 3);
    // A commit 3 billion messages behind the high watermark.
    c.push(a, 1, 0, 3_000_000_010);
    expect(c.wide).toBe(true);
    expect(samples(c.window(a))).toEqual([
      [5, 0, 10],
      [1, 0, 3_000_000_010],
    ]);
    expect(samples(c.window(b))).toEqual([[undefined, 3, 3]]);
    c.push(b, 4, 3, 9);
    expect(samples(c.window(b))).toEqual([
      [undefined, 3, 3],
      [4, 3, 9],
    ]);
  });

  it('reads back exactly what a SampleRing does, narrow and wide, over long random runs', () => {
    // A deterministic generator (no flaky seeds): offsets near 2^53 as well as small ones.
    let x = 12345;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    for (const start of [0, 2 ** 40, 2 ** 52]) {
      const cap = 5;
      const c = new WindowColumns(cap, 2);
      const rings = new Map<number, SampleRing>();
      for (let step = 0; step < 2000; step++) {
        const op = rnd(20);
        if (op === 0 && rings.size > 0) {
          const slot = [...rings.keys()][rnd(rings.size)]!;
          c.remove(slot);
          rings.delete(slot);
        } else if (op === 1 || rings.size === 0) {
          const slot = c.add();
          expect(rings.has(slot)).toBe(false);
          rings.set(slot, new SampleRing(cap));
        } else {
          const slot = [...rings.keys()][rnd(rings.size)]!;
          const high = start + step * 100 + rnd(100);
          const low = start + rnd(50);
          // From step 1500 on, once: a commit 2^31 + 5 behind (the store widens).
          const far = step >= 1500 && !c.wide;
          const committed = rnd(7) === 0 && !far ? undefined : high - (far ? 2 ** 31 + 5 : rnd(500));
          c.push(slot, committed, low, high);
          rings.get(slot)!.push(committed, low, high);
        }
        if (step % 97 === 0) for (const [slot, r] of rings) expect(samples(c.window(slot))).toEqual(samples(r));
      }
      for (const [slot, r] of rings) expect(samples(c.window(slot))).toEqual(samples(r));
      expect(c.wide).toBe(true);
    }
  });

  it('gives the status rules the same answers as SampleRings (one cursor moved over the slots)', () => {
    const c = new WindowColumns(4);
    const stalled = c.add();
    const rewound = c.add();
    const ring = (points: [number | undefined, number, number][]) => {
      const r = new SampleRing(4);
      for (const [cm, lo, hi] of points) r.push(cm, lo, hi);
      return r;
    };
    const stalledPoints: [number, number, number][] = [
      [1, 0, 2],
      [5, 0, 10],
      [5, 0, 10],
      [5, 0, 12],
    ];
    const rewoundPoints: [number, number, number][] = [
      [9, 0, 9],
      [100, 0, 100],
      [40, 0, 100],
    ];
    for (const [cm, lo, hi] of stalledPoints) c.push(stalled, cm, lo, hi);
    for (const [cm, lo, hi] of rewoundPoints) c.push(rewound, cm, lo, hi);
    expect(isStalled(c.window(stalled), 3)).toBe(isStalled(ring(stalledPoints), 3));
    expect(isStalled(c.window(stalled), 3)).toBe(true);
    expect(isRewound(c.window(rewound))).toBe(true);
    expect(isRewound(c.window(stalled))).toBe(false);
    const totals = [{ t: 0, lag: 1, committed: 0, high: 0 }];
    expect(groupStatus({ readable: true, members: 1, partitions: c.windows([stalled]), totals })).toBe('STALLED');
    expect(groupStatus({ readable: true, members: 1, partitions: c.windows([stalled, rewound]), totals })).toBe('REWOUND');
    expect(groupStatus({ readable: true, members: 0, partitions: c.windows([stalled]), totals })).toBe('STOPPED');
  });
});

import type { Position } from '../units.js';
import type { PartitionPoint } from './types.js';

/**
 * A partition's recent samples for one group as the status rules read them, oldest first
 * (index `length - 1` is this cycle).
 */
export interface SampleWindow {
  readonly length: number;
  /** Committed offset at sample `i`; undefined when the group had no commit there. */
  committed(i: number): Position | undefined;
  /**
   * Where the lag counts from when nothing is committed (`uncommittedPosition`: the high watermark
   * when the partition was first seen without a commit); the low watermark otherwise.
   */
  low(i: number): Position;
  high(i: number): Position;
}

/** No commit (offsets are never negative). */
const NONE = -1;

/**
 * A fixed-size ring of (committed, low, high) samples in one flat number array: the collector
 * keeps one per group and partition (25 000 on the benchmark cluster), so no object per sample
 * and no allocation per cycle once full. ~3 x 8 bytes per sample.
 */
export class SampleRing implements SampleWindow {
  readonly #data: number[];
  readonly #capacity: number;
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity: must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#data = new Array<number>(capacity * 3).fill(0);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends this cycle's sample, dropping the oldest when full. */
  push(committed: Position | undefined, low: Position, high: Position): void {
    let slot: number;
    if (this.#length < this.#capacity) slot = (this.#start + this.#length++) % this.#capacity;
    else {
      slot = this.#start;
      this.#start = (this.#start + 1) % this.#capacity;
    }
    const d = this.#data;
    d[slot * 3] = committed ?? NONE;
    d[slot * 3 + 1] = low;
    d[slot * 3 + 2] = high;
  }

  committed(i: number): Position | undefined {
    const v = this.#data[this.#at(i)]!;
    return v === NONE ? undefined : v;
  }

  low(i: number): Position {
    return this.#data[this.#at(i) + 1]!;
  }

  high(i: number): Position {
    return this.#data[this.#at(i) + 2]!;
  }

  #at(i: number): number {
    if (i < 0 || i >= this.#length) throw new RangeError(`sample ${i} out of range 0..${this.#length - 1}`);
    return ((this.#start + i) % this.#capacity) * 3;
  }
}

/** A window holding exactly these points (tests, and callers with a list at hand). */
export function windowOf(points: readonly Omit<PartitionPoint, 't'>[]): SampleRing {
  const w = new SampleRing(Math.max(1, points.length));
  for (const p of points) w.push(p.committed, p.low, p.high);
  return w;
}

/** A committed offset of no sample, in the narrow (offset - base) store. */
const NARROW_NONE = -0x80000000;
const NARROW_MAX = 0x7fffffff;

/**
 * The status windows of every partition of one group in one typed array: one slot per partition,
 * `capacity` samples of (committed, low, high) per slot, oldest first from the slot's ring start.
 * At 5 000 groups of 100 partitions a SampleRing and its number array per partition were 352 bytes
 * each and an object apiece for the collector to keep and the GC to trace (docs/performance.md,
 * "Large clusters"). Samples are stored as 32-bit differences from a per-slot base (the slot's
 * first high watermark): 12 bytes a sample. The first value whose difference does not fit (a
 * partition with more than 2^31 messages between its low watermark and a commit) widens the whole
 * group to 64-bit floats (24 bytes a sample), exactly as SampleRing stores them. Slots of removed
 * partitions are reused; the arrays grow by doubling.
 */
export class WindowColumns {
  readonly capacity: number;
  /** Narrow store: (value - base) per sample, NARROW_NONE for no commit; undefined once wide. */
  #narrow: Int32Array | undefined;
  #base: Float64Array;
  /** Wide store (as SampleRing: NONE for no commit); undefined while narrow. */
  #wide: Float64Array | undefined;
  #start: Uint16Array;
  #length: Uint16Array;
  #slots = 0;
  readonly #free: number[] = [];

  constructor(capacity: number, initialSlots = 4) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0xffff) throw new RangeError(`capacity: must be an integer in 1..65535, got ${capacity}`);
    this.capacity = capacity;
    const n = Math.max(1, initialSlots);
    this.#narrow = new Int32Array(n * capacity * 3);
    this.#base = new Float64Array(n);
    this.#start = new Uint16Array(n);
    this.#length = new Uint16Array(n);
  }

  /** Slots the arrays have room for (grows by doubling). */
  get allocated(): number {
    return this.#base.length;
  }

  /** Whether the samples are stored as 64-bit floats (some value did not fit 32 bits). */
  get wide(): boolean {
    return this.#wide !== undefined;
  }

  /** A new empty window; returns its slot. */
  add(): number {
    const slot = this.#free.pop() ?? this.#slots++;
    if (slot >= this.#base.length) this.#grow();
    this.#start[slot] = 0;
    this.#length[slot] = 0;
    return slot;
  }

  /** Forgets a window; its slot may be handed out again by `add`. */
  remove(slot: number): void {
    this.#length[slot] = 0;
    this.#free.push(slot);
  }

  length(slot: number): number {
    return this.#length[slot]!;
  }

  /** Appends this cycle's sample to a window, dropping its oldest when full. */
  push(slot: number, committed: Position | undefined, low: Position, high: Position): void {
    const cap = this.capacity;
    let k: number;
    const n = this.#length[slot]!;
    if (n < cap) {
      k = (this.#start[slot]! + n) % cap;
      this.#length[slot] = n + 1;
    } else {
      k = this.#start[slot]!;
      this.#start[slot] = (k + 1) % cap;
    }
    const at = (slot * cap + k) * 3;
    const c = committed === undefined || committed === NONE ? NONE : committed;
    if (this.#narrow) {
      if (n === 0) this.#base[slot] = high;
      const base = this.#base[slot]!;
      if (fits(c === NONE ? base : c - base) && fits(low - base) && fits(high - base)) {
        const d = this.#narrow;
        d[at] = c === NONE ? NARROW_NONE : c - base;
        d[at + 1] = low - base;
        d[at + 2] = high - base;
        return;
      }
      this.#widen();
    }
    const d = this.#wide!;
    d[at] = c;
    d[at + 1] = low;
    d[at + 2] = high;
  }

  committed(slot: number, i: number): Position | undefined {
    const at = this.#at(slot, i);
    if (this.#narrow) {
      const v = this.#narrow[at]!;
      return v === NARROW_NONE ? undefined : this.#base[slot]! + v;
    }
    const v = this.#wide![at]!;
    return v === NONE ? undefined : v;
  }

  low(slot: number, i: number): Position {
    const at = this.#at(slot, i) + 1;
    return this.#narrow ? this.#base[slot]! + this.#narrow[at]! : this.#wide![at]!;
  }

  high(slot: number, i: number): Position {
    const at = this.#at(slot, i) + 2;
    return this.#narrow ? this.#base[slot]! + this.#narrow[at]! : this.#wide![at]!;
  }

  /** A SampleWindow of one slot (an object per call: for a few windows, not a hot loop). */
  window(slot: number): SampleWindow {
    const cursor = new WindowCursor(this);
    cursor.slot = slot;
    return cursor;
  }

  /**
   * The windows of these slots for the status rules, as ONE cursor moved from slot to slot: each
   * window yielded is valid until the next is yielded (groupStatus reads each window within its
   * loop step), so a group's evaluation allocates no object per partition.
   */
  *windows(slots: Iterable<number>): Generator<SampleWindow> {
    const cursor = new WindowCursor(this);
    for (const s of slots) {
      cursor.slot = s;
      yield cursor;
    }
  }

  #at(slot: number, i: number): number {
    const n = this.#length[slot]!;
    if (i < 0 || i >= n) throw new RangeError(`sample ${i} out of range 0..${n - 1}`);
    return (slot * this.capacity + ((this.#start[slot]! + i) % this.capacity)) * 3;
  }

  /** Room for `slots` windows in all (at once, rather than by doubling). */
  reserve(slots: number): void {
    if (slots > this.#base.length) this.#grow(slots);
  }

  #grow(slots = this.#base.length * 2): void {
    const n = slots;
    const per = this.capacity * 3;
    const copy = <A extends Int32Array | Float64Array | Uint16Array>(a: A, make: (len: number) => A, len: number): A => {
      const b = make(len);
      b.set(a);
      return b;
    };
    if (this.#narrow) this.#narrow = copy(this.#narrow, (l) => new Int32Array(l), n * per);
    if (this.#wide) this.#wide = copy(this.#wide, (l) => new Float64Array(l), n * per);
    this.#base = copy(this.#base, (l) => new Float64Array(l), n);
    this.#start = copy(this.#start, (l) => new Uint16Array(l), n);
    this.#length = copy(this.#length, (l) => new Uint16Array(l), n);
  }

  /** Every stored sample to 64-bit floats, for good (see the class comment). */
  #widen(): void {
    const narrow = this.#narrow!;
    const wide = new Float64Array(narrow.length);
    const per = this.capacity * 3;
    for (let slot = 0; slot < this.#base.length; slot++) {
      const base = this.#base[slot]!;
      for (let at = slot * per; at < (slot + 1) * per; at += 3) {
        wide[at] = narrow[at] === NARROW_NONE ? NONE : base + narrow[at]!;
        wide[at + 1] = base + narrow[at + 1]!;
        wide[at + 2] = base + narrow[at + 2]!;
      }
    }
    this.#wide = wide;
    this.#narrow = undefined;
  }
}

/** A difference that the narrow store holds (NARROW_NONE stays reserved). */
const fits = (d: number): boolean => Number.isInteger(d) && d > NARROW_NONE && d <= NARROW_MAX;

/** One slot of a WindowColumns seen as a SampleWindow. */
class WindowCursor implements SampleWindow {
  slot = 0;
  readonly #c: WindowColumns;

  constructor(columns: WindowColumns) {
    this.#c = columns;
  }

  get length(): number {
    return this.#c.length(this.slot);
  }

  committed(i: number): Position | undefined {
    return this.#c.committed(this.slot, i);
  }

  low(i: number): Position {
    return this.#c.low(this.slot, i);
  }

  high(i: number): Position {
    return this.#c.high(this.slot, i);
  }
}

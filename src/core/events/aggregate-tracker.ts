import { hash64Into, type Hash64 } from './hash64.js';

/** What one event did to its aggregate's version sequence. */
export type VersionOutcome =
  /** First version seen for the aggregate (or seen again after eviction): nothing to compare. */
  | { kind: 'first' }
  /** The next version: v = last + 1. */
  | { kind: 'next' }
  /** Skipped ahead: `missing` versions between the last one and this one were not seen. */
  | { kind: 'gap'; missing: number }
  /** Went back: v < last (a late or replayed event). */
  | { kind: 'out_of_order' }
  /** Same version as the last one (a redelivery; the dedupe window judges it by id). */
  | { kind: 'repeat' };

/** `observeFingerprint` outcomes (the same cases as VersionOutcome, as numbers: no object per event). */
export const VERSION_FIRST = 0;
export const VERSION_NEXT = 1;
/** A gap: `AggregateTracker.missing` holds the number of missing versions. */
export const VERSION_GAP = 2;
export const VERSION_OUT_OF_ORDER = 3;
export const VERSION_REPEAT = 4;

const FIRST: VersionOutcome = { kind: 'first' };
const NEXT: VersionOutcome = { kind: 'next' };
const OOO: VersionOutcome = { kind: 'out_of_order' };
const REPEAT: VersionOutcome = { kind: 'repeat' };

/** Words per entry: fingerprint hi, lo, LRU prev, next, then the version as one float64. */
const W = 6;
const NONE = -1;
const FIRST_CAPACITY = 1024;

/**
 * Last version seen per aggregate, in a bounded LRU.
 *
 * The version compared against is the highest seen, so 1,2,4,3 counts one gap (3 missing when
 * 4 arrives) and one out-of-order (3 arriving late): counters never go back, and a reordering
 * really was a gap for whoever read the stream at that moment. An evicted aggregate starts
 * over as `first` (a possible gap is then not seen); evictions are counted so that operators
 * can raise `maxAggregates` when they are frequent.
 *
 * Aggregates are keyed by the 64-bit fingerprint of their id (`hash64`, as the dedupe window
 * keys event ids), so the tail never makes a string per event. Two aggregate ids with the same
 * fingerprint would share one version sequence: with n aggregates tracked, a new aggregate
 * collides with probability n / 2^64 (5.4e-15 at the default 100 000), so about one collision
 * in 10^14 new aggregates. Entries live in typed arrays (24 bytes each, plus 8 to 16 bytes
 * of index), grown by doubling up to `maxAggregates`; the index is an open-addressing table
 * with linear probing and backward-shift deletion, and the LRU order a doubly linked list
 * through the entries.
 */
export class AggregateTracker {
  readonly maxAggregates: number;
  evictions = 0;
  /** Missing versions of the last `VERSION_GAP` outcome. */
  missing = 0;
  #size = 0;
  #capacity = 0;
  #keys = new Uint32Array(0);
  #links = new Int32Array(0);
  #versions = new Float64Array(0);
  #index = new Int32Array(0);
  #mask = 0;
  /** Least recently used entry. */
  #head = NONE;
  /** Most recently used entry. */
  #tail = NONE;
  readonly #h: Hash64 = { hi: 0, lo: 0 };

  constructor(maxAggregates: number) {
    if (!Number.isInteger(maxAggregates) || maxAggregates < 1) throw new RangeError(`maxAggregates must be a positive integer, got ${maxAggregates}`);
    this.maxAggregates = maxAggregates;
    this.#grow(Math.min(maxAggregates, FIRST_CAPACITY));
  }

  observe(aggregateId: string, version: number): VersionOutcome {
    hash64Into(aggregateId, this.#h);
    switch (this.observeFingerprint(this.#h.hi, this.#h.lo, version)) {
      case VERSION_FIRST:
        return FIRST;
      case VERSION_NEXT:
        return NEXT;
      case VERSION_GAP:
        return { kind: 'gap', missing: this.missing };
      case VERSION_REPEAT:
        return REPEAT;
      default:
        return OOO;
    }
  }

  /** `observe` for the fingerprint of the aggregate id; returns a `VERSION_*` outcome. */
  observeFingerprint(hi: number, lo: number, version: number): number {
    const keys = this.#keys;
    const index = this.#index;
    const mask = this.#mask;
    let i = lo & mask;
    for (;;) {
      const e = index[i]! - 1;
      if (e < 0) break;
      if (keys[W * e] === hi && keys[W * e + 1] === lo) return this.#seen(e, version);
      i = (i + 1) & mask;
    }
    // A new aggregate: into a free entry, or the least recently used one's.
    let e: number;
    if (this.#size < this.maxAggregates) {
      if (this.#size === this.#capacity) {
        this.#grow(Math.min(this.maxAggregates, this.#capacity * 2));
        return this.observeFingerprint(hi, lo, version);
      }
      e = this.#size++;
    } else {
      e = this.#head;
      this.#unindex(e);
      this.#unlink(e);
      this.evictions++;
      i = this.#freeSlot(lo);
    }
    this.#keys[W * e] = hi;
    this.#keys[W * e + 1] = lo;
    this.#versions[(W * e + 4) / 2] = version;
    this.#index[i] = e + 1;
    this.#append(e);
    return VERSION_FIRST;
  }

  get size(): number {
    return this.#size;
  }

  #seen(e: number, version: number): number {
    const v = (W * e + 4) / 2;
    const last = this.#versions[v]!;
    this.#versions[v] = Math.max(last, version);
    if (e !== this.#tail) {
      this.#unlink(e);
      this.#append(e);
    }
    if (version === last + 1) return VERSION_NEXT;
    if (version > last + 1) {
      this.missing = version - last - 1;
      return VERSION_GAP;
    }
    if (version === last) return VERSION_REPEAT;
    return VERSION_OUT_OF_ORDER;
  }

  #freeSlot(lo: number): number {
    let i = lo & this.#mask;
    while (this.#index[i] !== 0) i = (i + 1) & this.#mask;
    return i;
  }

  /** Removes entry e from the index (backward-shift deletion keeps every probe chain whole). */
  #unindex(e: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let hole = this.#keys[W * e + 1]! & mask;
    while (index[hole] !== e + 1) hole = (hole + 1) & mask;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const f = index[j]!;
      if (f === 0) break;
      const home = this.#keys[W * (f - 1) + 1]! & mask;
      // f may fill the hole unless its home lies cyclically in (hole, j]
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        index[hole] = f;
        hole = j;
      }
    }
    index[hole] = 0;
  }

  #unlink(e: number): void {
    const links = this.#links;
    const prev = links[W * e + 2]!;
    const next = links[W * e + 3]!;
    if (prev === NONE) this.#head = next;
    else links[W * prev + 3] = next;
    if (next === NONE) this.#tail = prev;
    else links[W * next + 2] = prev;
  }

  #append(e: number): void {
    const links = this.#links;
    links[W * e + 2] = this.#tail;
    links[W * e + 3] = NONE;
    if (this.#tail === NONE) this.#head = e;
    else links[W * this.#tail + 3] = e;
    this.#tail = e;
  }

  /** Entries keep their numbers; the index is rebuilt at twice the capacity or more. */
  #grow(capacity: number): void {
    const buf = new ArrayBuffer(capacity * W * 4);
    const keys = new Uint32Array(buf);
    keys.set(this.#keys);
    this.#keys = keys;
    this.#links = new Int32Array(buf);
    this.#versions = new Float64Array(buf);
    this.#capacity = capacity;
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.#index = new Int32Array(slots);
    this.#mask = slots - 1;
    for (let e = 0; e < this.#size; e++) this.#index[this.#freeSlot(this.#keys[W * e + 1]!)] = e + 1;
  }
}

import type { EpochMillis } from '../units.js';
import { hash64Into, type Hash64 } from './hash64.js';

/** Options of a dedupe window; validated at construction. */
export interface DedupeWindowOptions {
  /** Remember at least this many most recent ids (count limit). */
  maxIds: number;
  /** Remember ids for at least this long (time limit), in milliseconds. */
  windowMs: number;
  /**
   * Number of time buckets (2..64). Ids expire a bucket at a time, so an id may outlive
   * either limit by one bucket (`1 / (buckets - 1)` of it). Default 16.
   */
  buckets?: number;
  /** Highest fill of the table by live ids. Default 0.7 (linear probing stays short). */
  maxLoad?: number;
  /**
   * Fingerprint width in bits, 16..64. Only tests lower it, to measure the false-positive
   * rate at a size where collisions are observable. Default 64.
   */
  fingerprintBits?: number;
}

/** What the window holds right now, for the fill/memory gauges. */
export interface DedupeWindowStats {
  /** Fingerprints in live (not yet expired) buckets. */
  ids: number;
  /** ids / maxIds (can exceed 1 by at most one bucket: the count limit is a lower bound). */
  fill: number;
  /** Bytes of the typed arrays: the whole footprint, allocated up front. */
  bytes: number;
  /** Milliseconds of history the live buckets cover (below windowMs when the count limit binds). */
  spanMs: number;
}

/** Epoch tags are kept 16-bit wide; a sweep clears every dead slot before a tag value can come back. */
const TAG_MASK = 0xffff;
const SWEEP_EVERY_EPOCHS = 0x8000;

/**
 * A bounded "seen recently" set of event ids, stored as 64-bit fingerprints.
 *
 * One open-addressing table (linear probing) of slots of three 32-bit words in one
 * Uint32Array: the fingerprint (hi, lo) and its bucket tag, 12 bytes per slot, so a lookup
 * touches one cache line (a separate tag array cost a second cache miss per event and halved
 * the rate at 10M ids). Time is cut into
 * buckets (epochs); the newest takes inserts and rotates when it holds `maxIds/(buckets-1)`
 * ids (count limit) or is `windowMs/(buckets-1)` old (time limit). A slot whose epoch has left
 * the last `buckets` epochs is dead: lookups walk past it, inserts reuse it, and a sweep
 * (an in-place rehash of the live slots) runs when dead slots make the table too full. So a
 * whole bucket expires at once without touching its slots, and a lookup is one probe chain
 * (one or two cache misses) whatever the number of buckets.
 *
 * Guarantees (docs/streams.md):
 * - an id seen again within `windowMs` AND within the last `maxIds` ids is always reported;
 * - an id may still be reported up to one bucket beyond either limit, never further;
 * - a different id is wrongly reported with probability about `ids / 2^64` per lookup
 *   (two distinct ids with equal fingerprints); measured in the unit tests.
 *
 * Time is the caller's (the tail passes broker timestamps) and is made monotonic here, so
 * records of several partitions interleaving slightly out of time order do not rewind it.
 */
export class DedupeWindow {
  readonly maxIds: number;
  readonly windowMs: number;
  readonly capacity: number;
  /** Slots of three words: fingerprint hi, lo, bucket tag. One cache line holds the whole slot. */
  readonly #slots: Uint32Array;
  readonly #buckets: number;
  readonly #perBucket: number;
  readonly #spanMs: number;
  readonly #maxUsed: number;
  /** Per bucket ring position: live ids, first and last insert time (NaN when empty). */
  readonly #count: Float64Array;
  readonly #start: Float64Array;
  readonly #last: Float64Array;
  readonly #hiMask: number;
  readonly #loMask: number;
  readonly #h: Hash64 = { hi: 0, lo: 0 };
  /** Current epoch (monotonic); its ring position is epoch % buckets, kept in #pos. */
  #epoch = 0;
  #pos = 0;
  #sweptAt = 0;
  /** Non-empty slots (live + dead). */
  #used = 0;
  #now = -Infinity;
  /** Where `checkGroup` keeps what its loads read, so that they are not optimised away. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written, never read, on purpose (see above)
  #touched = 0;
  /** Sweeps run so far (a measure of the amortised cost, for the benchmark). */
  sweeps = 0;

  constructor(opts: DedupeWindowOptions) {
    const { maxIds, windowMs, buckets = 16, maxLoad = 0.7, fingerprintBits = 64 } = opts;
    if (!Number.isInteger(maxIds) || maxIds < 1) throw new RangeError(`maxIds must be a positive integer, got ${maxIds}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    if (!Number.isInteger(buckets) || buckets < 2 || buckets > 64) throw new RangeError(`buckets must be an integer in 2..64, got ${buckets}`);
    if (!(maxLoad > 0 && maxLoad <= 0.8)) throw new RangeError(`maxLoad must be in (0, 0.8], got ${maxLoad}`);
    if (!Number.isInteger(fingerprintBits) || fingerprintBits < 16 || fingerprintBits > 64) {
      throw new RangeError(`fingerprintBits must be an integer in 16..64, got ${fingerprintBits}`);
    }
    this.maxIds = maxIds;
    this.windowMs = windowMs;
    this.#buckets = buckets;
    this.#perBucket = Math.ceil(maxIds / (buckets - 1));
    this.#spanMs = windowMs / (buckets - 1);
    // Live ids never exceed maxIds plus the bucket being filled. Any size works (home slots
    // come from multiply-shift, not a mask), so no power-of-two rounding wastes memory.
    const live = (buckets - 1) * this.#perBucket + this.#perBucket;
    this.capacity = Math.max(16, Math.ceil(live / maxLoad));
    // Dead slots lengthen the probe chains of new ids (linear probing at load a costs about
    // (1 + 1/(1-a)^2)/2 probes: 6 at 0.7, 13 at 0.8, 32 at 0.875), so sweep them out early.
    this.#maxUsed = Math.floor(this.capacity * Math.min(0.85, live / this.capacity + 0.08));
    this.#slots = new Uint32Array(this.capacity * 3);
    this.#count = new Float64Array(buckets);
    this.#start = new Float64Array(buckets).fill(NaN);
    this.#last = new Float64Array(buckets).fill(NaN);
    this.#hiMask = fingerprintBits >= 64 ? 0xffffffff : fingerprintBits > 32 ? 2 ** (fingerprintBits - 32) - 1 : 0;
    this.#loMask = fingerprintBits >= 32 ? 0xffffffff : 2 ** fingerprintBits - 1;
  }

  /**
   * Records `id` at time `now` and returns true when it was already seen within the window
   * (a duplicate). A duplicate is refreshed, so the window runs from its latest sighting.
   */
  check(id: string, now: EpochMillis): boolean {
    hash64Into(id, this.#h);
    return this.checkFingerprint(this.#h.hi, this.#h.lo, now);
  }

  /**
   * `checkFingerprint` for `n` fingerprints in order (`hi[k], lo[k]` at `now[k]`); writes 1 to
   * `duplicate[k]` for each duplicate, else 0. The same answers as n single checks; faster on a
   * large window: the home slots of the whole group are loaded first, in one loop of
   * independent reads, so the cache misses overlap instead of costing one memory latency per
   * id (1.5-2x at 1-10M ids; docs/performance.md).
   */
  checkGroup(hi: Uint32Array, lo: Uint32Array, now: Float64Array, n: number, duplicate: Uint8Array): void {
    const s = this.#slots;
    let touched = 0;
    for (let k = 0; k < n; k++) touched ^= s[3 * this.#home((lo[k]! & this.#loMask) >>> 0)]!;
    this.#touched = touched;
    for (let k = 0; k < n; k++) duplicate[k] = this.checkFingerprint(hi[k]!, lo[k]!, now[k]!) ? 1 : 0;
  }

  /** `check` for a precomputed fingerprint. */
  checkFingerprint(hi: number, lo: number, now: EpochMillis): boolean {
    hi = (hi & this.#hiMask) >>> 0;
    lo = (lo & this.#loMask) >>> 0;
    if (hi === 0 && lo === 0) lo = 1; // (0, 0) marks an empty slot
    this.#advance(now);
    if (this.#count[this.#pos]! >= this.#perBucket) this.#rotate();
    const s = this.#slots;
    const cap = this.capacity;
    const cur = this.#epoch & TAG_MASK;
    const oldest = this.#now - this.windowMs;
    let reuse = -1;
    let i = this.#home(lo);
    for (;;) {
      const h = s[3 * i]!;
      const l = s[3 * i + 1]!;
      if (h === 0 && l === 0) break;
      const age = (cur - s[3 * i + 2]!) & TAG_MASK;
      const alive = age < this.#buckets && this.#last[this.#ring(age)]! >= oldest;
      if (h === hi && l === lo) {
        if (alive) {
          if (age !== 0) this.#move(i, age);
          return true;
        }
        // The same id, expired: reuse its own slot.
        this.#claim(i, false);
        return false;
      }
      if (!alive && reuse < 0) reuse = i;
      if (++i === cap) i = 0;
    }
    if (reuse >= 0) {
      s[3 * reuse] = hi;
      s[3 * reuse + 1] = lo;
      this.#claim(reuse, false);
    } else {
      s[3 * i] = hi;
      s[3 * i + 1] = lo;
      this.#claim(i, true);
      if (this.#used > this.#maxUsed) this.#sweep();
    }
    return false;
  }

  stats(): DedupeWindowStats {
    const oldest = this.#now - this.windowMs;
    let ids = 0;
    let first = Infinity;
    for (let age = 0; age < this.#buckets && age <= this.#epoch; age++) {
      const b = (this.#epoch - age) % this.#buckets;
      if (this.#last[b]! >= oldest) {
        ids += this.#count[b]!;
        first = Math.min(first, this.#start[b]!);
      }
    }
    return { ids, fill: ids / this.maxIds, bytes: this.#slots.byteLength, spanMs: ids === 0 ? 0 : Math.max(0, this.#now - first) };
  }

  /** Tags slot i with the current epoch and counts it there. */
  #claim(i: number, fresh: boolean): void {
    const b = this.#pos;
    this.#slots[3 * i + 2] = this.#epoch & TAG_MASK;
    this.#count[b]!++;
    if (Number.isNaN(this.#start[b]!)) this.#start[b] = this.#now;
    this.#last[b] = this.#now;
    if (fresh) this.#used++;
  }

  /** Refresh: move a live slot from an older bucket to the current one. */
  #move(i: number, age: number): void {
    this.#count[this.#ring(age)]!--;
    this.#claim(i, false);
  }

  /**
   * Home slot of a fingerprint: multiply-shift onto [0, capacity). The golden-ratio multiply
   * spreads narrow (test-only) fingerprints over the whole table; for full 64-bit ones it is a
   * bijection of an already uniform word.
   */
  #home(lo: number): number {
    return Math.floor(((Math.imul(lo, 0x9e3779b1) >>> 0) / 4294967296) * this.capacity);
  }

  /** Ring position of the bucket `age` epochs back (0 <= age < buckets): no division per probe. */
  #ring(age: number): number {
    const p = this.#pos - age;
    return p < 0 ? p + this.#buckets : p;
  }

  /** Moves the clock forward (never back) and rotates out buckets older than one span. */
  #advance(now: EpochMillis): void {
    if (now > this.#now) this.#now = now;
    const start = this.#start[this.#pos]!;
    if (Number.isNaN(start) || this.#now - start < this.#spanMs) return;
    const steps = Math.floor((this.#now - start) / this.#spanMs);
    // A quiet stream: after a whole window of silence every bucket has expired.
    for (let k = 0; k < Math.min(steps, this.#buckets); k++) this.#rotate();
  }

  #rotate(): void {
    this.#epoch++;
    this.#pos = this.#pos + 1 === this.#buckets ? 0 : this.#pos + 1;
    const b = this.#pos;
    this.#count[b] = 0;
    this.#start[b] = NaN;
    this.#last[b] = NaN;
    // Tags are 16-bit: clear dead slots before an old tag value could look current again.
    if (this.#epoch - this.#sweptAt >= SWEEP_EVERY_EPOCHS) this.#sweep();
  }

  /**
   * Empties dead slots and rehashes the live ones in place. Walking the ring from an empty
   * slot and re-inserting each live entry keeps every probe chain intact (an entry can only
   * move back towards its home slot, over slots already settled).
   */
  #sweep(): void {
    this.sweeps++;
    this.#sweptAt = this.#epoch;
    const s = this.#slots;
    const cap = this.capacity;
    const cur = this.#epoch & TAG_MASK;
    const oldest = this.#now - this.windowMs;
    const isLive = (i: number): boolean => {
      const age = (cur - s[3 * i + 2]!) & TAG_MASK;
      return age < this.#buckets && this.#last[(this.#epoch - age) % this.#buckets]! >= oldest;
    };
    // An empty slot from before the drop: no probe chain crosses it, so walking the ring
    // from there, every entry's path from its home lies in slots already settled. (A slot
    // emptied by the drop would not do: chains cross it.)
    let startAt = 0;
    while (s[3 * startAt] !== 0 || s[3 * startAt + 1] !== 0) startAt++;
    // 1) drop dead slots
    let used = 0;
    for (let i = 0; i < this.capacity; i++) {
      if (s[3 * i] === 0 && s[3 * i + 1] === 0) continue;
      if (isLive(i)) used++;
      else {
        s[3 * i] = 0;
        s[3 * i + 1] = 0;
      }
    }
    this.#used = used;
    // 2) re-settle live slots
    for (let k = 1; k <= cap; k++) {
      const i = (startAt + k) % cap;
      const h = s[3 * i]!;
      const l = s[3 * i + 1]!;
      if (h === 0 && l === 0) continue;
      let j = this.#home(l);
      while (j !== i && (s[3 * j] !== 0 || s[3 * j + 1] !== 0)) j = j + 1 === cap ? 0 : j + 1;
      if (j !== i) {
        s[3 * j] = h;
        s[3 * j + 1] = l;
        s[3 * j + 2] = s[3 * i + 2]!;
        s[3 * i] = 0;
        s[3 * i + 1] = 0;
      }
    }
  }
}

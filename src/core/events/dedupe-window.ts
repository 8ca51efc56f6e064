import type { EpochMillis } from '../units.js';
import { FingerprintTable } from './fingerprint-table.js';
import { hash64Into, type Hash64 } from './hash64.js';

/** Options of a dedupe window; validated at construction. */
export interface DedupeWindowOptions {
  /** Remember at least this many most recent ids (count limit). */
  maxIds: number;
  /** Remember ids for at least this long (time limit), in milliseconds. */
  windowMs: number;
  /**
   * Number of time buckets (>= 2). Memory is `buckets` tables of `maxIds / (buckets - 1)` ids;
   * more buckets waste less memory on the expiring bucket but cost more probes per lookup.
   * Default 8.
   */
  buckets?: number;
  /** Highest fill of one bucket table before it rotates. Default 0.75 (linear probing). */
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
  /** Bytes of the typed arrays (the whole footprint: the tables are allocated up front). */
  bytes: number;
  /** Milliseconds of history the live buckets cover (below windowMs when the count limit binds). */
  spanMs: number;
}

/**
 * A bounded "seen recently" set of event ids, stored as 64-bit fingerprints in a ring of
 * fixed-size hash tables (time buckets). The newest bucket takes inserts; it rotates when it is
 * full (count limit) or older than `windowMs / (buckets - 1)` (time limit). Rotating clears the
 * oldest bucket in one `fill(0)`: expiry is per bucket, never per id, so there is no per-id
 * timestamp and no deletion in the hash tables.
 *
 * Guarantees (see docs/streams.md):
 * - an id seen again within `windowMs` AND within the last `maxIds` ids is always reported;
 * - an id may still be reported up to one bucket beyond either limit (`windowMs / (buckets-1)`
 *   later, or `maxIds / (buckets-1)` ids later), never further;
 * - a different id is wrongly reported with probability about `ids / 2^64` per lookup
 *   (two distinct ids with the same fingerprint); measured in the unit tests.
 *
 * Time is the caller's (the tail passes broker timestamps) and is made monotonic here, so
 * records of several partitions interleaving slightly out of time order do not rewind it.
 */
export class DedupeWindow {
  readonly maxIds: number;
  readonly windowMs: number;
  readonly #tables: FingerprintTable[];
  /** Time of the first insert into each bucket (NaN when empty). */
  readonly #start: Float64Array;
  /** Time of the last insert into each bucket (NaN when empty). */
  readonly #last: Float64Array;
  readonly #perBucket: number;
  readonly #spanMs: number;
  readonly #hiMask: number;
  readonly #loMask: number;
  readonly #h: Hash64 = { hi: 0, lo: 0 };
  #cur = 0;
  #now = -Infinity;

  constructor(opts: DedupeWindowOptions) {
    const { maxIds, windowMs, buckets = 8, maxLoad = 0.75, fingerprintBits = 64 } = opts;
    if (!Number.isInteger(maxIds) || maxIds < 1) throw new RangeError(`maxIds must be a positive integer, got ${maxIds}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    if (!Number.isInteger(buckets) || buckets < 2 || buckets > 64) throw new RangeError(`buckets must be an integer in 2..64, got ${buckets}`);
    if (!(maxLoad > 0 && maxLoad <= 0.9)) throw new RangeError(`maxLoad must be in (0, 0.9], got ${maxLoad}`);
    if (!Number.isInteger(fingerprintBits) || fingerprintBits < 16 || fingerprintBits > 64) {
      throw new RangeError(`fingerprintBits must be an integer in 16..64, got ${fingerprintBits}`);
    }
    this.maxIds = maxIds;
    this.windowMs = windowMs;
    this.#perBucket = Math.ceil(maxIds / (buckets - 1));
    this.#spanMs = windowMs / (buckets - 1);
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(8, this.#perBucket / maxLoad)));
    this.#tables = Array.from({ length: buckets }, () => new FingerprintTable(capacity));
    this.#start = new Float64Array(buckets).fill(NaN);
    this.#last = new Float64Array(buckets).fill(NaN);
    this.#hiMask = fingerprintBits >= 64 ? 0xffffffff : fingerprintBits > 32 ? 2 ** (fingerprintBits - 32) - 1 : 0;
    this.#loMask = fingerprintBits >= 32 ? 0xffffffff : 2 ** fingerprintBits - 1;
  }

  /**
   * Records `id` at time `now` and returns true when it was already seen within the window
   * (a duplicate). A duplicate refreshes the id, so the window runs from its latest sighting.
   */
  check(id: string, now: EpochMillis): boolean {
    hash64Into(id, this.#h);
    return this.checkFingerprint(this.#h.hi, this.#h.lo, now);
  }

  /** `check` for a precomputed fingerprint. */
  checkFingerprint(hi: number, lo: number, now: EpochMillis): boolean {
    hi = (hi & this.#hiMask) >>> 0;
    lo = (lo & this.#loMask) >>> 0;
    if (hi === 0 && lo === 0) lo = 1; // (0, 0) marks an empty slot
    this.#advance(now);
    const t = this.#now;
    const n = this.#tables.length;
    const oldest = t - this.windowMs;
    const cur = this.#tables[this.#cur]!;
    let dup = cur.has(hi, lo);
    if (!dup) {
      for (let k = 1; k < n; k++) {
        const b = (this.#cur - k + n) % n;
        // A bucket whose newest id is older than the window has fully expired.
        if (!(this.#last[b]! >= oldest)) continue;
        if (this.#tables[b]!.has(hi, lo)) {
          dup = true;
          break;
        }
      }
    }
    if (!(dup && cur.has(hi, lo))) this.#insert(hi, lo, t);
    return dup;
  }

  stats(): DedupeWindowStats {
    const n = this.#tables.length;
    const oldest = this.#now - this.windowMs;
    let ids = 0;
    let first = Infinity;
    let bytes = 0;
    for (let b = 0; b < n; b++) {
      bytes += this.#tables[b]!.bytes;
      if (this.#last[b]! >= oldest) {
        ids += this.#tables[b]!.size;
        first = Math.min(first, this.#start[b]!);
      }
    }
    return { ids, fill: ids / this.maxIds, bytes, spanMs: ids === 0 ? 0 : Math.max(0, this.#now - first) };
  }

  #insert(hi: number, lo: number, t: EpochMillis): void {
    if (this.#tables[this.#cur]!.size >= this.#perBucket) this.#rotate(t);
    const b = this.#cur;
    this.#tables[b]!.add(hi, lo);
    if (Number.isNaN(this.#start[b]!)) this.#start[b] = t;
    this.#last[b] = t;
  }

  /** Moves the clock forward (never back) and rotates out buckets older than one span. */
  #advance(now: EpochMillis): void {
    if (now > this.#now) this.#now = now;
    const start = this.#start[this.#cur]!;
    if (Number.isNaN(start) || this.#now - start < this.#spanMs) return;
    const steps = Math.floor((this.#now - start) / this.#spanMs);
    // A quiet stream: after a whole window of silence every bucket has expired.
    for (let i = 0; i < Math.min(steps, this.#tables.length); i++) this.#rotate(this.#now);
  }

  #rotate(_t: EpochMillis): void {
    this.#cur = (this.#cur + 1) % this.#tables.length;
    this.#tables[this.#cur]!.clear();
    this.#start[this.#cur] = NaN;
    this.#last[this.#cur] = NaN;
  }
}

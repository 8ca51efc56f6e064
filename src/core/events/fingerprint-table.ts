/**
 * One fixed-size open-addressing set of 64-bit fingerprints (linear probing), stored as
 * interleaved (hi, lo) pairs in a Uint32Array. (0, 0) marks an empty slot, so callers must
 * never insert it (the dedupe window remaps it). No deletion: a table is cleared as a whole
 * when its time bucket expires, which is why the window is made of several tables.
 */
export class FingerprintTable {
  readonly slots: Uint32Array;
  readonly capacity: number;
  readonly #mask: number;
  size = 0;

  /** `capacity` must be a power of two; the caller keeps the load factor below 1. */
  constructor(capacity: number) {
    if (!Number.isInteger(Math.log2(capacity))) throw new RangeError(`capacity must be a power of two, got ${capacity}`);
    this.capacity = capacity;
    this.#mask = capacity - 1;
    this.slots = new Uint32Array(capacity * 2);
  }

  /** True when the fingerprint is present. */
  has(hi: number, lo: number): boolean {
    const s = this.slots;
    let i = lo & this.#mask;
    for (;;) {
      const h = s[2 * i]!;
      const l = s[2 * i + 1]!;
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & this.#mask;
    }
  }

  /** Adds the fingerprint (no-op when present). The caller guarantees free space. */
  add(hi: number, lo: number): void {
    const s = this.slots;
    let i = lo & this.#mask;
    for (;;) {
      const h = s[2 * i]!;
      const l = s[2 * i + 1]!;
      if (h === 0 && l === 0) {
        s[2 * i] = hi;
        s[2 * i + 1] = lo;
        this.size++;
        return;
      }
      if (h === hi && l === lo) return;
      i = (i + 1) & this.#mask;
    }
  }

  clear(): void {
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }
}

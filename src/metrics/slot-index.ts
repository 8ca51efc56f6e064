/**
 * A map from a series' label text to its slot in a TableGauge: one Int32Array (open addressing,
 * linear probing) that reads the keys from the gauge's own slots. A `Map<string, number>` of
 * 25 000 series holds ~0.9 MB of hash table in V8's old space (3.5 words per entry, for a
 * capacity of the next power of two); this holds 4 bytes per position at a load of at most 1/2
 * (0.25 MB for the same 25 000). The hash is computed here (V8's own string hash is not
 * reachable from JS) on a lookup, an insert and a delete: the gauge looks up only when its slot
 * hint misses, which a steady cycle rarely does.
 */
export class SlotIndex {
  /** slot + 1 per position; 0 = never used, -1 = deleted (a tombstone keeps probe chains whole). */
  #pos = new Int32Array(16);
  #size = 0;
  #used = 0; // live entries + tombstones
  readonly #keyOf: (slot: number) => string | undefined;

  constructor(keyOf: (slot: number) => string | undefined) {
    this.#keyOf = keyOf;
  }

  get size(): number {
    return this.#size;
  }

  get(key: string): number | undefined {
    const h = hashOf(key);
    const mask = this.#pos.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const p = this.#pos[i]!;
      if (p === 0) return undefined;
      if (p > 0 && this.#keyOf(p - 1) === key) return p - 1;
    }
  }

  /** Adds a key that is not in the index (the caller looked it up first). */
  add(key: string, slot: number): void {
    if ((this.#used + 1) * 2 > this.#pos.length) this.#rehash(this.#size + 1);
    if (this.#put(hashOf(key), slot + 1)) this.#used++;
    this.#size++;
  }

  delete(key: string): boolean {
    const h = hashOf(key);
    const mask = this.#pos.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const p = this.#pos[i]!;
      if (p === 0) return false;
      if (p > 0 && this.#keyOf(p - 1) === key) {
        this.#pos[i] = -1;
        this.#size--;
        return true;
      }
    }
  }

  clear(): void {
    this.#pos = new Int32Array(16);
    this.#size = 0;
    this.#used = 0;
  }

  /** Puts a value at the first free or deleted position of its chain; true when it was free. */
  #put(h: number, value: number): boolean {
    const mask = this.#pos.length - 1;
    let i = h & mask;
    while (this.#pos[i]! > 0) i = (i + 1) & mask;
    const fresh = this.#pos[i] === 0;
    this.#pos[i] = value;
    return fresh;
  }

  /** A table of the smallest power of two that keeps `live` entries at a load of at most 1/2. */
  #rehash(live: number): void {
    let n = 16;
    while (n < live * 2) n *= 2;
    const pos = this.#pos;
    this.#pos = new Int32Array(n);
    this.#used = 0;
    for (let i = 0; i < pos.length; i++) {
      const p = pos[i]!;
      if (p > 0 && this.#put(hashOf(this.#keyOf(p - 1)!), p)) this.#used++;
    }
  }
}

/** FNV-1a over the UTF-16 code units, as a signed 32-bit integer. */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

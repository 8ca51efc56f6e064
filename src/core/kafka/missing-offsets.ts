import type { Position } from '../units.js';

/** Slots of the hash table; the table stays at most half full. */
const MIN_TABLE = 1024;

/**
 * Distinct (topic, partition, offset) keys in order of first appearance, each with the largest lag
 * offered for it: the uncached record timestamps a cycle could read. Columns in typed arrays and
 * an open-addressing table of entry numbers, reused from cycle to cycle: at 5 000 groups x 100
 * partitions nearly every group-partition lags, and an object per offer plus a map per partition
 * (`TimestampCache.plan`'s nested maps over `ReadWanted` objects) were ~10^5-10^6 objects a cycle
 * that lived through the whole observe pass (docs/performance.md, "Large clusters").
 */
export class MissingOffsets {
  /** Topic name -> topic number, for this round. */
  readonly #topicIds = new Map<string, number>();
  readonly #topicNames: string[] = [];
  #topic = new Int32Array(256);
  #partition = new Int32Array(256);
  #offset = new Float64Array(256);
  #lag = new Float64Array(256);
  /** Entry number + 1 per table slot; 0 is empty. */
  #table = new Int32Array(MIN_TABLE);
  #size = 0;

  /** Number of distinct keys offered since `clear`. */
  get size(): number {
    return this.#size;
  }

  /** Forgets every key (the arrays are kept for the next round). */
  clear(): void {
    this.#topicIds.clear();
    this.#topicNames.length = 0;
    this.#table.fill(0);
    this.#size = 0;
  }

  /** Adds a key, or raises its lag to `lag` when it was offered with less. */
  offer(topic: string, partition: number, offset: Position, lag: number): void {
    let t = this.#topicIds.get(topic);
    if (t === undefined) {
      t = this.#topicNames.length;
      this.#topicIds.set(topic, t);
      this.#topicNames.push(topic);
    }
    const mask = this.#table.length - 1;
    for (let h = hash(t, partition, offset) & mask; ; h = (h + 1) & mask) {
      const e = this.#table[h]! - 1;
      if (e < 0) break;
      if (this.#topic[e] === t && this.#partition[e] === partition && this.#offset[e] === offset) {
        if (this.#lag[e]! < lag) this.#lag[e] = lag;
        return;
      }
    }
    const e = this.#size++;
    if (e >= this.#lag.length) this.#growEntries();
    this.#topic[e] = t;
    this.#partition[e] = partition;
    this.#offset[e] = offset;
    this.#lag[e] = lag;
    if (2 * this.#size > this.#table.length) this.#rehash(this.#table.length * 2);
    else this.#place(e);
  }

  topic(e: number): string {
    return this.#topicNames[this.#topic[e]!]!;
  }

  partition(e: number): number {
    return this.#partition[e]!;
  }

  offset(e: number): Position {
    return this.#offset[e]!;
  }

  lag(e: number): number {
    return this.#lag[e]!;
  }

  /**
   * Entry numbers of the first `budget` keys of a stable sort by lag, descending (ties in order of
   * first appearance), without sorting them all: the budget is tens, the keys up to 10^6.
   */
  mostLagging(budget: number): number[] {
    const top: number[] = [];
    if (budget <= 0) return top;
    const lags = this.#lag;
    for (let e = 0; e < this.#size; e++) {
      const lag = lags[e]!;
      // An equal lag arriving later ranks after (stable): only a strictly larger one enters a full list.
      if (top.length === budget && lag <= lags[top[budget - 1]!]!) continue;
      let i = top.length;
      while (i > 0 && lags[top[i - 1]!]! < lag) i--;
      top.splice(i, 0, e);
      if (top.length > budget) top.pop();
    }
    return top;
  }

  #place(e: number): void {
    const mask = this.#table.length - 1;
    let h = hash(this.#topic[e]!, this.#partition[e]!, this.#offset[e]!) & mask;
    while (this.#table[h] !== 0) h = (h + 1) & mask;
    this.#table[h] = e + 1;
  }

  #rehash(slots: number): void {
    this.#table = new Int32Array(slots);
    for (let e = 0; e < this.#size; e++) this.#place(e);
  }

  #growEntries(): void {
    const n = this.#lag.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.#topic = i32(this.#topic);
    this.#partition = i32(this.#partition);
    this.#offset = f64(this.#offset);
    this.#lag = f64(this.#lag);
  }
}

/** Mixes the key's numbers (the offset as its low and high 32 bits) into 32 bits. */
function hash(topic: number, partition: number, offset: number): number {
  let h = Math.imul(topic ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ partition ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ (offset >>> 0) ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ Math.floor(offset / 0x1_0000_0000) ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

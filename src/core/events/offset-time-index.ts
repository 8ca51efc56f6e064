import type { EpochMillis } from '../units.js';

/**
 * Record timestamps by offset for one partition, to answer "when was the record at offset X
 * written" for the oldest unhandled dead letter. Bounded: past `maxEntries` every second entry
 * is dropped (the oldest is always kept), so the answer for an offset that was dropped is the
 * next kept one: younger by at most the spacing, i.e. the age is under-estimated by at most
 * (entries appended since the first halving) / maxEntries of the backlog. Entries below the
 * handled offset are pruned as it advances.
 */
export class OffsetTimeIndex {
  readonly maxEntries: number;
  #offsets: number[] = [];
  #times: number[] = [];
  /** The first offset read since the last reset: the index knows nothing below it. */
  #from = -1;

  constructor(maxEntries = 10_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 2) throw new RangeError(`maxEntries must be an integer >= 2, got ${maxEntries}`);
    this.maxEntries = maxEntries;
  }

  /** Forgets everything (the reader re-seeks); the next `add` starts the covered range. */
  reset(): void {
    this.#offsets = [];
    this.#times = [];
    this.#from = -1;
  }

  /**
   * Appends a record; offsets at or below the last one are ignored (re-reads). An offset below
   * the covered range means the reader went back (a seek): the index starts over from there.
   */
  add(offset: number, time: EpochMillis): void {
    if (this.#from < 0 || offset < this.#from) {
      this.reset();
      this.#from = offset;
    }
    const n = this.#offsets.length;
    if (n > 0 && offset <= this.#offsets[n - 1]!) return;
    this.#offsets.push(offset);
    this.#times.push(time);
    if (this.#offsets.length > this.maxEntries) {
      this.#offsets = this.#offsets.filter((_, i) => i % 2 === 0);
      this.#times = this.#times.filter((_, i) => i % 2 === 0);
    }
  }

  /**
   * Timestamp of the first indexed record at or after `offset`, or undefined when the index
   * does not cover it (read started above it, or nothing at or after it was read yet).
   * Prunes entries below `offset` (they are handled).
   */
  timeAt(offset: number): EpochMillis | undefined {
    let i = 0;
    while (i < this.#offsets.length && this.#offsets[i]! < offset) i++;
    if (i > 0) {
      this.#offsets.splice(0, i);
      this.#times.splice(0, i);
    }
    if (this.#from < 0 || this.#from > offset || this.#offsets.length === 0) return undefined;
    return this.#times[0];
  }

  get size(): number {
    return this.#offsets.length;
  }
}

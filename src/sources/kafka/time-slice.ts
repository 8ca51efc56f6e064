/**
 * Hands the event loop back once a slice of synchronous work has run for `sliceMs`: per group
 * counts do not bound a slice's time, since a group may consume 10 partitions or 10 000.
 * 5 ms by default: a scavenge (up to ~45 ms with the shipped 2 MB semi-spaces,
 * docs/performance.md "Runtime settings") can land inside a slice, and the two together are one
 * pause of the event loop, whose budget is 50 ms.
 * Usage, per unit of work:
 * `if (slice.due()) await slice.pause()` (an `await` per unit would cost a microtask each).
 */
export class TimeSlice {
  #start: number;

  constructor(
    readonly sliceMs = 5,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#start = this.now();
  }

  /** True once the current slice has run for `sliceMs`. */
  due(): boolean {
    return this.now() - this.#start >= this.sliceMs;
  }

  /** Yields to the event loop (timers and I/O run), then starts a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.#start = this.now();
  }
}

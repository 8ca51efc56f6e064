import type { TableGauge } from '../../metrics/table-gauge.js';

/** Cycle stamps are unique across books, so a stamp alone says "written in this cycle". */
let nextStamp = 1;
let nextOwner = 1;

/**
 * Remembers which series a source set on shared TableGauges, so that a cycle can remove exactly
 * the series it no longer reports (several clusters share the same gauges: `reset()` would wipe
 * the others). A cycle is `begin` .. `set`* .. `commit`; a scrape during a cycle may see some
 * values already updated, but never a series removed before `commit`. The book holds no
 * per-series state: each series in the gauge carries its writer and the cycle that last set it.
 */
export class SeriesBook {
  readonly #owner = nextOwner++;
  #stamp = 0;
  readonly #gauges = new Set<TableGauge>();
  #written = 0;
  #size = 0;

  begin(): void {
    this.#stamp = nextStamp++;
    this.#written = 0;
  }

  set(gauge: TableGauge, labelValues: readonly string[], value: number): void {
    this.setText(gauge, gauge.labelText(labelValues), value);
  }

  /** `set` with a label text from `TableGauge.labelText` (shared by gauges with the same label names). */
  setText(gauge: TableGauge, labelText: string, value: number): void {
    gauge.setText(labelText, value, this.#owner, this.#stamp);
    this.#gauges.add(gauge);
    this.#written++;
  }

  /** Removes every series published by the previous cycle and not by this one. */
  commit(): void {
    for (const g of this.#gauges) g.sweep(this.#owner, this.#stamp);
    this.#size = this.#written;
  }

  /**
   * `commit`, handing the event loop back between gauges: a book of 10^5 series sweeps ~20
   * gauges of up to 25 000 slots each, and a large set of series going away at once (a deleted
   * topic) releases them all in the same sweep.
   */
  async commitInSlices(): Promise<void> {
    for (const g of this.#gauges) {
      g.sweep(this.#owner, this.#stamp);
      await new Promise<void>((r) => setImmediate(r));
    }
    this.#size = this.#written;
  }

  /** Removes everything this book published, and whatever an unfinished cycle already set. */
  clear(): void {
    for (const g of this.#gauges) g.removeOwner(this.#owner);
    this.#size = 0;
  }

  /** Series currently published (as of the last commit). */
  get size(): number {
    return this.#size;
  }
}

import type { Gauge } from 'prom-client';

type Labels = Record<string, string>;

/** Label values in insertion order: callers always build a gauge's labels in the same order. */
const labelKey = (labels: Labels): string => Object.values(labels).join('\u0001');

/**
 * Remembers which label sets a source set on shared gauges, so that a cycle can remove exactly
 * the series it no longer reports (several clusters share the same gauges: `reset()` would wipe
 * the others). A cycle is `begin` .. `set`* .. `commit`; a scrape during a cycle may see some
 * values already updated, but never a series removed before `commit`.
 */
export class SeriesBook {
  #published = new Map<Gauge<string>, Map<string, Labels>>();
  #pending = new Map<Gauge<string>, Map<string, Labels>>();

  begin(): void {
    this.#pending = new Map();
  }

  set(gauge: Gauge<string>, labels: Labels, value: number): void {
    gauge.set(labels, value);
    let m = this.#pending.get(gauge);
    if (!m) this.#pending.set(gauge, (m = new Map()));
    m.set(labelKey(labels), labels);
  }

  /** Removes every series published by the previous cycle and not by this one. */
  commit(): void {
    for (const [gauge, old] of this.#published) {
      const now = this.#pending.get(gauge);
      for (const [k, labels] of old) if (!now?.has(k)) gauge.remove(labels);
    }
    this.#published = this.#pending;
    this.#pending = new Map();
  }

  /** Removes everything this book published, and whatever an unfinished cycle already set. */
  clear(): void {
    for (const [gauge, old] of this.#published) for (const labels of old.values()) gauge.remove(labels);
    for (const [gauge, pending] of this.#pending) for (const labels of pending.values()) gauge.remove(labels);
    this.#published = new Map();
    this.#pending = new Map();
  }

  /** Series currently published. */
  get size(): number {
    let n = 0;
    for (const m of this.#published.values()) n += m.size;
    return n;
  }
}

import { SlotIndex } from './slot-index.js';

const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabelValue = (v: string): string => (NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v);
const unescapeLabelValue = (v: string): string => v.replace(/\\(["n\\])/g, (_, c: string) => (c === 'n' ? '\n' : c));
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** The exposition format's number text (same as prom-client's). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

/**
 * A gauge for many series that sources rewrite once per cycle (Kafka lag per group, topic and
 * partition: 10^5 series on large clusters). prom-client keeps a labels object, a hash string
 * and a value object per series and re-formats every label on every scrape; this keeps one key
 * string per series, its label text as the exposition writes it (`{a="x",b="y"}`, also the
 * series key), the values in typed arrays, and renders the exposition text directly
 * (MetricsRegistry). Each series remembers which writer (a
 * SeriesBook) set it in which cycle, so a writer can sweep exactly its own stale series.
 *
 * Registered in a prom-client registry like any metric (`get()` gives prom-client's shape).
 * Memory per series: the label text (~the label bytes + 40) plus 16 bytes of arrays, 8 for its
 * place in `#keys` and 8-16 for the index (SlotIndex: 4 bytes per position, at most half full).
 */
export class TableGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Label text per slot; undefined for a free slot. */
  #keys: (string | undefined)[] = [];
  /** Slot per label text (reads the texts from `#keys`). */
  readonly #index = new SlotIndex((slot) => this.#keys[slot]);
  #values = new Float64Array(64);
  #owner = new Uint32Array(64);
  #stamp = new Uint32Array(64);
  #free: number[] = [];
  /** The slot after the one `setText` last set: where the next key of a cycle usually is. */
  #next = 0;

  constructor(opts: { name: string; help: string; labelNames: readonly string[] }) {
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames;
  }

  /** Series currently present. */
  get size(): number {
    return this.#index.size;
  }

  /**
   * Sets the series with these label values (in `labelNames` order) and marks it as written by
   * `owner` in cycle `stamp`.
   */
  set(labelValues: readonly string[], value: number, owner = 0, stamp = 0): void {
    this.setText(this.labelText(labelValues), value, owner, stamp);
  }

  /**
   * Same as `set`, with the label text already made by `labelText` (gauges with the same label
   * names share it: a caller writing several of them for one row builds the text once).
   */
  setText(key: string, value: number, owner = 0, stamp = 0): void {
    // Sources set their series in the same order every cycle, so the slot after the last one set
    // is usually this key's: one comparison (the same string object) instead of a hash lookup in
    // a map of 10^4-10^5 keys (the larger part of setText's time in a profile of 80 000 series).
    let slot: number | undefined = this.#next;
    if (this.#keys[slot] !== key) {
      slot = this.#index.get(key);
      if (slot === undefined) {
        slot = this.#allocate();
        this.#keys[slot] = key;
        this.#index.add(key, slot);
      }
    }
    this.#values[slot] = value;
    this.#owner[slot] = owner;
    this.#stamp[slot] = stamp;
    this.#next = slot + 1;
  }

  /** The value of a series, or undefined when absent. */
  value(labelValues: readonly string[]): number | undefined {
    const slot = this.#index.get(this.labelText(labelValues));
    return slot === undefined ? undefined : this.#values[slot];
  }

  remove(labelValues: readonly string[]): void {
    const slot = this.#index.get(this.labelText(labelValues));
    if (slot !== undefined) this.#release(slot);
  }

  /** Removes the series `owner` wrote before cycle `stamp` and not in it. */
  sweep(owner: number, stamp: number): void {
    for (let slot = 0; slot < this.#keys.length; slot++) {
      if (this.#keys[slot] !== undefined && this.#owner[slot] === owner && this.#stamp[slot] !== stamp) this.#release(slot);
    }
  }

  /** Removes every series of `owner`. */
  removeOwner(owner: number): void {
    for (let slot = 0; slot < this.#keys.length; slot++) if (this.#keys[slot] !== undefined && this.#owner[slot] === owner) this.#release(slot);
  }

  reset(): void {
    this.#index.clear();
    this.#keys = [];
    this.#free = [];
  }

  /**
   * The exposition text in pieces of at most `linesPerChunk` series, so that a scrape of 10^5
   * series never builds one multi-megabyte string (V8 keeps those in large-object space until
   * the next full collection).
   */
  *chunks(linesPerChunk = 500): Generator<string> {
    let lines: string[] = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} gauge`];
    let first = true;
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] === undefined) continue;
      lines.push(`${this.name}${keys[slot]!} ${formatValue(this.#values[slot]!)}`);
      if (lines.length >= linesPerChunk) {
        yield (first ? '' : '\n') + lines.join('\n');
        first = false;
        lines = [];
      }
    }
    if (lines.length > 0) yield (first ? '' : '\n') + lines.join('\n');
  }

  /** prom-client's metric shape (for registries other than MetricsRegistry, and tests). */
  async get(): Promise<{ name: string; help: string; type: 'gauge'; aggregator: 'sum'; values: { value: number; labels: Record<string, string> }[] }> {
    const values: { value: number; labels: Record<string, string> }[] = [];
    for (let slot = 0; slot < this.#keys.length; slot++) {
      const key = this.#keys[slot];
      if (key === undefined) continue;
      values.push({ value: this.#values[slot]!, labels: this.#parse(key) });
    }
    return { name: this.name, help: this.help, type: 'gauge', aggregator: 'sum', values };
  }

  /**
   * `{a="x",b="y"}`: one flat string (join; `+=` would keep a tree of string nodes per label
   * for the life of the series, tens of MB at 10^5 series).
   */
  labelText(labelValues: readonly string[]): string {
    if (labelValues.length !== this.labelNames.length) {
      throw new RangeError(`${this.name}: expected ${this.labelNames.length} label values, got ${labelValues.length}`);
    }
    const parts: string[] = ['{'];
    for (let i = 0; i < labelValues.length; i++) parts.push(i ? ',' : '', this.labelNames[i]!, '="', escapeLabelValue(labelValues[i]!), '"');
    parts.push('}');
    return parts.join('');
  }

  /** Label values back from a label text (the slow `get()` path only). */
  #parse(text: string): Record<string, string> {
    const labels: Record<string, string> = {};
    let at = 1;
    for (const name of this.labelNames) {
      at += name.length + 2; // name="
      let end = at;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      labels[name] = unescapeLabelValue(text.slice(at, end));
      at = end + 2; // ", or "}
    }
    return labels;
  }

  #allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const slot = this.#keys.length;
    if (slot === this.#values.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.#values = grow(this.#values, (n) => new Float64Array(n));
      this.#owner = grow(this.#owner, (n) => new Uint32Array(n));
      this.#stamp = grow(this.#stamp, (n) => new Uint32Array(n));
    }
    this.#keys.push(undefined);
    return slot;
  }

  #release(slot: number): void {
    this.#index.delete(this.#keys[slot]!);
    this.#keys[slot] = undefined;
    this.#free.push(slot);
  }
}

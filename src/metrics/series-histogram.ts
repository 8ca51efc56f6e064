import type { Registry } from 'prom-client';

type LabelValues<T extends string> = Partial<Record<T, string | number>>;

/** One label set's series, held by the caller: observing costs a bucket search and three additions. */
export interface HistogramSeries {
  observe(value: number): void;
}

export interface SeriesHistogramConfig<T extends string> {
  name: string;
  help: string;
  labelNames: readonly T[];
  /** Upper bounds, ascending (`+Inf` is implicit). */
  buckets: readonly number[];
  registers: Registry[];
}

interface Series extends HistogramSeries {
  readonly key: string;
  readonly labels: Record<string, string | number>;
  /** Count per bucket (not cumulative), as prom-client keeps them. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
  /** False after `remove` or `reset`: the next observation starts a fresh series. */
  live: boolean;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A histogram with prom-client's exposition, value for value (the same `get()` result, so the
 * same `/metrics` text: `_bucket{le=...}` cumulative, `+Inf`, `_sum`, `_count`, series in
 * first-observation order), for values observed once per event.
 *
 * prom-client's `Histogram.observe(labels, v)` builds and hashes a label key and looks the
 * series up on every call (about 0.5 µs, as much as the rest of the tail's work on an event).
 * Here the caller takes a series once (`series(labels)`) and observes into it directly; the
 * sum is accumulated one observation at a time in the same order, so it is the same number to
 * the last bit. `observe(labels, v)`, `labels(...)`, `zero`, `remove` and `reset` behave as
 * prom-client's do; a held series keeps working after `remove`/`reset` and starts from zero,
 * like a series prom-client would create again.
 */
export class SeriesHistogram<T extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly labelNames: readonly T[];
  readonly upperBounds: readonly number[];
  readonly #bounds: Float64Array;
  readonly #sortedLabelNames: readonly T[];
  readonly #series = new Map<string, Series>();

  constructor(config: SeriesHistogramConfig<T>) {
    if (!config.help) throw new Error('Missing mandatory help parameter');
    if (!METRIC_NAME.test(config.name)) throw new Error('Invalid metric name');
    if (!config.labelNames.every((l) => LABEL_NAME.test(l))) throw new Error('Invalid label name');
    if ((config.labelNames as readonly string[]).includes('le')) throw new Error('le is a reserved label keyword');
    for (let k = 1; k < config.buckets.length; k++) {
      if (!(config.buckets[k]! > config.buckets[k - 1]!)) throw new Error('buckets must be in ascending order');
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = [...config.labelNames];
    this.#sortedLabelNames = [...config.labelNames].sort();
    this.upperBounds = [...config.buckets];
    this.#bounds = Float64Array.from(config.buckets);
    for (const r of config.registers) r.registerMetric(this as never);
  }

  /** The series of `labels`, to observe into without a lookup per value. */
  series(labels: LabelValues<T> = {}): HistogramSeries {
    this.#validate(labels);
    return this.#get(labels);
  }

  /** prom-client's form: `observe(labels, value)` or `observe(value)`. */
  observe(labels: LabelValues<T> | number, value?: number): void {
    if (typeof labels === 'number') this.#get({}).observe(labels);
    else {
      this.#validate(labels);
      this.#get(labels).observe(value as number);
    }
  }

  labels(...values: (string | number)[] | [LabelValues<T>]): HistogramSeries {
    const first = values[0];
    let labels: LabelValues<T>;
    if (typeof first === 'object') labels = first;
    else {
      if (values.length !== this.labelNames.length)
        throw new Error(`Invalid number of arguments (${values.length}): "${values.join(', ')}" for label names: "${this.labelNames.join(', ')}".`);
      labels = Object.fromEntries(this.labelNames.map((n, k) => [n, values[k]])) as LabelValues<T>;
    }
    return this.series(labels);
  }

  /** Starts the series of `labels` at zero (replacing it, as prom-client does). */
  zero(labels: LabelValues<T>): void {
    this.#validate(labels);
    const s = this.#series.get(this.#key(labels));
    if (s) this.#clear(s);
    else this.#get(labels);
  }

  remove(...values: (string | number)[] | [LabelValues<T>]): void {
    const first = values[0];
    const labels = (typeof first === 'object' ? first : Object.fromEntries(this.labelNames.map((n, k) => [n, values[k]]))) as LabelValues<T>;
    this.#validate(labels);
    const key = this.#key(labels);
    const s = this.#series.get(key);
    if (s) {
      s.live = false;
      this.#series.delete(key);
    }
  }

  reset(): void {
    for (const s of this.#series.values()) s.live = false;
    this.#series.clear();
  }

  /** What prom-client's `Histogram.get()` returns for the same observations. */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    values: { labels: Record<string, string | number>; value: number; metricName: string; exemplar?: null }[];
    aggregator: 'sum';
  }> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string; exemplar?: null }[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.#series.values()) {
      let acc = 0;
      for (let k = 0; k < this.upperBounds.length; k++) {
        acc += s.counts[k]!;
        values.push({ value: acc, metricName: bucket, exemplar: null, labels: { le: this.upperBounds[k]!, ...s.labels } });
      }
      values.push({ value: s.count, metricName: bucket, exemplar: null, labels: { le: '+Inf', ...s.labels } });
      values.push({ value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined, labels: { ...s.labels } });
      values.push({ value: s.count, metricName: `${this.name}_count`, exemplar: undefined, labels: { ...s.labels } });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  #validate(labels: LabelValues<T>): void {
    for (const l in labels) {
      if (!(this.labelNames as readonly string[]).includes(l))
        throw new Error(`Added label "${l}" is not included in initial labelset: [ ${this.labelNames.map((n) => `'${n}'`).join(', ')} ]`);
    }
  }

  /** prom-client's series key: `name:value,` for each set label, in sorted label order. */
  #key(labels: LabelValues<T>): string {
    let key = '';
    for (const n of this.#sortedLabelNames) {
      const v = labels[n];
      if (v !== undefined) key += `${n}:${v},`;
    }
    return key;
  }

  #get(labels: LabelValues<T>): Series {
    const key = this.#key(labels);
    const found = this.#series.get(key);
    if (found) return found;
    const bounds = this.#bounds;
    const all = this.#series;
    const clear = (s: Series): void => this.#clear(s);
    const s: Series = {
      key,
      labels: { ...labels } as Record<string, string | number>,
      counts: new Float64Array(bounds.length),
      sum: 0,
      count: 0,
      live: true,
      observe(value: number): void {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        if (!this.live) {
          clear(this);
          this.live = true;
          all.set(this.key, this);
        }
        // first bound >= value; above the last one only +Inf (the count) holds it
        let k = 0;
        while (k < bounds.length && value > bounds[k]!) k++;
        if (k < bounds.length) this.counts[k]!++;
        this.sum += value;
        this.count += 1;
      },
    };
    all.set(key, s);
    return s;
  }

  #clear(s: Series): void {
    s.counts.fill(0);
    s.sum = 0;
    s.count = 0;
  }
}

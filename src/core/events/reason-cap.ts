/** Label value that every reason beyond the cap is counted under. */
export const OTHER = 'other';

/** Longest label value kept; longer exception names are cut (they are class names, not text). */
export const MAX_REASON_LENGTH = 120;

/**
 * Keeps a label bounded: the first `maxValues` distinct values keep their own label, all later
 * ones become `other`. Admission is sticky on purpose: moving a value between its own series
 * and `other` would make its counter jump or reset, and rate() would lie. Because reasons are
 * admitted in order of first appearance, in practice the frequent ones (which appear first)
 * get their own label; `overflow()` reports the most frequent values hidden in `other`, counted
 * with the Space-Saving algorithm (Metwally et al., 2005) in at most `4 * maxValues` slots, so
 * an operator can raise the cap knowingly.
 */
export class ReasonCap {
  readonly maxValues: number;
  readonly #admitted = new Set<string>();
  readonly #overflow = new Map<string, number>();

  constructor(maxValues: number) {
    if (!Number.isInteger(maxValues) || maxValues < 1) throw new RangeError(`maxValues must be a positive integer, got ${maxValues}`);
    this.maxValues = maxValues;
  }

  /** The label value to count `raw` under. */
  label(raw: string | undefined): string {
    const v = normalizeReason(raw);
    if (this.#admitted.has(v)) return v;
    if (v !== OTHER && this.#admitted.size < this.maxValues) {
      this.#admitted.add(v);
      return v;
    }
    this.#countOverflow(v);
    return OTHER;
  }

  /** Values counted as `other`, most frequent first (estimates; may over-count by design). */
  overflow(): [string, number][] {
    return [...this.#overflow.entries()].sort((a, b) => b[1] - a[1]);
  }

  #countOverflow(v: string): void {
    const cur = this.#overflow.get(v);
    if (cur !== undefined) {
      this.#overflow.set(v, cur + 1);
      return;
    }
    if (this.#overflow.size < 4 * this.maxValues) {
      this.#overflow.set(v, 1);
      return;
    }
    // Space-Saving: replace the minimum, inheriting its count.
    let minKey = '';
    let min = Infinity;
    for (const [k, c] of this.#overflow) if (c < min) [minKey, min] = [k, c];
    this.#overflow.delete(minKey);
    this.#overflow.set(v, min + 1);
  }
}

/** Trims, cuts to MAX_REASON_LENGTH and maps empty/absent to `unknown`. */
export function normalizeReason(raw: string | undefined): string {
  const t = (raw ?? '').trim();
  if (t === '') return 'unknown';
  return t.length > MAX_REASON_LENGTH ? t.slice(0, MAX_REASON_LENGTH) : t;
}

import type { EpochMillis } from '../units.js';

/**
 * Rate limit for log lines about bad input: at most one line per key per `everyMs`
 * (one per reason per minute for unparseable events), carrying how many were suppressed
 * since the last line so nothing is silently lost. Bounded by the number of distinct keys,
 * which callers keep bounded (reasons are an enum).
 */
export class SampledLog {
  readonly #everyMs: number;
  readonly #next = new Map<string, EpochMillis>();
  readonly #suppressed = new Map<string, number>();

  constructor(everyMs = 60_000) {
    this.#everyMs = everyMs;
  }

  /**
   * Returns undefined when the line must be suppressed, else the number of lines suppressed
   * for this key since the last one that was let through.
   */
  admit(key: string, now: EpochMillis): number | undefined {
    const next = this.#next.get(key);
    if (next !== undefined && now < next) {
      this.#suppressed.set(key, (this.#suppressed.get(key) ?? 0) + 1);
      return undefined;
    }
    this.#next.set(key, now + this.#everyMs);
    const n = this.#suppressed.get(key) ?? 0;
    this.#suppressed.delete(key);
    return n;
  }
}

import type { SliBoard, SliTarget } from '../core/sli-board.js';
import type { Seconds } from '../core/units.js';
import type { ProbeOutcome } from '../core/probe/outcome.js';

/**
 * The board's event counts and latencies are taken (and reset) by the reader. Several SLOs may
 * read the same target (e.g. two latency thresholds on one projection), so every take is fanned
 * out to a buffer per subscriber: each SLO sees every event exactly once.
 */
export class BoardDrain {
  readonly #events = new Map<string, Map<string, { total: number; bad: number }>>();
  readonly #latencies = new Map<SliTarget, Map<string, Seconds[]>>();
  readonly #probes = new Map<SliTarget, Map<string, ProbeOutcome[]>>();

  constructor(private readonly board: SliBoard) {}

  subscribeEvents(kind: string, target: SliTarget, id: string): void {
    const key = `${kind}|${target}`;
    const subs = this.#events.get(key) ?? new Map();
    subs.set(id, { total: 0, bad: 0 });
    this.#events.set(key, subs);
  }

  subscribeLatencies(target: SliTarget, id: string): void {
    const subs = this.#latencies.get(target) ?? new Map();
    subs.set(id, []);
    this.#latencies.set(target, subs);
  }

  /** Counts since this subscriber's last call. */
  takeEvents(kind: string, target: SliTarget, id: string): { total: number; bad: number } {
    const subs = this.#events.get(`${kind}|${target}`);
    if (!subs) return { total: 0, bad: 0 };
    const fresh = this.board.takeEvents(kind, target);
    for (const buf of subs.values()) {
      buf.total += fresh.total;
      buf.bad += fresh.bad;
    }
    const mine = subs.get(id)!;
    const out = { ...mine };
    mine.total = 0;
    mine.bad = 0;
    return out;
  }

  takeLatencies(target: SliTarget, id: string): Seconds[] {
    const subs = this.#latencies.get(target);
    if (!subs) return [];
    const fresh = this.board.takeLatencies(target);
    for (const buf of subs.values()) for (const l of fresh) if (buf.length < 100_000) buf.push(l);
    const out = subs.get(id)!;
    subs.set(id, []);
    return out;
  }

  subscribeProbe(target: SliTarget, id: string): void {
    const subs = this.#probes.get(target) ?? new Map();
    subs.set(id, []);
    this.#probes.set(target, subs);
  }

  /** Probe runs finished since this subscriber's last call. */
  takeProbeOutcomes(target: SliTarget, id: string): ProbeOutcome[] {
    const subs = this.#probes.get(target);
    if (!subs) return [];
    const fresh = this.board.takeProbeOutcomes(target);
    for (const buf of subs.values()) for (const o of fresh) if (buf.length < 100_000) buf.push(o);
    const out = subs.get(id)!;
    subs.set(id, []);
    return out;
  }
}

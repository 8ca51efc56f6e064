import { AggregateTracker } from './aggregate-tracker.js';
import { DedupeWindow, type DedupeWindowStats } from './dedupe-window.js';
import { createEventParser, type EventParserOptions } from './event-parser.js';
import type { RawRecord } from './field-ref.js';
import { UNPARSEABLE_REASONS, type UnparseableReason } from './unparseable.js';
import type { Seconds } from '../units.js';

export interface StreamProcessorOptions extends EventParserOptions {
  dedupe: { maxIds: number; windowMs: number; buckets?: number };
  maxAggregates: number;
}

/** Counts accumulated since the last `take()`: what the tail adds to its metrics per batch. */
export interface StreamCounts {
  /** Events that parsed (records read = observed + sum of unparseable). */
  observed: number;
  duplicate: number;
  /** Missing versions. */
  gap: number;
  outOfOrder: number;
  /** Events with both aggregate id and version (the completeness SLI's denominator part). */
  versioned: number;
  /** Negative publish delays clamped to 0 (producer clock ahead of the broker). */
  clockSkew: number;
  unparseable: Record<UnparseableReason, number>;
  /** Publish delays in seconds, broker timestamp minus occurred-at. */
  publishDelays: Seconds[];
}

/** What happened to one record, for the caller's logging of bad input. */
export type RecordOutcome = { kind: 'event' } | { kind: 'unparseable'; reason: UnparseableReason };

const EVENT: RecordOutcome = { kind: 'event' };

function emptyCounts(): StreamCounts {
  const unparseable = Object.fromEntries(UNPARSEABLE_REASONS.map((r) => [r, 0])) as Record<UnparseableReason, number>;
  return { observed: 0, duplicate: 0, gap: 0, outOfOrder: 0, versioned: 0, clockSkew: 0, unparseable, publishDelays: [] };
}

/**
 * The pure per-stream state machine of the tail: parse, dedupe, version tracking and publish
 * delay for each record, in the order records are given. No I/O, no clock: the dedupe window
 * runs on broker timestamps.
 */
export class StreamProcessor {
  readonly #parse: (rec: RawRecord) => ReturnType<ReturnType<typeof createEventParser>>;
  readonly dedupe: DedupeWindow;
  readonly aggregates: AggregateTracker;
  #counts: StreamCounts = emptyCounts();

  constructor(opts: StreamProcessorOptions) {
    this.#parse = createEventParser(opts);
    this.dedupe = new DedupeWindow(opts.dedupe);
    this.aggregates = new AggregateTracker(opts.maxAggregates);
  }

  process(rec: RawRecord): RecordOutcome {
    const c = this.#counts;
    const ev = this.#parse(rec);
    if (!ev.ok) {
      c.unparseable[ev.reason]++;
      return { kind: 'unparseable', reason: ev.reason };
    }
    c.observed++;
    if (this.dedupe.check(ev.id, rec.timestamp)) c.duplicate++;
    if (ev.aggregateId !== undefined && ev.version !== undefined) {
      c.versioned++;
      const o = this.aggregates.observe(ev.aggregateId, ev.version);
      if (o.kind === 'gap') c.gap += o.missing;
      else if (o.kind === 'out_of_order') c.outOfOrder++;
    }
    if (ev.occurredAt !== undefined) {
      const d = (rec.timestamp - ev.occurredAt) / 1000;
      if (d < 0) c.clockSkew++;
      c.publishDelays.push(Math.max(0, d));
    }
    return EVENT;
  }

  /** Returns and resets the counts since the last call. */
  take(): StreamCounts {
    const out = this.#counts;
    this.#counts = emptyCounts();
    return out;
  }

  stats(): DedupeWindowStats & { aggregates: number; evictions: number } {
    return { ...this.dedupe.stats(), aggregates: this.aggregates.size, evictions: this.aggregates.evictions };
  }
}

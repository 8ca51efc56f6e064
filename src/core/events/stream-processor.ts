import * as versions from './aggregate-tracker.js';
import { AggregateTracker } from './aggregate-tracker.js';
import { DedupeWindow, type DedupeWindowStats } from './dedupe-window.js';
import type { EventParserOptions } from './event-parser.js';
import { createEventReader, type EventReader } from './event-reader.js';
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
const UNPARSEABLE = Object.fromEntries(UNPARSEABLE_REASONS.map((reason) => [reason, { kind: 'unparseable', reason }])) as Record<
  UnparseableReason,
  RecordOutcome
>;

function emptyCounts(): StreamCounts {
  const unparseable = Object.fromEntries(UNPARSEABLE_REASONS.map((r) => [r, 0])) as Record<UnparseableReason, number>;
  return { observed: 0, duplicate: 0, gap: 0, outOfOrder: 0, versioned: 0, clockSkew: 0, unparseable, publishDelays: [] };
}

/** Records per group in `processBatch`: read first, then checked against the window together. */
export const PROCESS_GROUP = 32;

/** The fields of a group's events (only records that parsed), in record order. */
class Group {
  readonly idHi = new Uint32Array(PROCESS_GROUP);
  readonly idLo = new Uint32Array(PROCESS_GROUP);
  readonly time = new Float64Array(PROCESS_GROUP);
  readonly duplicate = new Uint8Array(PROCESS_GROUP);
  /** 1: has aggregate id and version; 2: has occurred-at. */
  readonly flags = new Uint8Array(PROCESS_GROUP);
  readonly aggregateHi = new Uint32Array(PROCESS_GROUP);
  readonly aggregateLo = new Uint32Array(PROCESS_GROUP);
  readonly version = new Float64Array(PROCESS_GROUP);
  readonly occurredAt = new Float64Array(PROCESS_GROUP);
}

// Imports used per byte or per event, as module constants: a module runner (vite-node, which
// runs the benchmarks and tests) turns every use of an imported name into a getter call.
const VERSION_GAP = versions.VERSION_GAP;
const VERSION_OUT_OF_ORDER = versions.VERSION_OUT_OF_ORDER;

const VERSIONED = 1;
const TIMED = 2;

/**
 * The pure per-stream state machine of the tail: parse, dedupe, version tracking and publish
 * delay for each record, in the order records are given. No I/O, no clock: the dedupe window
 * runs on broker timestamps. Nothing is allocated per event: the reader hands over
 * fingerprints and numbers in one reused object (event-reader.ts), copied into typed arrays.
 *
 * `processBatch` reads records a group at a time, then runs the group's events through the
 * dedupe window (`checkGroup`: the window's cache misses overlap) and then through the version
 * tracker, each in record order. The window and the tracker do not depend on each other, so
 * the counts are those of `process` called on each record in turn.
 */
export class StreamProcessor {
  readonly #reader: EventReader;
  readonly dedupe: DedupeWindow;
  readonly aggregates: AggregateTracker;
  #counts: StreamCounts = emptyCounts();
  readonly #group = new Group();
  readonly #rec: RawRecord = { key: null, value: null, headers: undefined, timestamp: 0 };

  constructor(opts: StreamProcessorOptions) {
    this.#reader = createEventReader(opts);
    this.dedupe = new DedupeWindow(opts.dedupe);
    this.aggregates = new AggregateTracker(opts.maxAggregates);
  }

  /** One record. */
  process(rec: RawRecord): RecordOutcome {
    const reason = this.#read(rec, 0);
    if (reason !== undefined) return UNPARSEABLE[reason];
    this.#apply(1);
    return EVENT;
  }

  /**
   * Every message of a batch, in order: `toRecord` writes each into one reused RawRecord;
   * `onUnparseable` hears of each record skipped (its index in `messages` and the reason).
   */
  processBatch<M>(
    messages: readonly M[],
    toRecord: (msg: M, rec: RawRecord) => void,
    onUnparseable?: (index: number, reason: UnparseableReason) => void,
  ): void {
    const rec = this.#rec;
    for (let from = 0; from < messages.length; from += PROCESS_GROUP) {
      const to = Math.min(messages.length, from + PROCESS_GROUP);
      let n = 0;
      for (let i = from; i < to; i++) {
        toRecord(messages[i]!, rec);
        const reason = this.#read(rec, n);
        if (reason === undefined) n++;
        else if (onUnparseable) onUnparseable(i, reason);
      }
      if (n > 0) this.#apply(n);
    }
  }

  /** Reads a record into slot k of the group; counts and returns the reason it is skipped. */
  #read(rec: RawRecord, k: number): UnparseableReason | undefined {
    const reason = this.#reader.read(rec);
    if (reason !== undefined) {
      this.#counts.unparseable[reason]++;
      return reason;
    }
    const f = this.#reader.fields;
    const g = this.#group;
    g.idHi[k] = f.idHi;
    g.idLo[k] = f.idLo;
    g.time[k] = rec.timestamp;
    g.flags[k] = (f.hasAggregate && f.hasVersion ? VERSIONED : 0) | (f.hasOccurredAt ? TIMED : 0);
    g.aggregateHi[k] = f.aggregateHi;
    g.aggregateLo[k] = f.aggregateLo;
    g.version[k] = f.version;
    g.occurredAt[k] = f.occurredAt;
    return undefined;
  }

  /** Counts the first n events of the group. */
  #apply(n: number): void {
    const c = this.#counts;
    const g = this.#group;
    c.observed += n;
    this.dedupe.checkGroup(g.idHi, g.idLo, g.time, n, g.duplicate);
    for (let k = 0; k < n; k++) {
      c.duplicate += g.duplicate[k]!;
      const flags = g.flags[k]!;
      if ((flags & VERSIONED) !== 0) {
        c.versioned++;
        const o = this.aggregates.observeFingerprint(g.aggregateHi[k]!, g.aggregateLo[k]!, g.version[k]!);
        if (o === VERSION_GAP) c.gap += this.aggregates.missing;
        else if (o === VERSION_OUT_OF_ORDER) c.outOfOrder++;
      }
      if ((flags & TIMED) !== 0) {
        const d = (g.time[k]! - g.occurredAt[k]!) / 1000;
        if (d < 0) c.clockSkew++;
        c.publishDelays.push(Math.max(0, d));
      }
    }
  }

  /** Records the reader sent through the reference parser (escapes, non-ASCII text, rare forms). */
  get slowReads(): number {
    return this.#reader.slowReads;
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

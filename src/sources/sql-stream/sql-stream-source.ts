import type { SqlStreamConfig } from '../../config/schema/sql-streams.js';
import type { StoreConfig } from '../../config/schema/stores.js';
import { SampledLog } from '../../core/events/sampled-log.js';
import { StreamProcessor } from '../../core/events/stream-processor.js';
import { safeRows, type TailPosition } from '../../core/sql-stream/safe-position.js';
import type { Seconds } from '../../core/units.js';
import type { HistogramSeries } from '../../metrics/series-histogram.js';
import type { SourceDeps } from '../deps.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import { SourceError } from '../source-error.js';
import type { Db, Query } from '../sql/db.js';
import { GenericSqlError, storeError } from '../sql/errors.js';
import { initStreamCounters, publishProcessorGauges, publishStreamCounts } from '../stream/publish-counts.js';
import { BEFORE_ALL, type EventsQuery } from './events-query.js';
import { ROW_FIELDS, rowToRecord } from './row-record.js';

export interface SqlStreamSourceOptions {
  readonly stream: SqlStreamConfig;
  readonly store: StoreConfig;
  readonly db: Db;
  readonly query: EventsQuery;
  readonly deps: SourceDeps;
  /** Strings to scrub from error messages (passwords). */
  readonly secrets: readonly string[];
}

/** Columns every row must have (the others may be missing or NULL). */
const REQUIRED_COLUMNS = ['position', 'event_id'];

/**
 * Tails a SQL store's events table by global position and feeds the rows, in position order,
 * to the same pure stream processor as the Kafka tail. Each cycle reads at most
 * `maxRowsPerCycle` rows, `batchSize` at a time, and hands over only rows below the safe
 * position (`safeRows`). The position lives in memory: a failed cycle resumes exactly where
 * the last handed-over row left it (counts and position move together, batch by batch); a
 * process start begins again at `startFrom` (docs/streams.md, "SQL streams").
 */
export class SqlStreamSource implements Source {
  readonly name: string;
  readonly interval: Seconds;
  readonly timeout: Seconds;
  readonly #opts: SqlStreamSourceOptions;
  readonly #processor: StreamProcessor;
  readonly #labels: { stream: string };
  readonly #delays: HistogramSeries;
  readonly #badLog = new SampledLog(60_000);
  /** Undefined until the start position is known. */
  #position: TailPosition | undefined;
  #checked = false;
  #running = false;
  #evictionsPublished = 0;

  constructor(opts: SqlStreamSourceOptions) {
    const { stream, store, deps } = opts;
    this.#opts = opts;
    this.name = `stream:${stream.name}`;
    this.interval = stream.interval ?? store.interval;
    // Up to ceil(maxRowsPerCycle / batchSize) + 2 statements, each bounded by statement_timeout.
    this.timeout = store.timeout ?? Math.max(30, store.statementTimeout * (Math.ceil(stream.maxRowsPerCycle / stream.batchSize) + 2));
    this.#labels = { stream: stream.name };
    this.#delays = deps.metrics.events.publishDelay.series(this.#labels);
    this.#processor = new StreamProcessor({
      ...ROW_FIELDS,
      maxMessageBytes: 1024,
      jsonCheck: 'document',
      dedupe: { maxIds: stream.dedupe.maxIds, windowMs: stream.dedupe.window * 1000 },
      maxAggregates: stream.maxAggregates,
    });
    initStreamCounters(deps, stream.name, ['positionsSkipped']);
  }

  /** The tail's position (tests and status). */
  get position(): TailPosition | undefined {
    return this.#position;
  }

  async collect(ctx: CycleContext): Promise<CycleReport> {
    // A cycle abandoned on timeout may still be reading: never two on the same position.
    if (this.#running) throw new SourceError(`stream "${this.#labels.stream}": previous cycle still running`, { reason: 'timeout' });
    this.#running = true;
    try {
      return await this.#cycle(ctx.signal);
    } catch (err) {
      const { stream, store, query, secrets } = this.#opts;
      const e = storeError(store.name, query.layout, err, secrets);
      throw new SourceError(`stream "${stream.name}": ${e.message}`, {
        reason: e.reason,
        retriable: e.retriable,
        cause: err,
        context: { ...e.context, stream: stream.name },
      });
    } finally {
      this.#running = false;
    }
  }

  async #cycle(signal: AbortSignal): Promise<CycleReport> {
    const { stream, store, query, db, deps } = this.#opts;
    let rows = 0;
    let skipped = 0;
    let batches = 0;
    await db.readOnly(store.statementTimeout * 1000, async (q) => {
      if (this.#position === undefined) this.#position = { after: stream.startFrom === 'end' ? await this.#end(q) : undefined, wait: undefined };
      const knownSafe = query.highWaterMark ? position((await q('high water mark', query.highWaterMark)).rows[0]?.position) : undefined;
      while (rows < stream.maxRowsPerCycle) {
        const limit = Math.min(stream.batchSize, stream.maxRowsPerCycle - rows);
        const after = this.#position.after;
        const r = await q('events', query.rows, [after === undefined ? BEFORE_ALL : String(after), limit]);
        batches++;
        if (!this.#checked) this.#check(r.fields);
        const positions = r.rows.map((row) => position(row.position));
        const bad = positions.indexOf(undefined);
        if (bad >= 0)
          throw new GenericSqlError('events', `row ${bad + 1} has no integer position (got ${JSON.stringify(String(r.rows[bad]?.position)).slice(0, 40)})`);
        const safe = safeRows(positions as number[], this.#position, deps.clock(), stream.settle * 1000, knownSafe);
        // Counts and position move together: a later failure in this cycle re-reads nothing twice.
        this.#hand(r.rows, safe.accept);
        this.#position = safe.position;
        rows += safe.accept;
        skipped += safe.skipped;
        if (safe.skipped > 0) deps.metrics.events.positionsSkipped.inc(this.#labels, safe.skipped);
        if (safe.accept < r.rows.length || r.rows.length < limit) break;
        // Timed out or shutting down: stop between batches (what was handed over is counted).
        if (signal.aborted) break;
      }
    });
    // A cycle the scheduler gave up on has had its series cleared: it must not bring gauges back.
    if (!signal.aborted) this.#publishGauges();
    return { records: rows, batches, positionsSkipped: skipped, ...(this.#position?.after !== undefined ? { position: this.#position.after } : {}) };
  }

  /** The last position now (startFrom end); undefined for an empty table. */
  async #end(q: Query): Promise<number | undefined> {
    const { query } = this.#opts;
    const r = await q('end', query.end, query.endParams);
    return position(r.rows[0]?.position);
  }

  #check(fields: readonly string[]): void {
    const missing = REQUIRED_COLUMNS.filter((c) => !fields.includes(c));
    if (missing.length > 0)
      throw new GenericSqlError(
        'events',
        `the query must return column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (got ${fields.join(', ') || 'none'})`,
      );
    this.#checked = true;
  }

  /** The first `n` rows through the processor, then their counts into the metrics and the SLI board. */
  #hand(rows: readonly Record<string, unknown>[], n: number): void {
    if (n === 0) return;
    const now = this.#opts.deps.clock();
    const batch = n === rows.length ? rows : rows.slice(0, n);
    this.#processor.processBatch(
      batch,
      (row, rec) => rowToRecord(row, rec, now),
      (i, reason) => this.#logBad(reason, batch[i]?.position),
    );
    publishStreamCounts(this.#opts.deps, this.name, this.#labels.stream, this.#delays, this.#processor.take());
    const ev = this.#processor.aggregates.evictions;
    if (ev > this.#evictionsPublished) this.#opts.deps.metrics.events.aggregateEvictions.inc(this.#labels, ev - this.#evictionsPublished);
    this.#evictionsPublished = ev;
  }

  #publishGauges(): void {
    publishProcessorGauges(this.#opts.deps, this.#labels.stream, this.#processor);
  }

  #logBad(reason: string, at: unknown): void {
    const suppressed = this.#badLog.admit(reason, this.#opts.deps.clock());
    if (suppressed === undefined) return;
    this.#opts.deps.logger.warn(
      { source: this.name, stream: this.#labels.stream, reason, position: String(at), suppressedSinceLast: suppressed },
      'skipped an unparseable event row (one line per reason per minute)',
    );
  }

  /** Removes the gauges (counters and the publish-delay histogram are history and stay). */
  clear(): void {
    const m = this.#opts.deps.metrics.events;
    for (const g of [m.aggregates, m.dedupeIds, m.dedupeFill, m.dedupeBytes, m.dedupeSpan]) g.remove(this.#labels);
  }

  async close(): Promise<void> {
    await this.#opts.db.close();
  }
}

/** A position column (bigint arrives as text) as a number; undefined for NULL or a non-integer. */
function position(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v));
  return Number.isSafeInteger(n) ? n : undefined;
}

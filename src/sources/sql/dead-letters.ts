import type { StoreConfig } from '../../config/schema/stores.js';
import { clampedAge } from '../../core/projection/index.js';
import type { EpochMillis, Seconds } from '../../core/units.js';
import type { Query } from './db.js';
import { pgDialect, type SqlDialect } from './dialect.js';
import { ident, num } from './presets/preset.js';

type DeadLetterConfig = NonNullable<StoreConfig['deadLetters']>;

/** Where dead letters live and how a row maps to labels. Expressions are SQL. */
export interface DeadLetterSpec {
  readonly table: string;
  readonly id: string;
  readonly source: string;
  readonly reason: string;
  readonly time: string;
  readonly resolved?: string | undefined;
}

const qualified = (table: string) => table.split('.').map(ident).join('.');

/**
 * Framework dead-letter tables. Marten stores DeadLetterEvent documents (JSONB `data` with
 * ProjectionName, ExceptionType; `mt_last_modified` as the time). Axon 4.6+ keeps
 * `dead_letter_entry` rows per processing group with cause_type and enqueued_at.
 */
export function deadLetterSpec(cfg: DeadLetterConfig, schema?: string): DeadLetterSpec {
  const inSchema = (t: string) => (schema ? `${ident(schema)}.${ident(t)}` : ident(t));
  const base =
    cfg.preset === 'marten'
      ? { table: inSchema('mt_doc_deadletterevent'), id: 'id', source: `data->>'ProjectionName'`, reason: `data->>'ExceptionType'`, time: 'mt_last_modified' }
      : cfg.preset === 'axon'
        ? { table: inSchema('dead_letter_entry'), id: 'dead_letter_id', source: 'processing_group', reason: 'cause_type', time: 'enqueued_at' }
        : { table: '', id: 'ctid', source: `'unknown'`, reason: `'unknown'`, time: '' };
  return {
    table: cfg.table ? qualified(cfg.table) : base.table,
    id: cfg.idColumn ?? base.id,
    source: cfg.sourceColumn ?? base.source,
    reason: cfg.reasonColumn ?? base.reason,
    time: cfg.timeColumn ?? base.time,
    resolved: cfg.resolvedCondition,
  };
}

/** One cycle's dead-letter picture. */
export interface DeadLetterReading {
  readonly depth: number;
  readonly oldestAgeSeconds: Seconds;
  readonly skewed: boolean;
  /** New rows since the previous cycle by (bounded) source and reason. */
  readonly inflow: readonly { source: string; reason: string; count: number }[];
  readonly newTotal: number;
  /** Remembers the rows counted; call once the cycle succeeded, so a failed cycle counts them again next time. */
  readonly commit: () => void;
}

/** Rows may commit later than their own timestamp says; re-read this far back and dedupe by id. */
const OVERLAP_MS = 5 * 60_000;
const MAX_ROWS = 10_000;

/**
 * Reads depth, oldest age and inflow of a dead-letter table. Inflow is counted from rows seen
 * for the first time (by id, within an overlap window), so rows deleted once handled are still
 * counted once, and the backlog present at startup is depth, not inflow.
 */
export class DeadLetterReader {
  readonly #seen = new Map<string, EpochMillis>();
  #watermark: EpochMillis | undefined;
  readonly #labels = { source: new Set<string>(), reason: new Set<string>() };

  constructor(
    readonly spec: DeadLetterSpec,
    private readonly maxLabels: number,
    private readonly dialect: SqlDialect = pgDialect,
  ) {}

  #bounded(kind: 'source' | 'reason', value: unknown): string {
    const v = value === null || value === undefined || value === '' ? 'unknown' : String(value).slice(0, 120);
    const set = this.#labels[kind];
    if (set.has(v)) return v;
    if (set.size >= this.maxLabels) return 'other';
    set.add(v);
    return v;
  }

  async read(q: Query, now: EpochMillis): Promise<DeadLetterReading> {
    const s = this.spec;
    const { text, epochMs, fromEpochMs } = this.dialect;
    const open = s.resolved ? `WHERE NOT (${s.resolved})` : '';
    const summary = (
      await q(
        'dead letters',
        `SELECT ${text('count(*)')} AS depth, ${epochMs(`min(${s.time})`)} AS oldest, ${epochMs(`max(${s.time})`)} AS newest FROM ${s.table} ${open}`,
      )
    ).rows[0];
    const depth = num(summary?.depth) ?? 0;
    const oldest = num(summary?.oldest);
    const age = oldest === undefined || depth === 0 ? { seconds: 0, skewed: false } : clampedAge(now, oldest);

    const first = this.#watermark === undefined;
    const from = first ? (num(summary?.newest) ?? now) - OVERLAP_MS : this.#watermark! - OVERLAP_MS;
    const rows = (
      await q(
        'dead letter inflow',
        `SELECT ${text(s.id)} AS id, ${text(s.source)} AS source, ${text(s.reason)} AS reason, ${epochMs(s.time)} AS t
         FROM ${s.table} WHERE ${s.time} >= ${fromEpochMs('$1')} ORDER BY ${s.time} LIMIT ${MAX_ROWS}`,
        [from],
      )
    ).rows;
    const counts = new Map<string, { source: string; reason: string; count: number }>();
    const fresh = new Map<string, EpochMillis>();
    let watermark = this.#watermark;
    let newTotal = 0;
    for (const r of rows) {
      const id = String(r.id);
      const t = num(r.t) ?? now;
      watermark = Math.max(watermark ?? t, t);
      if (this.#seen.has(id) || fresh.has(id)) continue;
      fresh.set(id, t);
      if (first) continue; // backlog at startup: depth shows it; it is not inflow of this run
      const source = this.#bounded('source', r.source);
      const reason = this.#bounded('reason', r.reason);
      const key = `${source}\u0000${reason}`;
      const c = counts.get(key) ?? { source, reason, count: 0 };
      c.count++;
      counts.set(key, c);
      newTotal++;
    }
    const nextWatermark = watermark ?? from + OVERLAP_MS;
    const commit = () => {
      for (const [id, t] of fresh) this.#seen.set(id, t);
      this.#watermark = nextWatermark;
      for (const [id, t] of this.#seen) if (t < nextWatermark - 2 * OVERLAP_MS) this.#seen.delete(id);
    };
    return { depth, oldestAgeSeconds: age.seconds, skewed: age.skewed, inflow: [...counts.values()], newTotal, commit };
  }
}

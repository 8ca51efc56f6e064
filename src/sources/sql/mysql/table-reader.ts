import type { EventTime } from '../../../core/projection/index.js';
import type { Query } from '../db.js';
import { mysqlDialect } from '../dialect.js';
import { MissingTableError } from '../errors.js';
import { num, type PresetSpec } from '../presets/preset.js';
import { readCheckpoints, readPreset } from '../readings.js';
import type { AdvanceRange, CheckpointReading, RawReading, StoreReader } from '../reader.js';

const { epochMs, text } = mysqlDialect;

/** Positions sampled from each advance: every `stride`-th in (from, to], at most `limit` (what the PostgreSQL reader's generate_series picks). */
export function sampledPositions(r: AdvanceRange): number[] {
  const out: number[] = [];
  const stride = Math.max(1, r.stride);
  for (let p = r.from + stride; p <= r.to && out.length < r.limit; p += stride) out.push(p);
  return out;
}

/**
 * Reads a framework preset on MySQL/MariaDB with a fixed number of statements per cycle, like
 * the PostgreSQL TableReader: head (1), checkpoints (1, `IN (...)`), first unapplied event of
 * every lagging projection (1, one index probe per distinct checkpoint, from a UNION ALL list
 * as MySQL has no unnest), sampled event times (1, `position IN (...)`: the primary key).
 * `requiredTables` are names in `schema` (the connection's database when absent).
 */
export class MysqlTableReader implements StoreReader {
  constructor(
    private readonly spec: PresetSpec,
    private readonly schema?: string,
  ) {}

  get preset(): string {
    return this.spec.preset;
  }

  async validate(q: Query): Promise<void> {
    const r = await q(
      'tables',
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = COALESCE($1, DATABASE()) AND table_name IN ($2)`,
      [this.schema ?? null, [...this.spec.requiredTables]],
    );
    const found = new Set(r.rows.map((row) => String(row.name ?? row.NAME ?? row.TABLE_NAME)));
    const missing = this.spec.requiredTables.filter((t) => !found.has(t));
    if (missing.length > 0)
      throw new MissingTableError(
        this.spec.preset,
        missing.map((t) => (this.schema ? `${this.schema}.${t}` : t)),
      );
  }

  async listProjections(q: Query): Promise<string[]> {
    const r = await q('projections', this.spec.listProjections);
    return r.rows.map((row) => String(row.projection));
  }

  async read(q: Query, projections: readonly string[]): Promise<RawReading[]> {
    const e = this.spec.events;
    return readPreset(q, this.spec, projections, (behind) => ({
      sql: `SELECT ${text('c.cqrs_p')} AS p,
           (SELECT ${epochMs(e.time)} FROM ${e.table} WHERE ${e.position} > c.cqrs_p ${e.where ? `AND ${e.where}` : ''}
            ORDER BY ${e.position} LIMIT 1) AS ts
         FROM (${behind.map((_, i) => `SELECT $${i + 1} AS cqrs_p`).join(' UNION ALL ')}) AS c`,
      params: [...behind],
    }));
  }

  checkpoints(q: Query, projections: readonly string[]): Promise<CheckpointReading[]> {
    return readCheckpoints(q, this.spec, projections);
  }

  async eventTimes(q: Query, ranges: readonly AdvanceRange[]): Promise<EventTime[][]> {
    const wanted = ranges.map(sampledPositions);
    const all = [...new Set(wanted.flat())];
    if (all.length === 0) return ranges.map(() => []);
    const e = this.spec.events;
    const r = await q(
      'event times',
      `SELECT ${text(e.position)} AS position, ${epochMs(e.time)} AS ts FROM ${e.table} WHERE ${e.position} IN ($1) ${e.where ? `AND ${e.where}` : ''}`,
      [all],
    );
    const times = new Map<number, number>();
    for (const row of r.rows) {
      const ts = num(row.ts);
      if (ts !== undefined) times.set(Number(row.position), ts);
    }
    return wanted.map((ps) => ps.flatMap((position) => (times.has(position) ? [{ position, timestamp: times.get(position)! }] : [])));
  }
}

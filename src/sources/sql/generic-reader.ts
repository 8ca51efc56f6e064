import type { EventTime } from '../../core/projection/index.js';
import type { StoreConfig } from '../../config/schema/stores.js';
import { placeholderCount, type Query } from './db.js';
import { GenericSqlError } from './errors.js';
import { pgDialect, type SqlDialect } from './dialect.js';
import { num } from './presets/preset.js';
import type { AdvanceRange, CheckpointReading, RawReading, StoreReader } from './reader.js';

type GenericSql = NonNullable<StoreConfig['generic']>;

/** Columns each user statement must return (validated by running it once). */
const REQUIRED: Record<keyof GenericSql, readonly string[]> = {
  projections: ['projection'],
  head: ['position', 'timestamp'],
  checkpoint: ['position'],
  eventTime: ['timestamp'],
  eventTimes: ['position', 'timestamp'],
};

const strip = (sql: string) => sql.trim().replace(/;\s*$/, '');

/**
 * The `generic` preset: the user gives the SQL. Parameters are positional and optional: a
 * statement gets only as many as it uses ($1 = projection for head and checkpoint; $1 =
 * checkpoint position, $2 = projection for eventTime; $1 = from, $2 = to, $3 = limit for
 * eventTimes). Timestamps must be timestamptz (or timestamp in UTC). Statements run once per
 * projection, so keep them on indexed columns.
 */
export class GenericReader implements StoreReader {
  readonly preset = 'generic';

  constructor(
    private readonly sql: GenericSql,
    private readonly dialect: SqlDialect = pgDialect,
  ) {}

  #run(q: Query, key: keyof GenericSql, text: string, params: readonly unknown[]) {
    return q(`generic.${key}`, text, params.slice(0, placeholderCount(text)));
  }

  /** Runs the user's statement as a subquery so its columns are read by name. */
  #wrapped(q: Query, key: 'head' | 'checkpoint' | 'eventTime' | 'eventTimes', params: readonly unknown[]) {
    const inner = strip(this.sql[key] ?? '');
    const { text, epochMs } = this.dialect;
    const cols =
      key === 'checkpoint'
        ? `${text('u.position')} AS position${this.#hasUpdatedAt ? `, ${epochMs('u.updated_at')} AS updated_at` : ''}`
        : key === 'eventTime'
          ? `${epochMs('u."timestamp"')} AS ts`
          : `${text('u.position')} AS position, ${epochMs('u."timestamp"')} AS ts`;
    return this.#run(q, key, `SELECT ${cols} FROM (${inner}) AS u`, params);
  }

  #hasUpdatedAt = false;

  async validate(q: Query, projections: readonly string[]): Promise<void> {
    const sample = projections[0] ?? '';
    const probes: [keyof GenericSql, readonly unknown[]][] = [
      ['projections', []],
      ['head', [sample]],
      ['checkpoint', [sample]],
      ['eventTime', [0, sample]],
      ['eventTimes', [0, 0, 1]],
    ];
    for (const [key, params] of probes) {
      const text = this.sql[key];
      if (text === undefined) continue;
      const r = await this.#run(q, key, strip(text), params);
      const missing = REQUIRED[key].filter((c) => !r.fields.includes(c));
      if (missing.length > 0) {
        throw new GenericSqlError(
          key,
          `must return column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it returned ${r.fields.join(', ') || 'no columns'}`,
        );
      }
      if (key === 'checkpoint') this.#hasUpdatedAt = r.fields.includes('updated_at');
    }
  }

  async listProjections(q: Query): Promise<string[]> {
    if (!this.sql.projections) return [];
    const r = await this.#run(q, 'projections', strip(this.sql.projections), []);
    return r.rows.map((row) => String(row.projection));
  }

  async read(q: Query, projections: readonly string[]): Promise<RawReading[]> {
    const sharedHead = placeholderCount(this.sql.head) === 0 ? await this.#head(q, '') : undefined;
    const out: RawReading[] = [];
    for (const projection of projections) {
      const head = sharedHead ?? (await this.#head(q, projection));
      const cp = (await this.#wrapped(q, 'checkpoint', [projection])).rows[0];
      const checkpoint = num(cp?.position) ?? 0;
      let firstUnappliedTime: number | undefined;
      if (checkpoint < head) firstUnappliedTime = num((await this.#wrapped(q, 'eventTime', [checkpoint, projection])).rows[0]?.ts);
      out.push({ projection, head, checkpoint, checkpointUpdatedAt: num(cp?.updated_at), firstUnappliedTime });
    }
    return out;
  }

  async #head(q: Query, projection: string): Promise<number> {
    return num((await this.#wrapped(q, 'head', [projection])).rows[0]?.position) ?? 0;
  }

  async checkpoints(q: Query, projections: readonly string[]): Promise<CheckpointReading[]> {
    const out: CheckpointReading[] = [];
    for (const projection of projections) {
      const cp = (await this.#wrapped(q, 'checkpoint', [projection])).rows[0];
      const position = num(cp?.position);
      if (position !== undefined) out.push({ projection, position, updatedAt: num(cp?.updated_at) });
    }
    return out;
  }

  async eventTimes(q: Query, ranges: readonly AdvanceRange[]): Promise<EventTime[][]> {
    const out: EventTime[][] = [];
    for (const r of ranges) {
      if (!this.sql.eventTimes) {
        out.push([]);
        continue;
      }
      // No stride here: the user's statement returns the first `limit` events of the advance,
      // the oldest ones, so a sampled cycle over-states latency rather than hiding it.
      const res = await this.#wrapped(q, 'eventTimes', [r.from, r.to, r.limit]);
      out.push(res.rows.flatMap((row) => (num(row.ts) === undefined ? [] : [{ position: Number(row.position), timestamp: num(row.ts)! }])));
    }
    return out;
  }
}

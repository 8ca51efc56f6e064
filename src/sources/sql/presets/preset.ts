import type { EpochMillis, Position } from '../../../core/units.js';
import type { Query } from '../db.js';

/** Where a preset's events live, for the first-unapplied and apply-latency lookups. */
export interface EventsTable {
  /** Qualified, quoted table name. */
  readonly table: string;
  /** Column holding the global position; must be indexed (the frameworks' primary keys are). */
  readonly position: string;
  /** SQL expression of the event's time as timestamptz. */
  readonly time: string;
  /** Extra condition on events (e.g. Emmett's archived rows). */
  readonly where?: string;
}

/** A projection's checkpoint as the preset decodes it from its row(s). */
export interface DecodedCheckpoint {
  readonly projection: string;
  readonly position: Position;
  readonly updatedAt?: EpochMillis | undefined;
  readonly replaying?: boolean | undefined;
  readonly failure?: string | undefined;
}

/**
 * Everything a framework preset contributes: the tables it needs and the SQL it runs. Each
 * preset is data plus a row decoder; the reader that runs them is shared.
 */
export interface PresetSpec {
  readonly preset: string;
  /** Qualified table names checked at startup (a missing one is a clear error naming it). */
  readonly requiredTables: readonly string[];
  /** Lists every projection name (column `projection`). */
  readonly listProjections: string;
  /** Checkpoint rows for `$1::text[]` projection names; decoded by `decode`. */
  readonly checkpoints: string;
  /** Folds the checkpoint rows into one checkpoint per projection. */
  decode(rows: readonly Record<string, unknown>[]): DecodedCheckpoint[];
  /** Head: columns `position`, `ts` (epoch ms) of the newest event; no row when empty. */
  readonly head: string;
  readonly events: EventsTable;
  /** Checkpoint of a projection without a row: nothing applied yet. */
  readonly notStarted: Position;
  /**
   * Adjusts the spec to the live schema after the tables were found (e.g. Axon's token column
   * as bytea or oid). Runs once per (re)validation.
   */
  refine?(q: Query): Promise<PresetSpec>;
}

/** Double-quotes an identifier (schema or table name from config). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Numbers from bigint/numeric columns arrive as strings; undefined for null. */
export function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(String(v));
  return Number.isFinite(n) ? n : undefined;
}

/** Epoch-ms SQL for a timestamptz expression. */
export const epochMs = (expr: string): string => `(extract(epoch from ${expr}) * 1000)::float8`;

/** Default decoder: one row per projection with `projection`, `position`, optional `updated_at`. */
export function decodeSimple(rows: readonly Record<string, unknown>[], notStarted: Position): DecodedCheckpoint[] {
  return rows.map((r) => ({
    projection: String(r.projection),
    position: num(r.position) ?? notStarted,
    updatedAt: num(r.updated_at),
  }));
}

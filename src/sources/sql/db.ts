/** Rows as plain objects plus the column names the statement returned (for validation). */
export interface QueryResult {
  readonly rows: Record<string, unknown>[];
  readonly fields: readonly string[];
}

/**
 * Runs one statement inside the cycle's transaction. `name` says which query it is: it appears
 * in error messages (`query "checkpoints"`) so an operator knows what failed.
 */
export type Query = (name: string, text: string, values?: readonly unknown[]) => Promise<QueryResult>;

/** A database the source reads from: node-postgres pool or embedded PGlite. */
export interface Db {
  /** What to call the database in messages (never contains credentials). */
  readonly describe: string;
  /**
   * Runs `fn` in one READ ONLY transaction with `statement_timeout` set, then ends it. The
   * monitor never writes to a store; a read-only transaction makes that a guarantee.
   * When `signal` aborts (cycle timeout, shutdown), a pending connect or a running statement
   * fails at once instead of running to its own timeout.
   */
  readOnly<T>(statementTimeoutMs: number, fn: (q: Query) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Ends the connections; pending connects and running statements are cut, not awaited. */
  close(): Promise<void>;
}

/** Wraps a driver error with the name of the query that raised it. */
export class QueryFailure extends Error {
  override readonly name = 'QueryFailure';
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause), { cause });
  }
}

export { placeholderCount } from '../../core/sql/placeholders.js';

import { SourceError, reasonOf, type SourceErrorReason } from '../source-error.js';
import { QueryFailure } from './db.js';
import { withTlsProblem } from '../tls-error.js';
import { mysqlReason } from './mysql/errors.js';

/** PostgreSQL SQLSTATEs that mean "the server is not there (any more)". */
const UNREACHABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

/** Classifies a driver error into a bounded reason (a label value). */
export function sqlReason(err: unknown): SourceErrorReason {
  const cause = err instanceof QueryFailure ? err.cause : err;
  const my = mysqlReason(cause);
  if (my) return my;
  const e = cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (code === '57014' || /statement timeout|query read timeout|timeout exceeded when trying to connect/i.test(msg)) return 'timeout';
  if (UNREACHABLE.has(code) || /Connection terminated|terminating connection|ECONNREFUSED|ECONNRESET|the database system is (starting|shutting)/i.test(msg))
    return 'unreachable';
  if (code === '42P01' || code === '3F000') return 'missing_table';
  if (code === '3D000') return 'config';
  return reasonOf(cause);
}

/**
 * Removes anything that looks like a credential from a message: the password of
 * `scheme://user:password@host` URLs, `password=...` pairs, and any literal secret given.
 */
export function redact(message: string, secrets: readonly string[] = []): string {
  let out = message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s]*@/gi, '$1[redacted]@').replace(/(password\s*[=:]\s*)\S+/gi, '$1[redacted]');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * The error a cycle throws: names the store, its preset and the query, carries a bounded
 * reason, never a password.
 */
export function storeError(store: string, preset: string, err: unknown, secrets: readonly string[]): SourceError {
  if (err instanceof SourceError) return err;
  if (err instanceof MissingTableError) {
    return new SourceError(`store "${store}": ${err.message}`, { reason: 'missing_table', cause: err, context: { store, preset, query: 'tables' } });
  }
  if (err instanceof GenericSqlError) {
    return new SourceError(`store "${store}" (generic): ${redact(err.message, secrets)}`, {
      reason: 'config',
      retriable: false,
      cause: err,
      context: { store, preset, query: err.query },
    });
  }
  const query = err instanceof QueryFailure ? err.query : 'cycle';
  const reason = sqlReason(err);
  const detail = withTlsProblem(err instanceof QueryFailure ? err.cause : err, redact((err as Error)?.message ?? String(err), secrets));
  return new SourceError(`store "${store}" (${preset}): query "${query}" failed (${reason}): ${detail}`, {
    reason,
    retriable: reason !== 'config',
    cause: err,
    context: { store, preset, query },
  });
}

/** A table the preset needs is not there: a setup problem, reported with the names to fix. */
export class MissingTableError extends Error {
  override readonly name = 'MissingTableError';
  constructor(
    readonly preset: string,
    readonly tables: readonly string[],
  ) {
    super(
      `preset ${preset} needs table${tables.length > 1 ? 's' : ''} ${tables.join(', ')}, which ${tables.length > 1 ? 'do' : 'does'} not exist ` +
        `(wrong database or schema? set stores[].schema, or create the framework's tables)`,
    );
  }
}

/** User SQL of the generic preset that does not return the columns it must. */
export class GenericSqlError extends Error {
  override readonly name = 'GenericSqlError';
  constructor(
    readonly query: string,
    message: string,
  ) {
    super(`generic.${query}: ${message}`);
  }
}

import { tlsProblem } from './tls-error.js';

/**
 * Bounded reason values for `cqrs_collect_errors_total{reason}`. Keep this list short:
 * it is a label (every source exports one series per reason, from the start).
 */
export const SOURCE_ERROR_REASONS = ['unreachable', 'auth', 'tls', 'timeout', 'missing_table', 'query', 'protocol', 'config', 'partial', 'unknown'] as const;
export type SourceErrorReason = (typeof SOURCE_ERROR_REASONS)[number];

/** A failure to read a source, carrying context for logs and a bounded reason for metrics. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly reason: SourceErrorReason;
  readonly retriable: boolean;
  readonly context: Record<string, string | number>;

  constructor(
    message: string,
    opts: {
      reason: SourceErrorReason;
      retriable?: boolean;
      cause?: unknown;
      context?: Record<string, string | number>;
    },
  ) {
    super(message, { cause: opts.cause });
    this.reason = opts.reason;
    this.retriable = opts.retriable ?? true;
    this.context = opts.context ?? {};
  }
}

/** Best-effort classification of an unknown error into a bounded reason. */
export function reasonOf(err: unknown): SourceErrorReason {
  if (err instanceof SourceError) return err.reason;
  // Before the connection checks: kafkajs wraps a failed handshake as a connection error.
  if (tlsProblem(err)) return 'tls';
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const name = typeof e?.name === 'string' ? e.name : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (name === 'AbortError' || name === 'TimeoutError' || /timed? ?out/i.test(msg)) return 'timeout';
  if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code)) return 'unreachable';
  if (code === '28P01' || code === '28000' || /SASL|authenticat/i.test(msg)) return 'auth';
  if (code === '42P01') return 'missing_table';
  if (name === 'KafkaJSConnectionError' || name === 'KafkaJSNumberOfRetriesExceeded' || /connect/i.test(msg)) return 'unreachable';
  if (name.startsWith('KafkaJS')) return 'protocol';
  if (/^[0-9A-Z]{5}$/.test(code)) return 'query';
  return 'unknown';
}

import type { Position } from '../units.js';
import type { Watermarks } from './types.js';

/**
 * Offsets some clients commit instead of a position, borrowed from ListOffsets: kafkajs'
 * `admin.resetOffsets` commits -2 (`earliest: true`) or -1 (the default, latest), as its
 * `admin.setOffsets` does for those values (measured on Kafka 3.9.1 and 4.1.1,
 * test/integration/kafka/sentinel.test.ts). The Java client's OffsetAndMetadata rejects negative
 * offsets.
 */
export const EARLIEST_SENTINEL = -2;
export const LATEST_SENTINEL = -1;

/** What a committed offset stands for. */
export type CommitKind =
  /** A real position (>= 0). */
  | 'offset'
  /** -2: the start of the log, i.e. the low watermark. */
  | 'earliest'
  /** -1: the end of the log, i.e. the high watermark. */
  | 'latest';

/**
 * The position a committed value stands for: itself when >= 0; the low watermark for -2 and the
 * high watermark for -1 (the writer's intent: kafkajs' resetOffsets). Undefined when nothing is
 * committed (or another negative value, which no client writes).
 */
export function commitPosition(committed: number | undefined, wm: Watermarks): { kind: CommitKind; position: Position } | undefined {
  if (committed === undefined) return undefined;
  if (committed >= 0) return { kind: 'offset', position: committed };
  if (committed === EARLIEST_SENTINEL) return { kind: 'earliest', position: wm.low };
  if (committed === LATEST_SENTINEL) return { kind: 'latest', position: wm.high };
  return undefined;
}

/** Keeps -1 and -2 as read (they are meaningful commits); other negatives are "no commit". */
export const readCommitted = (offset: number): number | undefined =>
  offset >= 0 || offset === EARLIEST_SENTINEL || offset === LATEST_SENTINEL ? offset : undefined;

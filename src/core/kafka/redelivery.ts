import type { Count, Position } from '../units.js';

/**
 * Messages re-delivered when a committed offset moves backwards from `previous` to `current`:
 * every offset in [current, previous) will be consumed again. Offsets below the low watermark
 * no longer exist and cannot be re-delivered. 0 when the commit did not move back.
 */
export function redelivered(previous: Position | undefined, current: Position | undefined, low: Position): Count {
  if (previous === undefined || current === undefined || current >= previous) return 0;
  return Math.max(0, previous - Math.max(current, low));
}

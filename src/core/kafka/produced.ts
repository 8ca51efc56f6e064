import type { Count, Position } from '../units.js';

/**
 * Messages produced to a partition between two samples of its high watermark.
 * - Seen before: the high-watermark delta (retention moving the low watermark does not matter).
 * - High watermark went down: the topic was deleted and re-created (or truncated); the new log
 *   started from 0, so everything in it is new.
 * - First seen on a topic already known: a partition was added since the last cycle; all of it
 *   is new.
 * - First seen on a topic seen for the first time (or after the monitor restarted): a baseline,
 *   0, because when those messages were produced is unknown.
 */
export function producedSince(previousHigh: Position | undefined, high: Position, topicKnown: boolean): Count {
  if (previousHigh === undefined) return topicKnown ? high : 0;
  if (high < previousHigh) return high;
  return high - previousHigh;
}

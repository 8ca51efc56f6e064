import type { Position } from '../units.js';

/** Lag in events: `max(0, head - checkpoint)` (DESIGN.md §3). A checkpoint ahead of the head is not negative lag. */
export function lagEvents(head: Position, checkpoint: Position): number {
  return Math.max(0, head - checkpoint);
}

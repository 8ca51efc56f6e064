import type { EpochMillis, Seconds } from '../units.js';
import { clampedAge } from './clock-skew.js';

/**
 * Checkpoint age: `now - last checkpoint update`. Informational only (it rises on quiet
 * streams). Uses the store's own update time when it keeps one; otherwise the monitor's time
 * of first seeing the current checkpoint value, which is a lower bound (at most one interval
 * late, and it restarts when the monitor restarts).
 */
export function checkpointAge(now: EpochMillis, storeUpdatedAt: EpochMillis | undefined, firstSeenAt: EpochMillis): { seconds: Seconds; skewed: boolean } {
  const age = clampedAge(now, storeUpdatedAt ?? firstSeenAt);
  return { seconds: age.seconds, skewed: age.skewed };
}

import type { Seconds } from '../units.js';
import { clampedAge, type ClampedAge } from './clock-skew.js';
import { lagEvents } from './lag.js';
import type { ProjectionObservation } from './types.js';

/**
 * Staleness (DESIGN.md §3): age of the oldest event the projection has not applied, 0 when
 * caught up. It does not rise on a quiet stream (lag 0 -> 0) and keeps rising while the
 * projection is stuck (the first unapplied event only gets older). When events are missing
 * after the checkpoint the value is unknown (undefined), never a guess.
 */
export function staleness(obs: ProjectionObservation): { seconds: Seconds | undefined; skewed: boolean } {
  if (lagEvents(obs.head, obs.checkpoint) === 0) return { seconds: 0, skewed: false };
  if (obs.firstUnappliedTime === undefined) return { seconds: undefined, skewed: false };
  const age: ClampedAge = clampedAge(obs.at, obs.firstUnappliedTime);
  return { seconds: age.seconds, skewed: age.skewed };
}

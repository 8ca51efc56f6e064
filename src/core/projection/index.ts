export { trackProjection } from './tracker.js';
export { applyLatencies, coveringWrites, samplingStride, type EventTime } from './apply-latency.js';
export { clampedAge, type ClampedAge } from './clock-skew.js';
export { lagEvents } from './lag.js';
export { staleness } from './staleness.js';
export { checkpointAge } from './checkpoint-age.js';
export { projectionStatus, type StatusInput } from './status.js';
export { stepRebuild, rebuildDuration, rebuildProgress, isRebuilding } from './rebuild.js';
export {
  PROJECTION_STATUSES,
  type ProjectionStatus,
  type ProjectionObservation,
  type ProjectionRules,
  type ProjectionTrackState,
  type ProjectionSli,
  type CheckpointAdvance,
  type CheckpointWrite,
  type RebuildState,
  type WindowSample,
} from './types.js';

export { drainRate, drainSeconds, drainVerdict, etaSeconds, round, type BacklogSample, type DrainObservation, type Verdict } from './drain.js';
export { rebuildSeconds, rebuildVerdict, stepRebuildRun, type RebuildObservation, type RebuildProgress, type RebuildReading } from './rebuild.js';

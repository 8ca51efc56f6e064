import { setFlagsFromString } from 'node:v8';

/**
 * Caps V8's old-generation growth between full collections at (1 + percent/100) x the live
 * heap. V8 picks up to 4x on machines with much memory, so a collector holding 60 MB of live
 * state peaks near 250 MB; the flag is read at every limit computation, so setting it at
 * start-up takes effect (unlike the heap size limits). 0 leaves V8's own heuristic.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}

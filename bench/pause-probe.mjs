/**
 * Preloaded into the service (`NODE_ARGS=--import=./bench/pause-probe.mjs`, with PAUSE_LOG set):
 * a 2 ms interval timer that appends every gap of PAUSE_MIN_MS (default 40) or more between two of
 * its turns to PAUSE_LOG, as `startUs endUs` on the monotonic clock that `--cpu-prof` timestamps
 * use, so that `bench/long-tasks.mjs` can say which samples filled each pause. The timer runs
 * whenever the event loop gets back to its timers phase: a gap is one turn of the loop that
 * took that long (plus up to 2 ms of timer slack).
 */
import { appendFileSync } from 'node:fs';

const file = process.env.PAUSE_LOG;
const min = Number(process.env.PAUSE_MIN_MS ?? 40) * 1000;
if (file) {
  const us = () => Number(process.hrtime.bigint() / 1000n);
  let last = us();
  setInterval(() => {
    const now = us();
    if (now - last >= min) appendFileSync(file, `${last} ${now}\n`);
    last = now;
  }, 2).unref();
}

/**
 * Preloaded into the service (`NODE_ARGS=--import=./bench/pause-probe.mjs`, with PAUSE_LOG set):
 * a 2 ms interval timer that appends every gap of PAUSE_MIN_MS (default 40) or more between two of
 * its turns to PAUSE_LOG, as `startUs endUs cpuUs startMs waitUs`: start and end on the monotonic clock that
 * `--cpu-prof` timestamps use, `startMs` on the process's clock (`performance.now()`, which
 * `--trace-gc`'s `N ms:` prefixes follow to within a few ms; bench/gc-in-pauses.mjs), so that `bench/long-tasks.mjs` can say which samples filled each pause. The timer
 * runs whenever the event loop gets back to its timers phase: a gap is one turn of the loop that
 * took that long (plus up to 2 ms of timer slack).
 *
 * `cpuUs` is the time the main thread was on a CPU during the gap (the kernel's per-thread
 * schedstat, in ns): on a loaded box a gap's wall time includes the time the thread waited for a
 * core, its CPU time does not, so the CPU time is what the same task would hold the loop for on a
 * quiet box. `waitUs` is the time it was runnable but waited for a core (schedstat's second
 * field: other processes on the box); the rest of a gap (wall - cpu - wait) it was blocked, e.g.
 * in a GC pause waiting for V8's helper threads. Reading them costs one pread per turn (~10 µs).
 */
import { appendFileSync, openSync, readSync } from 'node:fs';

const file = process.env.PAUSE_LOG;
const min = Number(process.env.PAUSE_MIN_MS ?? 40) * 1000;
if (file) {
  const us = () => Number(process.hrtime.bigint() / 1000n);
  let fd = -1;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    // Not Linux: wall times only.
  }
  const buf = Buffer.alloc(64);
  // schedstat: ns on a CPU, ns waiting on a run queue, time slices.
  const sched = () => {
    if (fd < 0) return [Number.NaN, Number.NaN];
    const n = readSync(fd, buf, 0, 64, 0);
    const [cpu, wait] = buf.toString('latin1', 0, n).split(' ', 2);
    return [Number(cpu) / 1000, Number(wait) / 1000];
  };
  let last = us();
  let [lastCpu, lastWait] = sched();
  setInterval(() => {
    const now = us();
    const [cpu, wait] = sched();
    if (now - last >= min) {
      const startMs = (performance.now() - (now - last) / 1000).toFixed(1);
      appendFileSync(file, `${last} ${now} ${Math.round(cpu - lastCpu)} ${startMs} ${Math.round(wait - lastWait)}\n`);
    }
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, 2).unref();
}

/**
 * Wraps an async producer so that concurrent callers share one call (single flight) and a
 * result stays valid for `ttlMs` after it settled: N requests within the window cost one call.
 * A rejected call is not kept; the next caller tries again. `clock` is injectable for tests.
 */
export function singleFlight<T>(produce: () => Promise<T>, ttlMs: number, clock: () => number = Date.now): { get(): Promise<T>; readonly calls: number } {
  let inflight: Promise<T> | undefined;
  let value: { v: T; at: number } | undefined;
  let calls = 0;
  return {
    get(): Promise<T> {
      if (value && clock() - value.at < ttlMs) return Promise.resolve(value.v);
      if (inflight) return inflight;
      calls++;
      const p = produce().then(
        (v) => {
          value = { v, at: clock() };
          inflight = undefined;
          return v;
        },
        (err: unknown) => {
          inflight = undefined;
          throw err;
        },
      );
      inflight = p;
      return p;
    },
    get calls() {
      return calls;
    },
  };
}

/**
 * Waiting for a part of the test environment: one polling loop with a deadline, shared by the
 * servers the tests start (Kafka, PostgreSQL, MariaDB, RabbitMQ, Prometheus). A failure names
 * what was awaited, the time it was given, the last error seen and the process's log tail.
 */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  /** Give up this many milliseconds after the first attempt. */
  readonly timeoutMs: number;
  /** Pause between attempts, in ms (default 100). */
  readonly everyMs?: number;
  /** Checked before each attempt: why waiting is pointless (the process exited), else undefined. */
  readonly stopIf?: () => string | false | undefined;
  /** Appended to the failure message, on a line of its own (a process's log tail). */
  readonly detail?: () => string;
  /**
   * An attempt that throws counts as "not yet" and its error goes into the failure message
   * (default true: a server that is not listening yet refuses connections). With false the error
   * ends the wait at once.
   */
  readonly retryErrors?: boolean;
}

/**
 * Calls `attempt` until it returns something other than `undefined` or `false`, and returns that.
 * Throws when `stopIf` gives a reason or when `timeoutMs` has passed.
 */
export async function waitUntil<T>(what: string, attempt: () => T | Promise<T>, opts: WaitOptions): Promise<Exclude<T, undefined | false>> {
  const { timeoutMs, everyMs = 100, stopIf, detail, retryErrors = true } = opts;
  const deadline = Date.now() + timeoutMs;
  const tail = () => (detail ? `\n${detail()}` : '');
  let last: unknown;
  for (;;) {
    const why = stopIf?.();
    if (why) throw new Error(`${why} while waiting for ${what}${tail()}`);
    try {
      const v = await attempt();
      if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    } catch (err) {
      if (!retryErrors) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      const cause = last === undefined ? '' : `: ${last instanceof Error ? last.message : String(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}${tail()}`);
    }
    await sleep(everyMs);
  }
}

/**
 * `waitUntil` for a condition in a test: polls `fn` every `everyMs` until it returns true; fails
 * naming `what` after `ms`. An error thrown by `fn` fails at once (it is the test's own error).
 */
export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000, everyMs = 100): Promise<void> {
  await waitUntil(what, fn, { timeoutMs: ms, everyMs, retryErrors: false });
}

/** True when `url` answers with a 2xx status within `timeoutMs`; throws (refused, timed out) otherwise. */
export async function httpOk(url: string, headers: Record<string, string> = {}, timeoutMs = 2000): Promise<boolean> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return true;
}

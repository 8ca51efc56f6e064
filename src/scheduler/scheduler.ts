import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/create-metrics.js';
import type { Clock } from '../core/units.js';
import type { CycleContext, CycleReport, Source } from '../sources/source.js';
import { reasonOf, SOURCE_ERROR_REASONS, SourceError } from '../sources/source-error.js';
import { redactMessage } from '../telemetry/redact.js';
import { gridStep } from './grid.js';
import type { SourceState } from './source-state.js';

/** The timer functions the scheduler uses; injected by tests to run a fake clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SchedulerOptions {
  readonly sources: readonly Source[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly clock: Clock;
  /** Default: the global setTimeout/clearTimeout. Must run on the same time line as `clock`. */
  readonly timers?: Timers;
}

interface Entry {
  readonly source: Source;
  readonly state: SourceState;
  /** Grid origin (epoch ms): cycles start at origin + k x interval. */
  origin: number;
  /** The grid point the armed timer is for (epoch ms). */
  nextDue: number;
  timer?: unknown;
  inflight?: Promise<void>;
  abort?: AbortController;
  /** Last logged state, to log once per change (`ok` or `reason: message`). */
  loggedState: string;
  /** The source's probe grid (same origin), when it has a probe. */
  probe?: { nextDue: number; timer?: unknown; running: boolean };
}

/**
 * Runs every source on its own interval, on a fixed grid: cycles start at
 * `start + k x interval` (one timer per source, armed for the next grid point), so the mean
 * period equals the interval. A grid point reached while the previous cycle still runs is
 * skipped and counted, as is a grid point a late timer passed by; the next cycle then starts
 * on the following grid point. Cycles have a timeout; failures are caught, counted, logged
 * once per change of state, and never escape (after OpenTelemetry's periodic reader `_runOnce`).
 */
export class Scheduler {
  #entries: Entry[];
  readonly #opts: SchedulerOptions;
  readonly #timers: Timers;
  #stopping = false;
  #started = false;

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.#timers = opts.timers ?? systemTimers;
    checkNames(opts.sources);
    this.#entries = opts.sources.map(newEntry);
    for (const source of opts.sources) bornAtZero(opts.metrics, source.name);
  }

  /**
   * Swaps the set of sources (configuration reload). A source object present before and in
   * `next` keeps its entry, state and schedule; one no longer in `next` is retired first (its
   * running cycle aborted and awaited for up to `retireGraceSeconds`, its series cleared, its
   * connections closed), so that a replacement of the same name never has its series removed
   * by its predecessor; new ones start their first cycle at once.
   */
  async replace(next: readonly Source[], retireGraceSeconds = 5): Promise<{ added: string[]; removed: string[]; kept: string[] }> {
    checkNames(next);
    const wanted = new Set(next);
    const retired = this.#entries.filter((e) => !wanted.has(e.source));
    const present = new Set(this.#entries.map((e) => e.source));
    this.#entries = this.#entries.filter((e) => wanted.has(e.source));
    await Promise.allSettled(retired.map((e) => this.#retire(e, retireGraceSeconds)));
    const added = next.filter((s) => !present.has(s)).map(newEntry);
    for (const e of added) bornAtZero(this.#opts.metrics, e.source.name);
    this.#entries.push(...added);
    if (this.#started && !this.#stopping) for (const e of added) this.#begin(e, this.#opts.clock());
    return {
      added: added.map((e) => e.source.name),
      removed: retired.map((e) => e.source.name),
      kept: this.#entries.filter((e) => present.has(e.source)).map((e) => e.source.name),
    };
  }

  async #retire(e: Entry, graceSeconds: number): Promise<void> {
    const { metrics, logger } = this.#opts;
    if (e.timer !== undefined) this.#timers.clearTimeout(e.timer);
    if (e.probe?.timer !== undefined) this.#timers.clearTimeout(e.probe.timer);
    e.timer = undefined;
    if (e.probe) e.probe.timer = undefined;
    e.abort?.abort(new SourceError('source removed by a configuration reload', { reason: 'timeout' }));
    if (e.inflight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([e.inflight, new Promise<void>((r) => (timer = setTimeout(r, graceSeconds * 1000)))]);
      clearTimeout(timer);
    }
    try {
      e.source.clear();
      await e.source.close();
    } catch (err) {
      logger.error({ source: e.source.name, err: redactMessage((err as Error).message ?? String(err)) }, 'closing a removed source failed');
    }
    metrics.monitor.sourceUp.remove({ source: e.source.name });
    metrics.monitor.lastSuccess.remove({ source: e.source.name });
  }

  /** Starts the schedule; every source runs its first cycle at once, which is its grid origin. */
  start(): void {
    this.#started = true;
    const now = this.#opts.clock();
    for (const e of this.#entries) this.#begin(e, now);
  }

  /** First cycle of a source now (its grid origin), and its probe grid. */
  #begin(e: Entry, now: number): void {
    e.origin = now;
    e.nextDue = now;
    this.#fire(e);
    const probe = e.source.probe;
    if (probe) {
      e.probe = { nextDue: now + probe.interval * 1000, running: false };
      this.#armProbe(e, now);
    }
  }

  /** Snapshot of every source's state. */
  states(): SourceState[] {
    return this.#entries.map((e) => ({ ...e.state }));
  }

  /** Runs one cycle of the named source now and waits for it (used by tests and the CLI). */
  async runOnce(name: string): Promise<SourceState> {
    const e = this.#entries.find((x) => x.source.name === name);
    if (!e) throw new Error(`no source named ${name}`);
    if (e.inflight) await e.inflight;
    else {
      this.#tick(e);
      await e.inflight;
    }
    return { ...e.state };
  }

  /**
   * Stops the schedule, lets running cycles finish for up to `graceSeconds`, aborts the rest,
   * and closes every source.
   */
  async stop(graceSeconds: number): Promise<void> {
    this.#stopping = true;
    for (const e of this.#entries) {
      if (e.timer !== undefined) this.#timers.clearTimeout(e.timer);
      if (e.probe?.timer !== undefined) this.#timers.clearTimeout(e.probe.timer);
    }
    const running = this.#entries.filter((e) => e.inflight).map((e) => e.inflight!);
    if (running.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, graceSeconds * 1000)));
      await Promise.race([Promise.allSettled(running), grace]);
      clearTimeout(timer);
      for (const e of this.#entries) e.abort?.abort(new SourceError('shutting down', { reason: 'timeout' }));
    }
    await Promise.allSettled(this.#entries.map((e) => e.source.close()));
  }

  /** The timer of grid point `e.nextDue` fired: start a cycle (or count the skip) and arm the next point. */
  #fire(e: Entry): void {
    e.timer = undefined;
    if (this.#stopping) return;
    const intervalMs = e.source.interval * 1000;
    const now = this.#opts.clock();
    if (now < e.nextDue) {
      // Fired early (the wall clock stepped back): wait for the point, or re-anchor the grid
      // when the clock moved back by more than an interval.
      if (e.nextDue - now > intervalMs) e.origin = e.nextDue = now;
      else {
        this.#arm(e, now);
        return;
      }
    }
    const step = gridStep(e.origin, intervalMs, e.nextDue, now);
    if (step.missed > 0) this.#countSkipped(e, step.missed);
    this.#tick(e);
    e.nextDue = step.next;
    this.#arm(e, now);
  }

  #arm(e: Entry, now: number): void {
    e.timer = this.#timers.setTimeout(() => this.#fire(e), Math.max(0, e.nextDue - now));
  }

  #armProbe(e: Entry, now: number): void {
    const p = e.probe!;
    p.timer = this.#timers.setTimeout(() => this.#fireProbe(e), Math.max(0, p.nextDue - now));
  }

  /** A probe's grid point: run it unless the cycle or the previous probe still runs (best effort, not counted). */
  #fireProbe(e: Entry): void {
    const p = e.probe!;
    const probe = e.source.probe!;
    p.timer = undefined;
    if (this.#stopping) return;
    const now = this.#opts.clock();
    if (now < p.nextDue && p.nextDue - now <= probe.interval * 1000) {
      this.#armProbe(e, now);
      return;
    }
    if (!e.inflight && !p.running) {
      p.running = true;
      const signal = AbortSignal.timeout(e.source.timeout * 1000);
      void Promise.resolve()
        .then(() => probe.run(signal))
        .catch((err: unknown) =>
          this.#opts.logger.debug({ source: e.source.name, err: redactMessage(err instanceof Error ? err.message : String(err)) }, 'probe failed'),
        )
        .finally(() => (p.running = false));
    }
    p.nextDue = gridStep(e.origin, probe.interval * 1000, Math.min(p.nextDue, now), now).next;
    this.#armProbe(e, now);
  }

  #countSkipped(e: Entry, n: number): void {
    e.state.skipped += n;
    this.#opts.metrics.monitor.collectSkipped.inc({ source: e.source.name }, n);
  }

  /** Starts a cycle unless the previous one still runs (then the grid point is skipped). */
  #tick(e: Entry): void {
    if (e.inflight) {
      this.#countSkipped(e, 1);
      return;
    }
    e.inflight = this.#runCycle(e).finally(() => {
      e.inflight = undefined;
      e.abort = undefined;
      e.state.running = false;
    });
  }

  async #runCycle(e: Entry): Promise<void> {
    const { metrics, clock, logger, tracer } = this.#opts;
    const { source, state } = e;
    const label = { source: source.name };
    const started = clock();
    const abort = new AbortController();
    e.abort = abort;
    state.running = true;
    state.lastStart = started;

    await tracer.startActiveSpan(`collect ${source.name}`, async (span: Span) => {
      span.setAttribute('cqrs.source', source.name);
      const ctx: CycleContext = {
        signal: abort.signal,
        clock,
        startedAt: started,
        logger: logger.child({ source: source.name }),
        span: (name, fn, attributes) => childSpan(tracer, span, name, fn, attributes),
      };
      let timer: unknown;
      const timeout = new Promise<never>((_, reject) => {
        timer = this.#timers.setTimeout(() => {
          const err = new SourceError(`cycle exceeded its timeout of ${source.timeout}s`, { reason: 'timeout' });
          // Reject first so that a source that resolves on abort still counts as timed out.
          reject(err);
          abort.abort(err);
        }, source.timeout * 1000);
      });
      try {
        const report: CycleReport = await Promise.race([source.collect(ctx), timeout]);
        const ended = clock();
        state.up = true;
        state.succeededOnce = true;
        state.lastSuccess = ended;
        state.lastReport = report;
        metrics.monitor.sourceUp.set(label, 1);
        metrics.monitor.lastSuccess.set(label, ended / 1000);
        for (const [k, v] of Object.entries(report)) span.setAttribute(`cqrs.${k}`, v);
        span.setAttribute('cqrs.outcome', 'ok');
        span.setStatus({ code: SpanStatusCode.OK });
        this.#logChange(e, 'ok', () => logger.info({ source: source.name }, 'source is up'));
      } catch (err) {
        const reason = reasonOf(err);
        const message = redactMessage(err instanceof Error ? err.message : String(err));
        state.up = false;
        state.errors++;
        state.lastError = { reason, message, at: clock() };
        metrics.monitor.sourceUp.set(label, 0);
        metrics.monitor.collectErrors.inc({ source: source.name, reason });
        try {
          source.clear();
        } catch (clearErr) {
          logger.error({ source: source.name, err: clearErr }, 'clearing series failed');
        }
        span.setAttribute('cqrs.outcome', 'error');
        span.setAttribute('cqrs.error_reason', reason);
        span.recordException({ name: reason, message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        this.#logChange(e, `${reason}: ${message}`, () => logger.warn({ source: source.name, reason, error: message }, 'source cycle failed'));
      } finally {
        this.#timers.clearTimeout(timer);
        const ended = clock();
        state.cycles++;
        state.completedOnce = true;
        state.lastEnd = ended;
        state.lastDuration = (ended - started) / 1000;
        metrics.monitor.collectDuration.observe(label, state.lastDuration);
        span.end();
      }
    });
  }

  #logChange(e: Entry, now: string, log: () => void): void {
    if (e.loggedState !== now) log();
    e.loggedState = now;
  }
}

/**
 * The monitor's per-source counters exist at 0 from the start: a counter without a sample
 * until its first event leaves panels and alerts (`increase(...) > 0`) empty, and the first
 * event would be lost to rate(), which needs two samples.
 */
function bornAtZero(metrics: Metrics, source: string): void {
  const m = metrics.monitor;
  for (const reason of SOURCE_ERROR_REASONS) m.collectErrors.inc({ source, reason }, 0);
  for (const c of [m.collectSkipped, m.clockSkew, m.seriesDropped]) c.inc({ source }, 0);
}

function checkNames(sources: readonly Source[]): void {
  const names = new Set<string>();
  for (const source of sources) {
    if (names.has(source.name)) throw new Error(`duplicate source name ${source.name}`);
    names.add(source.name);
  }
}

function newEntry(source: Source): Entry {
  return {
    source,
    origin: 0,
    nextDue: 0,
    loggedState: 'new',
    state: {
      name: source.name,
      interval: source.interval,
      up: false,
      running: false,
      completedOnce: false,
      succeededOnce: false,
      cycles: 0,
      errors: 0,
      skipped: 0,
    },
  };
}

async function childSpan<T>(
  tracer: Tracer,
  parent: Span,
  name: string,
  fn: () => Promise<T>,
  attributes?: Record<string, string | number | boolean>,
): Promise<T> {
  const ctx = trace.setSpan(context.active(), parent);
  return tracer.startActiveSpan(name, { attributes: attributes ?? {} }, ctx, async (span) => {
    try {
      const out = await fn();
      span.setStatus({ code: SpanStatusCode.OK });
      return out;
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: redactMessage((err as Error).message ?? String(err)) });
      throw err;
    } finally {
      span.end();
    }
  });
}

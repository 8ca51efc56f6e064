import cron, { type ScheduledTask } from 'node-cron';
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/create-metrics.js';
import type { Clock } from '../core/units.js';
import type { CycleContext, CycleReport, Source } from '../sources/source.js';
import { reasonOf, SourceError } from '../sources/source-error.js';
import { redactMessage } from '../telemetry/redact.js';
import type { SourceState } from './source-state.js';

export interface SchedulerOptions {
  readonly sources: readonly Source[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly clock: Clock;
}

interface Entry {
  readonly source: Source;
  readonly state: SourceState;
  /** When the next cycle is due (epoch ms). */
  nextDue: number;
  inflight?: Promise<void>;
  abort?: AbortController;
  /** Last logged state, to log once per change (`ok` or `reason: message`). */
  loggedState: string;
}

/**
 * Runs every source on its own interval. node-cron ticks each second; a source whose time has
 * come starts a cycle unless its previous cycle is still running, in which case the tick is
 * skipped and counted. Cycles have a timeout; failures are caught, counted, logged once per
 * change of state, and never escape (after OpenTelemetry's periodic reader `_runOnce`).
 */
export class Scheduler {
  #entries: Entry[];
  readonly #opts: SchedulerOptions;
  #task?: ScheduledTask;
  #stopping = false;

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    checkNames(opts.sources);
    this.#entries = opts.sources.map(newEntry);
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
    this.#entries.push(...added);
    if (this.#task && !this.#stopping) for (const e of added) this.#tick(e);
    return { added: added.map((e) => e.source.name), removed: retired.map((e) => e.source.name), kept: this.#entries.filter((e) => present.has(e.source)).map((e) => e.source.name) };
  }

  async #retire(e: Entry, graceSeconds: number): Promise<void> {
    const { metrics, logger } = this.#opts;
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

  /** Starts the schedule; every source runs its first cycle at once. */
  start(): void {
    for (const e of this.#entries) this.#tick(e);
    this.#task = cron.schedule('* * * * * *', () => this.#tickAll(), { noOverlap: false });
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
    await this.#task?.stop();
    await this.#task?.destroy();
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

  #tickAll(): void {
    if (this.#stopping) return;
    const now = this.#opts.clock();
    for (const e of this.#entries) if (now >= e.nextDue) this.#tick(e);
  }

  #tick(e: Entry): void {
    const now = this.#opts.clock();
    e.nextDue = now + e.source.interval * 1000;
    if (e.inflight) {
      e.state.skipped++;
      this.#opts.metrics.monitor.collectSkipped.inc({ source: e.source.name });
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
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
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
        this.#logChange(e, `${reason}: ${message}`, () =>
          logger.warn({ source: source.name, reason, error: message }, 'source cycle failed'),
        );
      } finally {
        clearTimeout(timer);
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
    nextDue: 0,
    loggedState: 'new',
    state: { name: source.name, interval: source.interval, up: false, running: false, completedOnce: false, succeededOnce: false, cycles: 0, errors: 0, skipped: 0 },
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

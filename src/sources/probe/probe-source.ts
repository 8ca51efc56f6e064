import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeConfig } from '../../config/schema/probes.js';
import { afterPoll, type Answer, type ProbeOutcome, type ProbeResult } from '../../core/probe/outcome.js';
import { probeId } from '../../core/probe/template.js';
import { targetKey } from '../../core/sli-board.js';
import { redactMessage } from '../../telemetry/redact.js';
import type { SourceDeps } from '../deps.js';
import { reasonOf, SourceError } from '../source-error.js';
import type { CycleContext, CycleReport, Source } from '../source.js';
import type { ProbeSteps } from './steps.js';

/** How long a run cut by close() may take to clean up. */
const CLEANUP_AFTER_CLOSE_MS = 2000;

/** Why the last finished run reached no verdict, for the next cycle to report. */
interface Failure {
  readonly result: Extract<ProbeResult, 'command_failed' | 'query_failed'>;
  readonly error: unknown;
}

/**
 * One read-after-write probe as a Source. Each cycle starts a run (a command, then a query
 * every pollInterval until the change shows or the timeout) without waiting for it, so a slow
 * read model does not slow the probe's rate; at most maxConcurrency runs are in flight, a
 * cycle beyond that skips its run and counts it. A finished run publishes its outcome
 * (histogram, counter, SLI board) at once. A cycle fails (cqrs_source_up 0) while the last
 * finished run could not reach a verdict: the probe is blind, which is unknown for SLOs.
 */
export class ProbeSource implements Source {
  readonly name: string;
  readonly interval: number;
  readonly timeout: number;
  readonly #cfg: ProbeConfig;
  readonly #deps: SourceDeps;
  readonly #steps: ProbeSteps;
  readonly #inflight = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #failure: Failure | undefined;
  #closing: Promise<void> | undefined;

  constructor(cfg: ProbeConfig, deps: SourceDeps, steps: ProbeSteps) {
    this.#cfg = cfg;
    this.#deps = deps;
    this.#steps = steps;
    this.name = `probe:${cfg.name}`;
    this.interval = cfg.interval;
    this.timeout = Math.min(cfg.interval, 10);
    const m = deps.metrics.probe;
    // Counters exist from the start, so rate() has a base before the first run ends.
    for (const result of ['visible', 'timeout', 'command_failed', 'query_failed'] as const) m.runs.inc({ probe: cfg.name, result }, 0);
    m.skipped.inc({ probe: cfg.name }, 0);
    m.cleanupFailed.inc({ probe: cfg.name }, 0);
  }

  /** Runs in flight now. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /** Resolves when every run in flight has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  async collect(_ctx: CycleContext): Promise<CycleReport> {
    let started = 0;
    let skipped = 0;
    if (this.#inflight.size < this.#cfg.maxConcurrency) {
      const run = this.#run().catch((err) =>
        this.#deps.logger.error({ probe: this.#cfg.name, err: redactMessage(String((err as Error)?.message ?? err)) }, 'probe run failed unexpectedly'),
      );
      const done = run.finally(() => this.#inflight.delete(done));
      this.#inflight.add(done);
      started = 1;
    } else {
      skipped = 1;
      this.#deps.metrics.probe.skipped.inc({ probe: this.#cfg.name });
    }
    const f = this.#failure;
    if (f) {
      const reason = reasonOf(f.error);
      throw new SourceError(
        `probe ${this.#cfg.name}: ${f.result === 'command_failed' ? 'command' : 'query'} failed: ${(f.error as Error)?.message ?? String(f.error)}`,
        { reason, cause: f.error },
      );
    }
    return { started, skipped, inflight: this.#inflight.size };
  }

  /** One run: command, polls, outcome, cleanup. Never throws for the target's failures. */
  async #run(): Promise<void> {
    const { clock } = this.#deps;
    const signal = this.#stop.signal;
    const id = probeId(this.#cfg.idPrefix, this.#cfg.name, clock(), Math.random());
    let outcome: ProbeOutcome | undefined;
    let error: unknown;
    try {
      await this.#steps.command(id, signal);
    } catch (err) {
      outcome = { result: 'command_failed' };
      error = err;
    }
    if (!outcome) {
      const plan = { ackAt: clock(), timeout: this.#cfg.timeout, pollInterval: this.#cfg.pollInterval };
      while (!outcome && !signal.aborted) {
        const started = clock();
        let answer: Answer;
        try {
          answer = await this.#steps.query(id, signal);
        } catch (err) {
          answer = 'error';
          error = err;
        }
        const step = afterPoll(plan, answer, started, clock());
        if ('done' in step) outcome = step.done;
        else await sleep(step.waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
    // A run cut by shutdown or reload has no verdict worth publishing, but what its command
    // wrote is still removed, on a short signal of its own.
    if (!signal.aborted && outcome) this.#publish(id, outcome, error);
    if (this.#steps.cleanup) {
      try {
        await this.#steps.cleanup(id, signal.aborted ? AbortSignal.timeout(CLEANUP_AFTER_CLOSE_MS) : signal);
      } catch (err) {
        this.#deps.metrics.probe.cleanupFailed.inc({ probe: this.#cfg.name });
        this.#deps.logger.warn({ probe: this.#cfg.name, probeId: id, err: redactMessage((err as Error)?.message ?? String(err)) }, 'probe cleanup failed');
      }
    }
  }

  #publish(id: string, outcome: ProbeOutcome, error: unknown): void {
    const probe = this.#cfg.name;
    this.#deps.logger.debug(
      {
        probe,
        probeId: id,
        ...outcome,
        ...(error !== undefined && outcome.result !== 'visible' && outcome.result !== 'timeout'
          ? { err: redactMessage((error as Error)?.message ?? String(error)) }
          : {}),
      },
      'probe run finished',
    );
    const m = this.#deps.metrics.probe;
    m.runs.inc({ probe, result: outcome.result });
    if (outcome.result === 'visible') m.visibility.observe({ probe }, outcome.seconds);
    this.#deps.board.addProbeOutcomes(targetKey.probe(probe), [outcome]);
    this.#failure = outcome.result === 'command_failed' || outcome.result === 'query_failed' ? { result: outcome.result, error } : undefined;
  }

  /** Counters and the histogram are cumulative: removing them would look like a restart to Prometheus. */
  clear(): void {}

  /** Stops polling, lets the runs in flight clean up, then releases connections. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#stop.abort(new SourceError('probe closed', { reason: 'timeout' }));
    this.#closing = this.settled().then(() => this.#steps.close());
    return this.#closing;
  }
}

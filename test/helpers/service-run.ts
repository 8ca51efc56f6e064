import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { SliBoard } from '../../src/core/sli-board.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { SourceState } from '../../src/scheduler/source-state.js';
import type { SourceDeps } from '../../src/sources/deps.js';
import type { Source } from '../../src/sources/source.js';
import { noopTracer, seriesValue } from './deps.js';

/**
 * One source run the way the service runs it: the real scheduler (which sets `cqrs_source_up`,
 * counts errors and clears series), its own registry, and every log line at debug level kept
 * as text, so tests can check what an operator would see, and what they must never see.
 */
export interface ServiceRun {
  readonly deps: SourceDeps & { registry: Registry };
  /** Runs one cycle now and returns the source's state after it. */
  cycle(): Promise<SourceState>;
  /** Everything logged so far (JSON lines), kafkajs' and node-postgres' debug lines included. */
  logs(): string;
  /** The /metrics exposition text. */
  metrics(): Promise<string>;
  /** `cqrs_source_up` of the source, undefined before its first cycle. */
  up(): Promise<number | undefined>;
  value(name: string, labels: Record<string, string>): Promise<number | undefined>;
  close(): Promise<void>;
}

export function serviceRun(build: (deps: SourceDeps) => Source): ServiceRun {
  let logs = '';
  const logger = pino({ level: 'debug' }, { write: (line: string) => void (logs += line) });
  const registry = new Registry();
  const deps = { registry, metrics: createMetrics(registry, { processMetrics: false }), logger, clock: () => Date.now(), board: new SliBoard() };
  const source = build(deps);
  const scheduler = new Scheduler({ sources: [source], metrics: deps.metrics, logger, tracer: noopTracer, clock: deps.clock });
  return {
    deps,
    cycle: () => scheduler.runOnce(source.name),
    logs: () => logs,
    metrics: () => registry.metrics(),
    up: () => seriesValue(registry, 'cqrs_source_up', { source: source.name }),
    value: (name, labels) => seriesValue(registry, name, labels),
    close: () => scheduler.stop(5),
  };
}

/**
 * The places a secret could leak to, as one text: the last error (message and JSON), the log
 * lines and the /metrics page.
 */
export async function visibleText(run: ServiceRun, state: SourceState): Promise<string> {
  return [state.lastError?.message ?? '', JSON.stringify(state), run.logs(), await run.metrics()].join('\n');
}

/** Lines of a PEM text that carry key material (not the BEGIN/END markers). */
export function pemBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
}
